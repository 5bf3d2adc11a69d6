package httpapi

import (
	"context"
	"io"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/auth"
	"github.com/shortener-dev/shortener/domains"
	"github.com/shortener-dev/shortener/links"
)

// The interfaces below are what the handlers need from the application, one
// per need, so that this package speaks HTTP only and its tests run against
// small fakes. cmd/shortener passes the concrete services. The redirect's
// lookup, the click recorder, the rate limiter and the health probes are
// already small interfaces of the root package (shortener.Resolver,
// ClickRecorder, RateLimiter, HealthChecker), which Config takes as they are.

// Authenticator tells who sends a request.
type Authenticator interface {
	// Authenticate returns the caller a credential (what follows
	// "Authorization: Bearer", or X-API-Key) belongs to: an access token's
	// user with every scope, or an API key's user with the key's scopes.
	// Returns EUNAUTHORIZED for a malformed, expired or wrongly signed
	// token, an unknown, revoked or expired key, and a user that is
	// unknown or inactive; any other error means the check itself failed.
	Authenticate(ctx context.Context, credential string) (*shortener.Caller, error)
}

// APIKeys manages the API keys of the caller, who must be a person (an
// access token): each returns EFORBIDDEN for an API key.
type APIKeys interface {
	// CreateKey makes a key and returns it with the key itself, shown
	// this once. Returns EINVALID for a bad name, scope or expiry.
	CreateKey(ctx context.Context, caller *shortener.Caller, in auth.KeyInput) (*shortener.APIKey, string, error)

	// ListKeys returns the caller's keys, newest first.
	ListKeys(ctx context.Context, caller *shortener.Caller) ([]*shortener.APIKey, error)

	// RevokeKey deletes one of the caller's keys; it stops working at
	// once on every instance. Returns ENOTFOUND when the caller has none
	// of that ID.
	RevokeKey(ctx context.Context, caller *shortener.Caller, id string) error
}

// Accounts registers users, logs them in and manages their refresh tokens.
type Accounts interface {
	// Register creates an account. Returns EINVALID for a bad email,
	// password or full name and ECONFLICT when the email is taken.
	Register(ctx context.Context, email, password, fullName string) (*shortener.User, error)

	// Login checks the credentials and starts a login. Returns
	// EUNAUTHORIZED, the same answer for an unknown email, a wrong password
	// and an inactive account.
	Login(ctx context.Context, email, password string, c auth.Client) (*auth.TokenPair, error)

	// Refresh rotates a refresh token: the presented one stops working.
	// Returns EUNAUTHORIZED for an unknown, expired, revoked or already
	// rotated token; an already rotated one also ends its login.
	Refresh(ctx context.Context, token string, c auth.Client) (*auth.TokenPair, error)

	// UpdateProfile changes the account of the bearer of an access token:
	// its full name, or its password given the current one, which ends the
	// user's other logins. Returns EUNAUTHORIZED for a bad token,
	// EFORBIDDEN for a wrong current password and EINVALID for bad values.
	UpdateProfile(ctx context.Context, bearer string, in auth.ProfileUpdate) (*shortener.User, error)

	// Logout ends the login of a refresh token. An unknown token is not an
	// error, so that logout tells nothing about token validity.
	Logout(ctx context.Context, token string) error
}

// Links creates, reads, changes and deletes short links on behalf of a
// caller, who is nil when the request carries no credential.
type Links interface {
	// Create shortens a URL; without a caller the link has no owner.
	// Returns EINVALID for an unsafe URL, a bad alias or title or an expiry
	// not in the future, and ECONFLICT when the alias is taken.
	Create(ctx context.Context, caller *shortener.User, in links.CreateInput) (*shortener.Link, error)

	// Get returns the link with the given ID if caller may read it. Returns
	// ENOTFOUND when there is none and when caller may not read it, so that
	// a private link is not revealed.
	Get(ctx context.Context, caller *shortener.User, id string) (*shortener.Link, error)

	// List returns a page (from 1) of caller's own links, newest first; a
	// page past the end has no links. caller must not be nil.
	// With q.AllOwners it lists every user's links, which only an admin
	// may: EFORBIDDEN for anyone else.
	List(ctx context.Context, caller *shortener.User, q links.ListQuery) (*shortener.LinkPage, error)

	// Update changes the link with the given ID; every instance redirects
	// by the change at once. Returns ENOTFOUND when there is none and when
	// caller may not manage it, and EINVALID for bad values.
	Update(ctx context.Context, caller *shortener.User, id string, in links.UpdateInput) (*shortener.Link, error)

	// Delete deletes the link with the given ID; its code stops redirecting
	// on every instance at once. Returns ENOTFOUND when there is none and
	// when caller may not manage it.
	Delete(ctx context.Context, caller *shortener.User, id string) error

	// ShortURL returns the public short URL of a link, on its domain.
	ShortURL(l *shortener.Link) string
}

// Domains manages the short domains. Writes are an admin's: each returns
// EFORBIDDEN for anyone else.
type Domains interface {
	// List returns every domain, the default first.
	List(ctx context.Context) ([]*shortener.Domain, error)

	// Get returns one domain. Returns ENOTFOUND for an unknown ID.
	Get(ctx context.Context, id string) (*shortener.Domain, error)

	// Create adds a domain. Returns EINVALID for a bad host or URL and
	// ECONFLICT for a host that is already a domain.
	Create(ctx context.Context, caller *shortener.User, in domains.Input) (*shortener.Domain, error)

	// Update changes a domain. Returns ENOTFOUND for an unknown ID,
	// ECONFLICT for a taken host and for the default domain's host, and
	// EINVALID for bad values.
	Update(ctx context.Context, caller *shortener.User, id string, p domains.Patch) (*shortener.Domain, error)

	// Delete deletes a domain. Returns ENOTFOUND for an unknown ID and
	// ECONFLICT for the default domain and while links use it.
	Delete(ctx context.Context, caller *shortener.User, id string) error
}

