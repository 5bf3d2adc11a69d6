package web

import (
	"context"
	"io"
	"net/netip"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/auth"
	"github.com/shortener-dev/shortener/links"
)

// Accounts creates and changes user accounts.
type Accounts interface {
	// Register creates an account. Returns EINVALID for a bad email, weak
	// password or bad name (with field errors at body.email,
	// body.password, body.full_name) and ECONFLICT when the email is taken.
	Register(ctx context.Context, email, password, fullName string) (*shortener.User, error)

	// UpdateProfile changes the caller's name and/or password and returns
	// the user as stored. A new password needs the current one: EFORBIDDEN
	// when it is wrong, EINVALID for a weak one (body.password) or a bad
	// name (body.full_name). A new password ends the user's other sessions.
	UpdateProfile(ctx context.Context, caller *shortener.User, in ProfileUpdate) (*shortener.User, error)
}

// Sessions are browser logins backed by the API's refresh tokens, so that
// rotation, reuse detection and logout work the same for both.
type Sessions interface {
	// Start checks the credentials and starts a session; token is the
	// session cookie's value. Returns EUNAUTHORIZED for wrong credentials
	// (the same answer for an unknown email).
	Start(ctx context.Context, email, password string, c auth.Client) (token string, err error)

	// Resume returns the user of a session token. When the token was
	// rotated (it was due for rotation), next is the new token to set in
	// the cookie, else "". Returns EUNAUTHORIZED for a bad, revoked or
	// expired session.
	Resume(ctx context.Context, token string, c auth.Client) (u *shortener.User, next string, err error)

	// End revokes the session (its refresh token family). Unknown tokens
	// are not an error.
	End(ctx context.Context, token string) error
}

// Links manages short links with the permissions of the caller (nil when
// signed out).
type Links interface {
	// Create shortens a URL. Returns EINVALID with field errors
	// (body.original_url, body.custom_alias, body.title, body.expires_at)
	// and ECONFLICT when the alias is taken.
	Create(ctx context.Context, caller *shortener.User, in links.CreateInput) (*shortener.Link, error)

	// CheckCreate and CheckUpdate report what Create and Update would
	// refuse in their input's values (EINVALID with every bad value), and
	// change nothing: a form that the app could not read whole still
	// shows the service's errors for its other fields.
	CheckCreate(in links.CreateInput) error
	CheckUpdate(in links.UpdateInput) error

	// Get returns a link the caller may read. Returns ENOTFOUND otherwise,
	// also for a malformed id.
	Get(ctx context.Context, caller *shortener.User, id string) (*shortener.Link, error)

	// List returns one page of links, newest first: the caller's own, or
	// everyone's when q.AllOwners is set and the caller is an admin. A page
	// past the end is empty, with the total.
	List(ctx context.Context, caller *shortener.User, q ListQuery) (*shortener.LinkPage, error)

	// Update changes a link the caller may manage (owner or admin).
	// Returns ENOTFOUND when the caller may not, EINVALID for bad values.
	Update(ctx context.Context, caller *shortener.User, id string, in links.UpdateInput) (*shortener.Link, error)

	// Delete deletes a link the caller may manage. Returns ENOTFOUND when
	// the caller may not.
	Delete(ctx context.Context, caller *shortener.User, id string) error

	// ShortURL returns the public short URL of a link, on its domain.
	ShortURL(l *shortener.Link) string
}

// Summaries reads link analytics.
type Summaries interface {
	// Summary returns the analytics of the link with short code code on
	// the domain with ID domainID over
	// the last days UTC days, today included. Returns ENOTFOUND when the
	// caller is neither the owner nor an admin.
	Summary(ctx context.Context, caller *shortener.User, domainID, code string, days int) (*ClickSummary, error)
}

// QRCodes renders QR codes of short links.
type QRCodes interface {
	// QRCode returns a PNG or SVG of the short link of code (format
	// "png"|"svg", size in px). Returns ENOTFOUND for an unknown code.
	// domain is the host of the link's domain, "" for the default.
	QRCode(ctx context.Context, domain, code, format string, size int) (data []byte, contentType string, err error)
}

