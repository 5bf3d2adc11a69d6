package shortener

import (
	"context"
	"strings"
	"time"
)

// Link is a short link.
type Link struct {
	ID          string
	ShortCode   string // case-sensitive, unique per domain; the custom alias when one was given
	DomainID    string // the link's domain; "" or DefaultDomainID for the default
	Domain      string // the domain's host, as the stores read it
	OriginalURL string
	CustomAlias *string
	Title       *string
	OwnerID     *string // nil for links created anonymously
	IsActive    bool
	IsPublic    bool
	ExpiresAt   *time.Time
	ClickCount  int64
	CreatedAt   time.Time
	UpdatedAt   time.Time

	// Options (API.md, "Link options").
	RedirectType int        // 301, 302, 307 or 308
	ForwardQuery bool       // merge the request's query into the target's
	ValidSince   *time.Time // before it the code answers 404
	MaxClicks    *int64     // human redirects answered at most; nil uncapped
	ClicksUsed   int64      // of MaxClicks: taken while capped, and at least ClickCount once a cap is set; not in the API's Link object
	PasswordHash string     // bcrypt of the link's password; "" for none
	Rules        []TargetRule
	Variants     []Variant // nil: no A/B split

	// Tags organise a user's links (NormalizeTags): lower-case, sorted,
	// without duplicates; nil for none.
	Tags []string
}

// Key is the link's LinkKey: what the caches and invalidations know it by.
func (l *Link) Key() string { return LinkKey(l.DomainID, l.ShortCode) }

// UsedUp reports whether l's max_clicks are all used: its redirect
// answers 410.
func (l *Link) UsedUp() bool { return l.MaxClicks != nil && l.ClicksUsed >= *l.MaxClicks }

// Expired reports whether l has expired at now.
func (l *Link) Expired(now time.Time) bool {
	return l.ExpiresAt != nil && !now.Before(*l.ExpiresAt)
}

// ReadableBy reports whether u may read l through the API: a public link, or
// one that u may manage. u is nil for an anonymous caller. Redirects ignore
// this rule: a private link still redirects.
func (l *Link) ReadableBy(u *User) bool {
	return l.IsPublic || l.ManageableBy(u)
}

// ManageableBy reports whether u may change or delete l or read its
// analytics: its owner or an admin. u is nil for an anonymous caller, who
// manages nothing; a link created anonymously has no owner, so only an admin
// manages it.
func (l *Link) ManageableBy(u *User) bool {
	if u == nil {
		return false
	}
	return u.IsAdmin() || (l.OwnerID != nil && *l.OwnerID == u.ID)
}

// LinkNotFoundMessage is the client-facing message of a missing link. Every
// package that answers "no such link" uses it, so the API says the same
// whichever layer noticed.
const LinkNotFoundMessage = "Link not found."

// ErrLinkNotFound is the ENOTFOUND error of a link that does not exist, and
// of one the caller may not see: the same answer, so that a private link is
// not revealed.
var ErrLinkNotFound = Errorf(ENOTFOUND, LinkNotFoundMessage)

// ErrDomainGone is a LinkStore's answer to a link written to a domain
// that was deleted after the caller looked it up (the link's foreign key
// refused it): to the client, a domain that is none of the service's.
var ErrDomainGone = Errorf(ENOTFOUND, "The domain no longer exists.")

// ShortURL returns the public URL of code: baseURL (trailing slashes
// dropped), a slash and the code.
func ShortURL(baseURL, code string) string {
	return strings.TrimRight(baseURL, "/") + "/" + code
}

// LinkShortURL returns the public URL of l: on the default domain
// ShortURL(baseURL, code); on another, BASE_URL's scheme, the domain's host,
// a slash and the code.
func LinkShortURL(baseURL string, l *Link) string {
	if l.DomainID == "" || l.DomainID == DefaultDomainID || l.Domain == "" {
		return ShortURL(baseURL, l.ShortCode)
	}
	return DomainShortURL(baseURL, l.Domain, l.ShortCode)
}

