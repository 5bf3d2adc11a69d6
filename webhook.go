package shortener

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Webhooks (API.md, "Webhooks"): a user's endpoints, told of changes to
// and clicks on the links the user owns. The events are written by the
// stores into an outbox in the same transaction as the change they
// describe; a dispatcher (package webhook) delivers them.

// Event types. Each is documented with its payload in the README; fields
// may be added to a type's data, never removed or changed (a change would
// be a new type).
const (
	EventLinkCreated = "link.created"
	EventLinkUpdated = "link.updated"
	EventLinkDeleted = "link.deleted"
	EventLinkClicked = "link.clicked"
	EventPing        = "ping" // sent on request (POST .../test), to any endpoint
)

// WebhookEvents lists the events an endpoint may subscribe to.
var WebhookEvents = []string{EventLinkCreated, EventLinkUpdated, EventLinkDeleted, EventLinkClicked}

// Limits of webhooks.
const (
	MaxWebhookDescription = 500 // characters
	MaxClicksPerDelivery  = 100 // clicks in one link.clicked delivery
	MaxDeliveriesListed   = 100 // attempts kept and listed per endpoint
	WebhookSecretPrefix   = "whsec_"
	webhookSecretBytes    = 32
)

// Webhook is an endpoint that receives events.
type Webhook struct {
	ID          string
	UserID      string
	URL         string
	Events      []string // of WebhookEvents, in their order
	Description string
	Secret      string // WebhookSecretPrefix + base64 of 32 random bytes; shown once
	IsActive    bool
	// FailingSince is when the endpoint's deliveries started failing
	// without a success since; nil while it works.
	FailingSince *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// WebhookInput is a new endpoint as a user asks for it.
type WebhookInput struct {
	URL         string
	Events      []string
	Description string
}

// WebhookUpdate names the fields of a webhook to change; nil leaves one as
// it is. Setting IsActive also clears FailingSince: a re-enabled endpoint
// starts with a clean slate.
type WebhookUpdate struct {
	URL         *string
	Events      *[]string
	Description *string
	IsActive    *bool
}

// DeliveryAttempt is one attempt to deliver an event, as the deliveries log
// lists it.
type DeliveryAttempt struct {
	ID          string
	WebhookID   string
	EventID     string
	Event       string
	Attempt     int    // 1 for the first attempt
	StatusCode  int    // the receiver's status; 0 when none came
	Error       string // why it failed; "" on success
	CreatedAt   time.Time
	DeliveredAt *time.Time // set when the attempt succeeded
}

// Delivery is one event on its way to one endpoint, as the dispatcher
// claims it from the outbox. The webhook-id of every attempt is EventID.
type Delivery struct {
	EventID   string
	WebhookID string
	Event     string
	// Data is the event's data in its stored form: a link snapshot
	// (EncodeLinkSnapshot) for the link events, the final JSON for
	// link.clicked (ClickedData) and ping.
	Data      []byte
	CreatedAt time.Time // when the event happened
	Attempts  int       // attempts made before this claim
	URL       string    // the endpoint's, at the claim
	Secret    string
}

// WebhookStore keeps webhooks, their deliveries log and test pings.
type WebhookStore interface {
	// CreateWebhook inserts w (ID and times set by the caller).
	CreateWebhook(ctx context.Context, w *Webhook) error

	// WebhookByID returns the webhook with the given ID.
	// Returns ENOTFOUND if there is none.
	WebhookByID(ctx context.Context, id string) (*Webhook, error)

	// ListWebhooks returns the user's webhooks, newest first.
	ListWebhooks(ctx context.Context, userID string) ([]*Webhook, error)

	// UpdateWebhook writes the fields u names and updated_at, and returns
	// the webhook as stored. Returns ENOTFOUND if there is none.
	UpdateWebhook(ctx context.Context, id string, u WebhookUpdate, now time.Time) (*Webhook, error)

	// DeleteWebhook deletes the webhook, its pending deliveries and its
	// log. Returns ENOTFOUND if there is none.
	DeleteWebhook(ctx context.Context, id string) error

	// ListDeliveries returns the webhook's last limit attempts, newest
	// first.
	ListDeliveries(ctx context.Context, webhookID string, limit int) ([]*DeliveryAttempt, error)

	// EnqueuePing adds a ping event (eventID, data) for the webhook, due
	// at once. Returns ENOTFOUND if there is no such webhook.
	EnqueuePing(ctx context.Context, webhookID, eventID string, data []byte, at time.Time) error
}

// Outbox is the queue of deliveries. The link store writes a delivery of
// a link event for each of the owner's active endpoints that subscribe
// to it, in the transaction of the change; the click store queues each
// stored click for the endpoints that subscribe to link.clicked, in the
// transaction of the clicks, and PackClicks turns queued clicks into
// deliveries. Several dispatchers may share one outbox.
type Outbox interface {
	// PackClicks turns queued clicks into link.clicked deliveries of at
	// most max clicks, one endpoint and one link each, due at now. A
	// (endpoint, link) is packed once its oldest queued click waited
	// window, or once max clicks are queued. Returns how many deliveries
	// it made.
	PackClicks(ctx context.Context, now time.Time, window time.Duration, max int) (int, error)

	// ClaimDeliveries returns up to n deliveries due at now (next attempt
	// at or before now) of active endpoints, pings of any, oldest due
	// first, except those to the endpoints in busy (the dispatcher's
	// endpoints at their limit: their backlog must not hide what other
	// endpoints have due), and moves their next attempt to now+lease, so
	// that no other dispatcher takes them meanwhile. A dispatcher that dies
	// holding a claim leaves it to be taken again after the lease.
	ClaimDeliveries(ctx context.Context, now time.Time, n int, lease time.Duration, busy []string) ([]*Delivery, error)

	// RecordAttempt logs attempt a of d, in one transaction with its
	// consequences: retryAt nil removes the delivery (delivered, or given
	// up), else it is due again then with one more attempt counted. A
	// success clears the endpoint's FailingSince; a failure sets it if
	// unset, and disables the endpoint (is_active false) once it is
	// disableAfter old. The log keeps the endpoint's last
	// MaxDeliveriesListed attempts.
	RecordAttempt(ctx context.Context, d *Delivery, a *DeliveryAttempt, retryAt *time.Time, disableAfter time.Duration) error

	// ReleaseDelivery makes a claimed delivery due at at again, counting
	// no attempt (a dispatcher stopping before it could send it).
	ReleaseDelivery(ctx context.Context, d *Delivery, at time.Time) error
}

// NewWebhookSecret returns a fresh signing secret: WebhookSecretPrefix and
// the standard base64 of 32 bytes from crypto/rand.
func NewWebhookSecret() string {
	b := make([]byte, webhookSecretBytes)
	_, _ = rand.Read(b) // never fails; crashes the program if the system generator does
	return WebhookSecretPrefix + base64.StdEncoding.EncodeToString(b)
}

// WebhookSecretKey returns the HMAC key of a secret: the bytes its base64
// part encodes.
func WebhookSecretKey(secret string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, WebhookSecretPrefix))
	if err != nil || len(key) == 0 {
		return nil, errors.New("webhook secret is not whsec_ followed by base64")
	}
	return key, nil
}

