package domains

import (
	"context"
	"log/slog"
	"strings"

	"github.com/shortener-dev/shortener"
)

// placeholderHost is the default domain's host as the migration writes it,
// before the service first writes BASE_URL's.
const placeholderHost = "default.invalid"

// Service is the admin's management of domains, and keeps the registry in
// line with every change.
type Service struct {
	store    shortener.DomainStore
	registry *Registry
	clock    shortener.Clock
}

// NewService returns a Service over store that reloads registry on every
// change.
func NewService(store shortener.DomainStore, registry *Registry, clock shortener.Clock) *Service {
	if clock == nil {
		clock = shortener.SystemClock
	}
	return &Service{store: store, registry: registry, clock: clock}
}

// Input is a new domain as a request gives it.
type Input struct {
	Host        string
	NotFoundURL *string
	RootURL     *string
}

// Patch is a change of a domain; nil leaves a field, the Clear fields
// remove a URL.
type Patch struct {
	Host             *string
	NotFoundURL      *string
	ClearNotFoundURL bool
	RootURL          *string
	ClearRootURL     bool
}

var (
	errNotAdmin = shortener.Errorf(shortener.EFORBIDDEN, "Only an admin may change domains.")
	errDefault  = shortener.Errorf(shortener.ECONFLICT,
		"The default domain cannot be deleted or renamed; only its not-found and root URLs can change.")
)

// SyncDefault writes host (BASE_URL's) as the default domain's at start and
// says so in the log when it changed, since every link of the default
// domain then answers on the new host. It loads the registry after.
func (s *Service) SyncDefault(ctx context.Context, host string, logger *slog.Logger) error {
	previous, err := s.store.SetDefaultDomainHost(ctx, host)
	if err != nil {
		return err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	switch previous {
	case "", placeholderHost:
	default:
		logger.Warn("BASE_URL's host changed: the default domain's links now answer on the new host",
			slog.String("old_host", previous), slog.String("new_host", host))
	}
	return s.registry.Load(ctx)
}

// List returns every domain, the default first. Any signed-in user may
// list them (to choose one for a link).
func (s *Service) List(ctx context.Context) ([]*shortener.Domain, error) {
	return s.store.ListDomains(ctx)
}

// Get returns one domain; any signed-in user may read it, as List.
// Returns ENOTFOUND for an unknown or malformed ID.
func (s *Service) Get(ctx context.Context, id string) (*shortener.Domain, error) {
	id = strings.ToLower(id)
	if !shortener.IsID(id) {
		return nil, shortener.Errorf(shortener.ENOTFOUND, "%s", shortener.MsgDomainNotFound)
	}
	return s.store.DomainByID(ctx, id)
}

// Create adds a domain. Returns EFORBIDDEN for anyone but an admin,
// EINVALID for a bad host or URL, and ECONFLICT for a host that is
// already a domain.
func (s *Service) Create(ctx context.Context, caller *shortener.User, in Input) (*shortener.Domain, error) {
	if !caller.IsAdmin() {
		return nil, errNotAdmin
	}
	host, err := shortener.NormalizeDomainHost(in.Host)
	if err != nil {
		return nil, err
	}
	if err := s.checkURLs(host, in.NotFoundURL, in.RootURL); err != nil {
		return nil, err
	}
	d := &shortener.Domain{ID: shortener.NewIDAt(s.clock()), Host: host, NotFoundURL: in.NotFoundURL,
		RootURL: in.RootURL, CreatedAt: s.clock()}
	if err := s.store.CreateDomain(ctx, d); err != nil {
		return nil, hostTaken(err, host)
	}
	s.registry.Changed(ctx)
	return d, nil
}

// Update changes a domain. Returns EFORBIDDEN for anyone but an admin,
// ENOTFOUND for an unknown ID, ECONFLICT for a new host that is taken and
// for the default domain's host, and EINVALID for bad values.
func (s *Service) Update(ctx context.Context, caller *shortener.User, id string, p Patch) (*shortener.Domain, error) {
	if !caller.IsAdmin() {
		return nil, errNotAdmin
	}
	id = strings.ToLower(id)
	if !shortener.IsID(id) {
		return nil, shortener.Errorf(shortener.ENOTFOUND, "%s", shortener.MsgDomainNotFound)
	}
	u := shortener.DomainUpdate{NotFoundURL: p.NotFoundURL, ClearNotFoundURL: p.ClearNotFoundURL,
		RootURL: p.RootURL, ClearRootURL: p.ClearRootURL}
	current, err := s.store.DomainByID(ctx, id)
	if err != nil {
		return nil, err
	}
	host := current.Host
	if p.Host != nil {
		if host, err = shortener.NormalizeDomainHost(*p.Host); err != nil {
			return nil, err
		}
		if current.IsDefault() && host != current.Host {
			return nil, errDefault
		}
		u.Host = &host
	}
	// The URLs the domain keeps are checked against a new host too: a
	// not_found_url on the host it is renamed to would answer itself.
	notFound, root := p.NotFoundURL, p.RootURL
	if host != current.Host {
		if notFound == nil && !p.ClearNotFoundURL {
			notFound = current.NotFoundURL
		}
		if root == nil && !p.ClearRootURL {
			root = current.RootURL
		}
	}
	if err := s.checkURLs(host, notFound, root); err != nil {
		return nil, err
	}
	d, err := s.store.UpdateDomain(ctx, id, u)
	if err != nil {
		return nil, hostTaken(err, host)
	}
	s.registry.Changed(ctx)
	return d, nil
}

// hostTaken names the host as the field of a store's conflict, so that a
// form shows it next to the host (and the API's 409 lists it).
func hostTaken(err error, host string) error {
	if shortener.ErrorCode(err) != shortener.ECONFLICT {
		return err
	}
	return &shortener.Error{Code: shortener.ECONFLICT, Message: shortener.MsgHostTaken,
		Fields: []shortener.FieldError{{Location: "body.host", Message: "host is already a domain", Value: host}}}
}

// Delete deletes a domain no link uses. Returns EFORBIDDEN for anyone but
// an admin, ENOTFOUND for an unknown ID, and ECONFLICT for the default
// domain and while links use it.
func (s *Service) Delete(ctx context.Context, caller *shortener.User, id string) error {
	if !caller.IsAdmin() {
		return errNotAdmin
	}
	id = strings.ToLower(id)
	if id == shortener.DefaultDomainID {
		return errDefault
	}
	if !shortener.IsID(id) {
		return shortener.Errorf(shortener.ENOTFOUND, "%s", shortener.MsgDomainNotFound)
	}
	if err := s.store.DeleteDomain(ctx, id); err != nil {
		return err
	}
	s.registry.Changed(ctx)
	return nil
}

// checkURLs checks a domain's redirect targets as link targets are
// checked: host (the domain's own, new or changed) and every configured
// domain's are refused, since a redirect to one of them could loop (A's
// not_found_url on B, B's on A).
func (s *Service) checkURLs(host string, notFound, root *string) error {
	own := append([]string{host}, s.registry.Hosts()...)
	var errs []error
	if notFound != nil {
		errs = append(errs, shortener.CheckURLAt("body.not_found_url", *notFound, own))
	}
	if root != nil {
		errs = append(errs, shortener.CheckURLAt("body.root_url", *root, own))
	}
	return shortener.JoinInvalid(errs...)
}