// Limiter is the API's rate limiter, so that the forms count against the
// same buckets as the API calls they stand for.
type Limiter interface {
	// Admit counts one request of class for the client (user nil when
	// signed out) and returns the decision with the limit it was counted
	// against; a limit of 0 means the request was not limited (no limit
	// set, or a limiter that failed and let it through).
	Admit(ctx context.Context, class shortener.RateClass, user *shortener.User, clientIP netip.Addr) (shortener.RateDecision, shortener.RateLimit)
}

// Keys manages the caller's API keys (the API's /api/v1/keys).
type Keys interface {
	// CreateKey makes a key; key is the key itself, shown this once.
	// Returns EINVALID with field errors (body.name, body.scopes,
	// body.scopes[i], body.expires_at).
	CreateKey(ctx context.Context, caller *shortener.User, name string, scopes []string, expiresAt *time.Time) (k *shortener.APIKey, key string, err error)

	// ListKeys returns the caller's keys, newest first.
	ListKeys(ctx context.Context, caller *shortener.User) ([]*shortener.APIKey, error)

	// RevokeKey deletes one of the caller's keys; it stops working at
	// once. Returns ENOTFOUND when the caller has no such key.
	RevokeKey(ctx context.Context, caller *shortener.User, id string) error
}

// Webhooks manages the caller's webhook endpoints (the API's
// /api/v1/webhooks). Each returns ENOTFOUND for an endpoint that is not
// the caller's.
type Webhooks interface {
	// Create adds an endpoint; the Webhook holds its secret, shown this
	// once. Returns EINVALID with field errors (body.url, body.events,
	// body.events[i], body.description).
	Create(ctx context.Context, caller *shortener.User, in shortener.WebhookInput) (*shortener.Webhook, error)
	List(ctx context.Context, caller *shortener.User) ([]*shortener.Webhook, error)
	Get(ctx context.Context, caller *shortener.User, id string) (*shortener.Webhook, error)
	// Update changes an endpoint; EINVALID as Create.
	Update(ctx context.Context, caller *shortener.User, id string, in shortener.WebhookUpdate) (*shortener.Webhook, error)
	Delete(ctx context.Context, caller *shortener.User, id string) error
	// Deliveries returns the endpoint's last attempts, newest first.
	Deliveries(ctx context.Context, caller *shortener.User, id string) ([]*shortener.DeliveryAttempt, error)
	// Ping queues a test ping.
	Ping(ctx context.Context, caller *shortener.User, id string) error
}

// Rate-limit classes, as the API names its buckets.
const (
	classLogin    = shortener.RateLogin
	classRegister = shortener.RateRegister
	classUser     = shortener.RateGeneral
)

// Organiser finds and moves the caller's links: the tags for the list's
// filter, the CSV export and import (links.Service).
type Organiser interface {
	// Tags returns the caller's tags with their link counts, by tag.
	Tags(ctx context.Context, caller *shortener.User) ([]shortener.TagCount, error)

	// Export calls fn with every link of the caller that q selects (paging
	// ignored). Returns EINVALID for a bad query before fn is first called.
	Export(ctx context.Context, caller *shortener.User, q ListQuery, fn func(*shortener.Link) error) error

	// Import creates a link for each record of a CSV file, with the
	// aliases of its alias column or generated codes. Returns EINVALID,
	// importing nothing, for a file without a header row or an
	// original_url column.
	Import(ctx context.Context, caller *shortener.User, r io.Reader, aliases bool) ([]links.ImportResult, error)
}

// ClickExports streams the raw clicks of a link (analytics.Service).
type ClickExports interface {
	// ExportClicks calls fn with the clicks of the link with short code
	// code on the domain with ID domainID in [from, to), oldest first.
	// Returns ENOTFOUND when the caller is neither the owner nor an admin,
	// EINVALID for a bad range, before fn is first called.
	ExportClicks(ctx context.Context, caller *shortener.User, domainID, code string, from, to time.Time, fn func(shortener.ClickEvent) error) error
}