// CheckWebhookURL reports whether raw may be an endpoint: the rules of
// original_url (CheckURLAt), except that allowPrivate (WEBHOOK_ALLOW_PRIVATE,
// for development and tests) lifts those about where the host is: private
// and loopback addresses, local names, single-label names and this
// service's own host. Returns EINVALID at location.
func CheckWebhookURL(location, raw string, ownHosts []string, allowPrivate bool) error {
	msg := urlProblem(raw, ownHosts)
	if allowPrivate && slices.Contains(placeProblems, msg) {
		msg = ""
	}
	if msg != "" {
		return Invalid(location, msg, raw)
	}
	return nil
}

// placeProblems are the URL problems about where a host is, not about its
// syntax.
var placeProblems = []string{msgURLPrivate, msgURLLocalName, msgURLOwnHost, msgURLSingleLabel}

// IsGlobalAddr reports whether a is globally routable: what an endpoint's
// address must be at connect time (after DNS), as an IP literal host must
// be at creation.
func IsGlobalAddr(a netip.Addr) bool { return isGlobalAddr(a) }

// CheckWebhookEvents parses the events of an endpoint at location: at
// least one, each of WebhookEvents; repeats dropped. Returns them in
// WebhookEvents order, or EINVALID.
func CheckWebhookEvents(location string, names []string) ([]string, error) {
	if len(names) == 0 {
		return nil, Invalid(location, "at least one event is required", nil)
	}
	var errs []error
	for i, n := range names {
		if !slices.Contains(WebhookEvents, n) {
			errs = append(errs, Invalid(location+"["+strconv.Itoa(i)+"]",
				"unknown event; use link.created, link.updated, link.deleted or link.clicked", n))
		}
	}
	if err := JoinInvalid(errs...); err != nil {
		return nil, err
	}
	var out []string
	for _, e := range WebhookEvents {
		if slices.Contains(names, e) {
			out = append(out, e)
		}
	}
	return out, nil
}

// JoinEvents is the stored form of a webhook's events: space-separated,
// which the stores match with LIKE '% name %' on ' ' || events || ' '.
func JoinEvents(events []string) string { return strings.Join(events, " ") }

// SplitEvents reads the stored form of a webhook's events.
func SplitEvents(s string) []string { return strings.Fields(s) }

// MsgWebhookNotFound is the message of a webhook that does not exist or
// is not the caller's.
const MsgWebhookNotFound = "Webhook not found."