// DomainShortURL returns the short URL of code on the domain host, with
// BASE_URL's scheme.
func DomainShortURL(baseURL, host, code string) string {
	scheme := "https"
	if strings.HasPrefix(baseURL, "http://") {
		scheme = "http"
	}
	return scheme + "://" + host + "/" + code
}

// LinkUpdate names the fields of a link to change, as a PATCH does: nil
// (and false) leave a field as it is; ClearTitle and ClearExpiry set those
// to none.
type LinkUpdate struct {
	OriginalURL *string
	Title       *string
	ClearTitle  bool
	ExpiresAt   *time.Time
	ClearExpiry bool
	IsActive    *bool
	IsPublic    *bool
	DomainID    *string // moves the link to another domain, where its code must be free

	RedirectType    *int
	ForwardQuery    *bool
	ValidSince      *time.Time
	ClearValidSince bool
	MaxClicks       *int64
	ClearMaxClicks  bool
	PasswordHash    *string // "" removes the password
	Rules           *[]TargetRule
	Variants        *[]Variant
	ClearVariants   bool
	Tags            *[]string // replaces the list; normalised (NormalizeTags)
}

// LinkPage is one page of a user's links.
type LinkPage struct {
	Links []*Link
	Total int
}

// LinkStore keeps links.
type LinkStore interface {
	// CreateLink inserts l (ID and timestamps set by the caller) on its
	// domain (the default when DomainID is ""). Returns ECONFLICT if its
	// short code is taken on that domain (codes are case-sensitive).
	CreateLink(ctx context.Context, l *Link) error

	// LinkByID returns the link with the given ID.
	// Returns ENOTFOUND if there is none.
	LinkByID(ctx context.Context, id string) (*Link, error)

	// LinkByCode returns the link with the given short code
	// (case-sensitive) on the domain with the given ID.
	// Returns ENOTFOUND if there is none.
	LinkByCode(ctx context.Context, domainID, code string) (*Link, error)

	// CreateLinks inserts the links whose short codes are free, in one
	// transaction, each with its link.created event as CreateLink writes
	// it, and reports for each whether it was inserted (false: its code is
	// taken, also by an earlier link of the same call).
	CreateLinks(ctx context.Context, ls []*Link) ([]bool, error)

	// ListLinks returns the links q selects, in q.Sort's order (ties by
	// created_at newest first, then ID), skipping q.Offset and returning at
	// most q.Limit, with the count of all it selects. An owner ID that is
	// no ID selects nothing.
	ListLinks(ctx context.Context, q LinkQuery) (*LinkPage, error)

	// EachLink calls fn with every link q selects, in q's order, ignoring
	// q.Offset and q.Limit, reading one snapshot; it stops at fn's first
	// error, which it returns. Memory does not grow with the count.
	EachLink(ctx context.Context, q LinkQuery, fn func(*Link) error) error

	// TagCounts returns the tags of the owner's links with how many links
	// carry each, ordered by tag. An owner ID that is no ID has none.
	TagCounts(ctx context.Context, ownerID string) ([]TagCount, error)

	// UpdateLink writes the fields that u names, and updated_at, in one
	// statement, and returns the link as stored. Fields u leaves alone keep
	// their stored value, so concurrent updates of different fields never
	// undo each other. Returns ENOTFOUND if there is no link with the ID
	// and ECONFLICT when the link moves to a domain where its code is taken.
	UpdateLink(ctx context.Context, id string, u LinkUpdate, now time.Time) (*Link, error)

	// DeleteLink deletes the link and its analytics.
	// Returns ENOTFOUND if there is none.
	DeleteLink(ctx context.Context, id string) error

	// TakeLinkClick uses one of the clicks of the link with the given ID
	// if it is capped (max_clicks), atomically across every instance: true
	// when one was left (always true for an uncapped link), false when they
	// are used up. Returns ENOTFOUND if there is no such link.
	TakeLinkClick(ctx context.Context, id string) (bool, error)

	// LinkClicksLeft reports whether a capped link has clicks left,
	// without using one (true for an uncapped link). Returns ENOTFOUND if
	// there is no such link.
	LinkClicksLeft(ctx context.Context, id string) (bool, error)

	// LinkKeys calls fn with the LinkKey of every link, in no particular
	// order, stopping at fn's first error, which it returns.
	LinkKeys(ctx context.Context, fn func(key string) error) error
}

