// Package domains manages the short domains links live on: the admin's
// calls (create, change, delete, with their rules), the default domain
// kept in line with BASE_URL, and the in-memory registry that the redirect
// asks, on every request, which domain a Host header names.
package domains

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/shortener-dev/shortener"
)

// ReloadInterval is how often a Registry reloads the domains on its own,
// so that a change another instance made is seen even without Redis.
const ReloadInterval = 30 * time.Second

// Registry is the in-memory view of the domains: host → domain for the
// redirect, ID → domain for links, and every host for the original_url
// check. It reloads on Changed (a change on this instance), on Reload (a
// broadcast from another) and every ReloadInterval. Reads never block.
type Registry struct {
	store   shortener.DomainStore
	logger  *slog.Logger
	current atomic.Pointer[snapshot]
	reload  chan struct{}
	// Notify, when set, tells the other instances that the domains
	// changed (Redis pub/sub); they call Reload.
	Notify func(ctx context.Context) error
}

// snapshot is one load of the domains; it is never changed once stored.
type snapshot struct {
	byHost map[string]*shortener.Domain // added domains and the default
	byID   map[string]*shortener.Domain
	def    *shortener.Domain
	hosts  []string
	list   []*shortener.Domain
}

// NewRegistry returns a Registry that knows only the default domain, with
// host defaultHost, until Load succeeds.
func NewRegistry(store shortener.DomainStore, defaultHost string, logger *slog.Logger) *Registry {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	r := &Registry{store: store, logger: logger, reload: make(chan struct{}, 1)}
	r.current.Store(newSnapshot([]*shortener.Domain{{ID: shortener.DefaultDomainID, Host: defaultHost}}))
	return r
}

func newSnapshot(list []*shortener.Domain) *snapshot {
	s := &snapshot{byHost: make(map[string]*shortener.Domain, len(list)), byID: make(map[string]*shortener.Domain, len(list)),
		list: list}
	for _, d := range list {
		s.byHost[d.Host] = d
		s.byID[d.ID] = d
		s.hosts = append(s.hosts, d.Host)
		if d.IsDefault() {
			s.def = d
		}
	}
	if s.def == nil { // a database without the row: never in practice
		s.def = &shortener.Domain{ID: shortener.DefaultDomainID}
	}
	return s
}

// Load reads the domains from the store; on error the previous view stays.
func (r *Registry) Load(ctx context.Context) error {
	list, err := r.store.ListDomains(ctx)
	if err != nil {
		return err
	}
	r.current.Store(newSnapshot(list))
	return nil
}

// Run reloads every ReloadInterval and whenever Reload asks, until ctx
// ends.
func (r *Registry) Run(ctx context.Context) {
	tick := time.NewTicker(ReloadInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-r.reload:
		}
		if err := r.Load(ctx); err != nil && ctx.Err() == nil {
			r.logger.Warn("domains not reloaded; serving the previous ones", slog.Any("error", err))
		}
	}
}

// Reload asks Run to reload soon.
func (r *Registry) Reload() {
	select {
	case r.reload <- struct{}{}:
	default:
	}
}

// ReloadNow reloads at once: after a change on this instance, so that its
// next request sees it, and when another instance changed the domains,
// which waits until every instance has them. If the load fails, Run
// retries.
func (r *Registry) ReloadNow(ctx context.Context) {
	if err := r.Load(ctx); err != nil {
		r.logger.Warn("domains not reloaded after a change", slog.Any("error", err))
		r.Reload()
	}
}

// Changed reloads at once after a change on this instance and tells the
// other instances.
func (r *Registry) Changed(ctx context.Context) {
	r.ReloadNow(ctx)
	if r.Notify != nil {
		if err := r.Notify(ctx); err != nil {
			r.logger.Warn("domain change not broadcast; other instances see it within their reload interval",
				slog.Any("error", err))
		}
	}
}

// ForHost returns the domain a Host header names (port, case and a
// trailing dot ignored); a host that is no added domain is the default.
func (r *Registry) ForHost(hostHeader string) *shortener.Domain {
	s := r.current.Load()
	if d, ok := s.byHost[hostHeader]; ok { // the usual spelling: no copy
		return d
	}
	if d, ok := s.byHost[shortener.RequestHost(hostHeader)]; ok {
		return d
	}
	return s.def
}

// ByHost returns the domain of a host as a client writes it (case, a
// trailing dot and Unicode or punycode spelling ignored:
// shortener.DomainKey), or false.
func (r *Registry) ByHost(host string) (*shortener.Domain, bool) {
	d, ok := r.current.Load().byHost[shortener.DomainKey(host)]
	return d, ok
}

// ByID returns the domain with the given ID, or false.
func (r *Registry) ByID(id string) (*shortener.Domain, bool) {
	d, ok := r.current.Load().byID[id]
	return d, ok
}

// Default returns the default domain.
func (r *Registry) Default() *shortener.Domain { return r.current.Load().def }

// Hosts returns the host of every domain: original_url may point to none
// of them (redirect loops). The slice must not be changed.
func (r *Registry) Hosts() []string { return r.current.Load().hosts }

// List returns every domain, the default first. The slice must not be
// changed.
func (r *Registry) List() []*shortener.Domain { return r.current.Load().list }
