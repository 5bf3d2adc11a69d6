// Package links manages short links once for every storage engine:
// creation with generated or custom codes, ownership and visibility rules,
// updates and deletes that every instance sees at once.
package links

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"time"

	"github.com/shortener-dev/shortener"
)

// Service creates, reads, changes and deletes links.
type Service struct {
	links       shortener.LinkStore
	creates     *createQueue // single creates, stored in groups
	passwords   PasswordHasher
	invalidator shortener.Invalidator
	clock       shortener.Clock
	baseURL     string
	ownHosts    []string
	domains     Domains
	codeLength  int
	logger      *slog.Logger
}

// Domains tells the domains links may live on (domains.Registry).
type Domains interface {
	// Default returns the default domain.
	Default() *shortener.Domain
	// ByHost returns the domain of a stored host, or false.
	ByHost(host string) (*shortener.Domain, bool)
	// Hosts returns every domain's host.
	Hosts() []string
}

// Config configures a Service.
type Config struct {
	Links       shortener.LinkStore
	Invalidator shortener.Invalidator
	Clock       shortener.Clock
	BaseURL     string   // short URLs are shortener.LinkShortURL(BaseURL, link)
	OwnHosts    []string // host names of BASE_URL, lower-case; links to them are refused
	Domains     Domains  // nil: every link on the default domain
	CodeLength  int
	Logger      *slog.Logger   // gets invalidation failures
	Passwords   PasswordHasher // hashes link passwords
}