// Target is what the redirect needs to know about a code: the cacheable
// projection of a Link. Found is false for an unknown code.
type Target struct {
	Found     bool
	LinkID    string
	URL       string
	Active    bool
	ExpiresAt time.Time // zero when the link never expires

	// The link's options (API.md, "Link options"); zero values are a plain
	// link's.
	RedirectType int       // 0 means DefaultRedirectType
	ForwardQuery bool      // merge the request's query into the target's
	ValidSince   time.Time // zero when the link is valid from its creation
	MaxClicks    int64     // 0 when uncapped
	PasswordHash string    // bcrypt; "" when the link has no password
	Rules        []TargetRule
	Variants     []Variant
}

// NeedsFacts reports whether deciding a visit to the link asks anything of
// the request (a cap, a password, rules, variants): a plain link answers
// without parsing its user agent or looking up its country.
func (t Target) NeedsFacts() bool {
	return t.MaxClicks > 0 || t.PasswordHash != "" || len(t.Rules) > 0 || len(t.Variants) > 0
}

// RedirectStatus returns the status of the link's redirects.
func (t Target) RedirectStatus() int { return RedirectStatusOf(t.RedirectType) }

// RedirectStatusOf returns a link's redirect status: redirectType, or the
// default for a link that names none (0).
func RedirectStatusOf(redirectType int) int {
	if redirectType == 0 {
		return DefaultRedirectType
	}
	return redirectType
}

// Expired reports whether the target has expired at now.
func (t Target) Expired(now time.Time) bool {
	return !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt)
}

// TargetOf returns the Target of l.
func TargetOf(l *Link) Target {
	t := Target{Found: true, LinkID: l.ID, URL: l.OriginalURL, Active: l.IsActive,
		RedirectType: l.RedirectType, ForwardQuery: l.ForwardQuery, PasswordHash: l.PasswordHash,
		Rules: l.Rules, Variants: l.Variants}
	if l.RedirectType == DefaultRedirectType {
		t.RedirectType = 0
	}
	if l.ExpiresAt != nil {
		t.ExpiresAt = *l.ExpiresAt
	}
	if l.ValidSince != nil {
		t.ValidSince = *l.ValidSince
	}
	if l.MaxClicks != nil {
		t.MaxClicks = *l.MaxClicks
	}
	return t
}

// Resolver looks up the redirect target of a link key (LinkKey: a code
// on a domain). Implementations are layered: the SQL store at the bottom,
// Redis and the in-process cache as decorators above it, each keyed by the
// link key.
type Resolver interface {
	// Resolve returns the target of key; Target.Found is false when the
	// code is unknown on its domain (that is not an error). Errors mean
	// the lookup itself failed.
	Resolve(ctx context.Context, key string) (Target, error)
}

// Invalidator drops cached targets of a link key, on this instance and on
// every other instance sharing the cache.
type Invalidator interface {
	// Invalidate drops the link keys from every cache layer and tells
	// the other instances to drop them from theirs: many keys (a bulk
	// create's) in one round trip.
	Invalidate(ctx context.Context, keys ...string) error
}

// StoreResolver resolves codes straight from a LinkStore: the bottom layer
// under the caches.
type StoreResolver struct{ Links LinkStore }

// Resolve returns the target of key, or a Target with Found false.
func (r StoreResolver) Resolve(ctx context.Context, key string) (Target, error) {
	domainID, code := SplitLinkKey(key)
	l, err := r.Links.LinkByCode(ctx, domainID, code)
	if ErrorCode(err) == ENOTFOUND {
		return Target{}, nil
	} else if err != nil {
		return Target{}, err
	}
	return TargetOf(l), nil
}
