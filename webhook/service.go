package webhook

import (
	"context"
	"strings"

	"github.com/shortener-dev/shortener"
)

// Service manages a user's endpoints: each call acts for caller, who sees
// and changes only their own (another user's endpoint is ENOTFOUND, so its
// existence is not revealed).
type Service struct {
	store        shortener.WebhookStore
	clock        shortener.Clock
	ownHosts     func() []string
	allowPrivate bool
}

// ServiceConfig configures a Service.
type ServiceConfig struct {
	Store shortener.WebhookStore
	Clock shortener.Clock // default shortener.SystemClock
	// OwnHosts returns the service's own hosts (BASE_URL's and every
	// domain's): endpoints there are refused, as link targets are.
	OwnHosts func() []string
	// AllowPrivate accepts endpoints on private and loopback addresses
	// and local names (WEBHOOK_ALLOW_PRIVATE).
	AllowPrivate bool
}

// NewService returns a Service.
func NewService(c ServiceConfig) *Service {
	if c.Clock == nil {
		c.Clock = shortener.SystemClock
	}
	if c.OwnHosts == nil {
		c.OwnHosts = func() []string { return nil }
	}
	return &Service{store: c.Store, clock: c.Clock, ownHosts: c.OwnHosts, allowPrivate: c.AllowPrivate}
}

var errNotFound = shortener.Errorf(shortener.ENOTFOUND, "%s", shortener.MsgWebhookNotFound)

// Create adds an endpoint for caller, active, with a fresh secret (in the
// returned Webhook: show it this once). Returns EINVALID for a bad URL,
// event or description.
func (s *Service) Create(ctx context.Context, caller *shortener.User, in shortener.WebhookInput) (*shortener.Webhook, error) {
	desc := strings.TrimSpace(in.Description)
	events, err := shortener.CheckWebhookEvents("body.events", in.Events)
	if err := shortener.JoinInvalid(s.checkURL(in.URL), err, checkDescription(desc)); err != nil {
		return nil, err
	}
	now := s.clock()
	w := &shortener.Webhook{ID: shortener.NewIDAt(now), UserID: caller.ID, URL: in.URL, Events: events, Description: desc,
		Secret: shortener.NewWebhookSecret(), IsActive: true, CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateWebhook(ctx, w); err != nil {
		return nil, err
	}
	return w, nil
}

func (s *Service) checkURL(raw string) error {
	return shortener.CheckWebhookURL("body.url", raw, s.ownHosts(), s.allowPrivate)
}

func checkDescription(desc string) error {
	return shortener.CheckDisplayText("body.description", "description", desc, shortener.MaxWebhookDescription)
}

// List returns caller's endpoints, newest first.
func (s *Service) List(ctx context.Context, caller *shortener.User) ([]*shortener.Webhook, error) {
	return s.store.ListWebhooks(ctx, caller.ID)
}

// Get returns caller's endpoint id. Returns ENOTFOUND when caller has none
// of that ID.
func (s *Service) Get(ctx context.Context, caller *shortener.User, id string) (*shortener.Webhook, error) {
	if !shortener.IsID(id) {
		return nil, errNotFound
	}
	w, err := s.store.WebhookByID(ctx, strings.ToLower(id))
	if shortener.ErrorCode(err) == shortener.ENOTFOUND || (err == nil && w.UserID != caller.ID) {
		return nil, errNotFound
	}
	return w, err
}

// Update changes caller's endpoint id. Enabling it again starts it with a
// clean slate (its failures are forgotten). Returns ENOTFOUND as Get does
// and EINVALID for bad values.
func (s *Service) Update(ctx context.Context, caller *shortener.User, id string, in shortener.WebhookUpdate) (*shortener.Webhook, error) {
	var errs []error
	u := shortener.WebhookUpdate{URL: in.URL, IsActive: in.IsActive}
	if in.URL != nil {
		errs = append(errs, s.checkURL(*in.URL))
	}
	if in.Events != nil {
		events, err := shortener.CheckWebhookEvents("body.events", *in.Events)
		errs, u.Events = append(errs, err), &events
	}
	if in.Description != nil {
		desc := strings.TrimSpace(*in.Description)
		errs, u.Description = append(errs, checkDescription(desc)), &desc
	}
	if err := shortener.JoinInvalid(errs...); err != nil {
		return nil, err
	}
	w, err := s.Get(ctx, caller, id)
	if err != nil {
		return nil, err
	}
	w, err = s.store.UpdateWebhook(ctx, w.ID, u, s.clock())
	if shortener.ErrorCode(err) == shortener.ENOTFOUND {
		return nil, errNotFound // deleted in between
	}
	return w, err
}

// Delete deletes caller's endpoint id with its pending deliveries and log.
// Returns ENOTFOUND as Get does.
func (s *Service) Delete(ctx context.Context, caller *shortener.User, id string) error {
	w, err := s.Get(ctx, caller, id)
	if err != nil {
		return err
	}
	if err := s.store.DeleteWebhook(ctx, w.ID); shortener.ErrorCode(err) != shortener.ENOTFOUND {
		return err
	}
	return errNotFound
}

// Deliveries returns the last attempts of caller's endpoint id, newest
// first. Returns ENOTFOUND as Get does.
func (s *Service) Deliveries(ctx context.Context, caller *shortener.User, id string) ([]*shortener.DeliveryAttempt, error) {
	w, err := s.Get(ctx, caller, id)
	if err != nil {
		return nil, err
	}
	return s.store.ListDeliveries(ctx, w.ID, shortener.MaxDeliveriesListed)
}

// Ping queues a ping event for caller's endpoint id, delivered like any
// event (also to a disabled endpoint, to try it before enabling it).
// Returns ENOTFOUND as Get does.
func (s *Service) Ping(ctx context.Context, caller *shortener.User, id string) error {
	w, err := s.Get(ctx, caller, id)
	if err != nil {
		return err
	}
	now := s.clock()
	err = s.store.EnqueuePing(ctx, w.ID, shortener.NewIDAt(now), shortener.EncodeEventData(shortener.PingData{WebhookID: w.ID}), now)
	if shortener.ErrorCode(err) == shortener.ENOTFOUND {
		return errNotFound
	}
	return err
}