// NewService returns a Service.
func NewService(c Config) *Service {
	if c.Clock == nil {
		c.Clock = shortener.SystemClock
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{
		logger: c.Logger, links: c.Links, creates: newCreateQueue(c.Links), passwords: c.Passwords, invalidator: c.Invalidator, clock: c.Clock,
		baseURL: c.BaseURL, ownHosts: c.OwnHosts, domains: c.Domains, codeLength: c.CodeLength,
	}
}

// ShortURL returns the public short URL of a link, on its domain.
func (s *Service) ShortURL(l *shortener.Link) string { return shortener.LinkShortURL(s.baseURL, l) }

// CreateInput is a request to shorten a URL.
type CreateInput struct {
	OriginalURL string
	CustomAlias *string
	Title       *string
	ExpiresAt   *time.Time
	IsPublic    *bool
	// Disabled makes the link inactive from the start; the API's create
	// has no such field, a CSV import's is_active column has.
	Disabled bool
	Domain   *string // the host of the link's domain; nil for the default
	Options
}

// codeAttempts bounds retries on generated-code collisions.
const codeAttempts = 8

// Create shortens a URL for caller (nil for anonymous). Returns EINVALID
// for an unsafe URL, bad alias, title or past expiry, and ECONFLICT when
// the alias is taken.
func (s *Service) Create(ctx context.Context, caller *shortener.User, in CreateInput) (*shortener.Link, error) {
	l, err := s.prepare(caller, in, s.clock())
	if err != nil {
		return nil, err
	}
	if err := s.insert(ctx, l); err != nil {
		return nil, domainGone(err, l)
	}
	// The code may sit in a negative cache entry somewhere: drop it.
	s.invalidate(ctx, l.Key())
	return l, nil
}

// CheckCreate reports what Create would refuse in `in`: EINVALID with
// every bad value at once, or nil. Nothing is made. The web app asks it
// when its own reading of a form failed, so that one bad field does not
// hide the others.
func (s *Service) CheckCreate(in CreateInput) error {
	_, _, err := s.checkCreate(in, s.clock())
	return err
}

// checkCreate checks in and returns the domain and the options it names.
// Returns EINVALID for each bad value.
func (s *Service) checkCreate(in CreateInput, now time.Time) (*shortener.Domain, Options, error) {
	d, domainErr := s.domainOf(in.Domain, "body.domain")
	errs := []error{shortener.CheckURL(in.OriginalURL, s.OwnHosts()), domainErr}
	if in.CustomAlias != nil {
		errs = append(errs, shortener.CheckAlias(*in.CustomAlias))
	}
	if in.Title != nil {
		errs = append(errs, shortener.CheckTitle(*in.Title))
	}
	errs = append(errs, checkExpiry(in.ExpiresAt, now))
	opts, optErrs := s.checkOptions(in.Options)
	return d, opts, shortener.JoinInvalid(append(errs, optErrs...)...)
}

// prepare checks in and returns the link it makes, without a code yet.
// Returns EINVALID for each bad value.
func (s *Service) prepare(caller *shortener.User, in CreateInput, now time.Time) (*shortener.Link, error) {
	d, opts, err := s.checkCreate(in, now)
	if err != nil {
		return nil, err
	}
	hash, err := s.passwordHash(opts.Password)
	if err != nil {
		return nil, err
	}
	l := &shortener.Link{
		ID: shortener.NewIDAt(now), OriginalURL: in.OriginalURL, CustomAlias: in.CustomAlias,
		Title: in.Title, IsActive: !in.Disabled, IsPublic: true, CreatedAt: now, UpdatedAt: now,
		DomainID: d.ID, Domain: d.Host,
	}
	if in.IsPublic != nil {
		l.IsPublic = *in.IsPublic
	}
	if in.ExpiresAt != nil {
		t := in.ExpiresAt.UTC()
		l.ExpiresAt = &t
	}
	if caller != nil {
		l.OwnerID = &caller.ID
	}
	applyOptions(l, opts, hash)
	return l, nil
}

// insert stores l under its alias, or under a fresh generated code,
// retrying on collisions; uniqueness is the database's to enforce.
func (s *Service) insert(ctx context.Context, l *shortener.Link) error {
	if l.CustomAlias != nil {
		l.ShortCode = *l.CustomAlias
		err := s.creates.create(ctx, l)
		if shortener.ErrorCode(err) == shortener.ECONFLICT {
			return aliasTaken(*l.CustomAlias)
		}
		return err
	}
	for range codeAttempts {
		l.ShortCode = shortener.GenerateCode(s.codeLength)
		if shortener.IsReservedCode(l.ShortCode) {
			continue
		}
		err := s.creates.create(ctx, l)
		if shortener.ErrorCode(err) != shortener.ECONFLICT {
			return err
		}
	}
	return fmt.Errorf("create link: no free code after %d attempts", codeAttempts)
}

// aliasTaken is the conflict of a custom alias already in use.
func aliasTaken(alias string) error {
	return &shortener.Error{Code: shortener.ECONFLICT, Message: "This alias is already taken on this domain.",
		Fields: []shortener.FieldError{{Location: "body.custom_alias", Message: "alias is already taken", Value: alias}}}
}

// checkExpiry refuses an expiry that could not be answered again or that
// is not in the future.
func checkExpiry(t *time.Time, now time.Time) error {
	if t == nil {
		return nil
	}
	if err := shortener.CheckTimestamp("body.expires_at", "expires_at", *t); err != nil {
		return err
	}
	if !t.After(now) {
		return shortener.Invalid("body.expires_at", "expires_at must be in the future", t.UTC().Format(time.RFC3339))
	}
	return nil
}

// Get returns the link if caller may read it. Returns ENOTFOUND otherwise,
// so that private links are not revealed.
func (s *Service) Get(ctx context.Context, caller *shortener.User, id string) (*shortener.Link, error) {
	if !shortener.IsID(id) {
		return nil, shortener.ErrLinkNotFound
	}
	l, err := s.links.LinkByID(ctx, strings.ToLower(id))
	if shortener.ErrorCode(err) == shortener.ENOTFOUND || (err == nil && !l.ReadableBy(caller)) {
		return nil, shortener.ErrLinkNotFound
	}
	return l, err
}

// List returns a page of caller's links that q selects, in q's order
// (page from 1, size from 1), or with q.AllOwners every user's links,
// which only an admin may list (EFORBIDDEN for anyone else). A page past
// the end has no links, however far past. Returns EINVALID for a bad
// search, tag or sort.
func (s *Service) List(ctx context.Context, caller *shortener.User, q ListQuery) (*shortener.LinkPage, error) {
	lq, err := s.linkQuery(caller, q)
	if err != nil {
		return nil, err
	}
	lq.Offset, lq.Limit = pageOffset(q.Page, q.Size), q.Size
	return s.links.ListLinks(ctx, lq)
}

// linkQuery checks q and returns the store's query for caller.
func (s *Service) linkQuery(caller *shortener.User, q ListQuery) (shortener.LinkQuery, error) {
	if q.AllOwners && !caller.IsAdmin() {
		return shortener.LinkQuery{}, errAllOwners
	}
	errs := []error{shortener.CheckSearch("query.q", q.Search)}
	if q.Sort != "" {
		errs = append(errs, shortener.CheckLinkSort("query.sort", q.Sort))
	}
	tags, err := shortener.NormalizeTags("query.tag", q.Tags)
	errs = append(errs, err)
	var domainID string
	if q.Domain != "" {
		d, err := s.domainOf(&q.Domain, "query.domain")
		errs, domainID = append(errs, err), d.ID
	}
	if err := shortener.JoinInvalid(errs...); err != nil {
		return shortener.LinkQuery{}, err
	}
	return shortener.LinkQuery{
		OwnerID: caller.ID, AllOwners: q.AllOwners, DomainID: domainID, Search: q.Search, Tags: tags,
		Active: q.Active, Expired: q.Expired, Now: s.clock(), Sort: shortener.LinkSort(q.Sort),
	}, nil
}

var errAllOwners = &shortener.Error{Code: shortener.EFORBIDDEN, Message: "Only an admin may list every user's links.",
	Fields: []shortener.FieldError{{Location: "query.owner", Message: "owner=all needs the admin role", Value: "all"}}}

// pageOffset is the offset of a page: (page-1)*size, or math.MaxInt where
// that does not fit in an int. Past the end either way; a wrapped product
// (page=9223372036854775807, size=2 gives -4) would have answered page 1.
func pageOffset(page, size int) int {
	if page < 1 || size < 1 {
		return 0
	}
	if page-1 > math.MaxInt/size {
		return math.MaxInt
	}
	return (page - 1) * size
}

// manageable loads a link that caller may change; ENOTFOUND otherwise.
func (s *Service) manageable(ctx context.Context, caller *shortener.User, id string) (*shortener.Link, error) {
	if !shortener.IsID(id) {
		return nil, shortener.ErrLinkNotFound
	}
	l, err := s.links.LinkByID(ctx, strings.ToLower(id))
	if shortener.ErrorCode(err) == shortener.ENOTFOUND || (err == nil && !l.ManageableBy(caller)) {
		return nil, shortener.ErrLinkNotFound
	}
	return l, err
}

// Delete deletes a link caller may manage; its code stops redirecting on
// every instance at once. Returns ENOTFOUND when caller may not.
func (s *Service) Delete(ctx context.Context, caller *shortener.User, id string) error {
	l, err := s.manageable(ctx, caller, id)
	if err != nil {
		return err
	}
	if err := s.links.DeleteLink(ctx, l.ID); err != nil {
		return err
	}
	s.invalidate(ctx, l.Key())
	return nil
}

// invalidateTimeout bounds a broadcast once the request no longer does.
const invalidateTimeout = 2 * time.Second

// invalidate drops the link keys from the caches of every instance. The change is
// already committed, so a failure (Redis down) does not fail the request:
// it is logged, this instance's own L1 is dropped regardless, and the L1
// lifetime bounds how long other instances can serve the old answer.
//
// The broadcast outlives the request: a client that hangs up once the
// change is committed must not cancel it (seen under load as "context
// canceled" for the requests in flight when wrk stopped).
func (s *Service) invalidate(ctx context.Context, keys ...string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), invalidateTimeout)
	defer cancel()
	if len(keys) == 0 {
		return
	}
	if err := s.invalidator.Invalidate(ctx, keys...); err != nil {
		s.logger.WarnContext(ctx, "cache invalidation not broadcast", slog.String("key", keys[0]),
			slog.Int("keys", len(keys)), slog.Any("error", err))
	}
}

// ListQuery selects one page of links: the caller's own, or with
// AllOwners (admins only) every user's, filtered and sorted (API.md,
// "Organising links").
type ListQuery struct {
	Page      int // from 1
	Size      int // from 1
	AllOwners bool
	Domain    string   // only the links of the domain with this host; "" for all
	Search    string   // substring of code, title or URL, any case; "" for any
	Tags      []string // a link must carry all of them
	Active    *bool
	Expired   *bool
	Sort      string // one of shortener.LinkSorts; "" newest first
}