// HostDomains tells which domain a request is for (domains.Registry); it
// answers from memory, for every redirect.
type HostDomains interface {
	// ForHost returns the domain a Host header names; a host that is no
	// added domain is the default domain.
	ForHost(hostHeader string) *shortener.Domain
	// ByHost returns the domain of a stored host, or false.
	ByHost(host string) (*shortener.Domain, bool)
}

// Summaries answers the click summaries of links.
type Summaries interface {
	// Summary returns the summary of the link with short code code on the
	// domain with ID domainID over the
	// last days UTC days, today included. Returns ENOTFOUND when there is no
	// such link and when caller is neither its owner nor an admin, so that
	// the link is not revealed.
	Summary(ctx context.Context, caller *shortener.User, domainID, code string, days int) (*shortener.ClickSummary, error)

	// SummaryBetween is Summary over the UTC days from first to last
	// (midnights, both included). Returns EINVALID for an empty range or
	// one longer than 366 days.
	SummaryBetween(ctx context.Context, caller *shortener.User, domainID, code string, first, last time.Time) (*shortener.ClickSummary, error)
}

// ClickExports streams the raw clicks of links.
type ClickExports interface {
	// ExportClicks calls fn with the clicks of the link with short code
	// code on the domain with ID domainID in [from, to), oldest first (zero times: the last 30 days).
	// Returns ENOTFOUND as Summary does, and EINVALID for a bad range,
	// before fn is first called.
	ExportClicks(ctx context.Context, caller *shortener.User, domainID, code string, from, to time.Time, fn func(shortener.ClickEvent) error) error
}

// QRCodes renders the QR codes of short links.
type QRCodes interface {
	// QRCode returns the image for req, or an answer with NotModified set
	// when req.IfNoneMatch names the image's ETag. Returns ENOTFOUND when
	// the code is unknown or deleted (a disabled or expired link still has
	// its QR code) and EINVALID for options that cannot be rendered.
	QRCode(ctx context.Context, req shortener.QRRequest) (*shortener.QRImage, error)
}

// Webhooks manages the caller's webhook endpoints. Each returns ENOTFOUND
// for an endpoint that does not exist or is another user's.
type Webhooks interface {
	// Create adds an endpoint; the returned Webhook holds its secret, shown
	// this once. Returns EINVALID for a bad URL, event or description.
	Create(ctx context.Context, caller *shortener.User, in shortener.WebhookInput) (*shortener.Webhook, error)

	// List returns the caller's endpoints, newest first.
	List(ctx context.Context, caller *shortener.User) ([]*shortener.Webhook, error)

	// Get returns one of the caller's endpoints.
	Get(ctx context.Context, caller *shortener.User, id string) (*shortener.Webhook, error)

	// Update changes one of the caller's endpoints. Returns EINVALID for
	// bad values.
	Update(ctx context.Context, caller *shortener.User, id string, in shortener.WebhookUpdate) (*shortener.Webhook, error)

	// Delete deletes one of the caller's endpoints.
	Delete(ctx context.Context, caller *shortener.User, id string) error

	// Deliveries returns the endpoint's last attempts, newest first.
	Deliveries(ctx context.Context, caller *shortener.User, id string) ([]*shortener.DeliveryAttempt, error)

	// Ping queues a ping event for the endpoint.
	Ping(ctx context.Context, caller *shortener.User, id string) error
}

// Organiser tags, lists in bulk and moves the links of a signed-in caller
// (never nil); links.Service implements it.
type Organiser interface {
	// Tags returns the caller's tags with their link counts, by tag.
	Tags(ctx context.Context, caller *shortener.User) ([]shortener.TagCount, error)

	// CreateMany creates a link for each input as Create would, each on
	// its own, and returns their results in order.
	CreateMany(ctx context.Context, caller *shortener.User, ins []links.CreateInput) []links.BulkResult

	// Import creates a link for each record of a CSV file. Returns
	// EINVALID, importing nothing, for a file without a header row or an
	// original_url column.
	Import(ctx context.Context, caller *shortener.User, r io.Reader, aliases bool) ([]links.ImportResult, error)

	// Export calls fn with every link of the caller that q selects, in
	// q's order. Returns EINVALID or EFORBIDDEN for a bad query before fn
	// is first called.
	Export(ctx context.Context, caller *shortener.User, q links.ListQuery, fn func(*shortener.Link) error) error
}

// ClickCaps uses up the clicks of capped links (max_clicks); the link
// store is one.
type ClickCaps interface {
	// TakeLinkClick uses one of the link's clicks, atomically across every
	// instance: false when they are used up.
	TakeLinkClick(ctx context.Context, id string) (bool, error)
	// LinkClicksLeft reports whether the link has clicks left.
	LinkClicksLeft(ctx context.Context, id string) (bool, error)
}

// LinkPasswords checks the password of a password-protected link.
type LinkPasswords interface {
	// Check reports whether password is the one hash was made of.
	Check(hash, password string) bool
}
