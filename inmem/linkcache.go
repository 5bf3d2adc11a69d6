package inmem

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/maypok86/otter/v2"
	"github.com/shortener-dev/shortener"
	"golang.org/x/sync/singleflight"
)

// LinkCache is the L1 of the redirect: a bounded in-process cache of
// code → Target in front of another Resolver (Redis or SQL). Unknown codes
// are cached too, for a shorter time, so a flood of random codes does not
// reach the database; concurrent misses for one code make one lookup.
type LinkCache struct {
	next   shortener.Resolver
	cache  *otter.Cache[string, shortener.Target]
	flight singleflight.Group
	// epoch changes on every invalidation; a lookup that raced with one
	// does not store its (possibly stale) answer.
	epoch   atomic.Uint64
	filter  *CodeFilter // nil: no filter
	timeout time.Duration
}

var _ shortener.Resolver = (*LinkCache)(nil)

// LinkCacheOptions configures a LinkCache.
type LinkCacheOptions struct {
	Size        int           // entries; 0 disables caching
	MaxBytes    int64         // bytes the entries may take; 0 takes DefaultL1Bytes
	TTL         time.Duration // lifetime of a found target (bounds staleness if an invalidation is missed)
	NegativeTTL time.Duration // lifetime of an unknown code
	// Filter, when set, answers codes that certainly do not exist without
	// a lookup; Drop adds to it (creates are invalidated too) and DropAll
	// reloads it.
	Filter *CodeFilter
	// LookupTimeout bounds a lookup below the cache (0 takes
	// DefaultLookupTimeout): it serves every waiter, so it does not end
	// with any one caller's request, and a database that accepts the
	// query but never answers must still end in an error (503), not in
	// redirects that wait for ever.
	LookupTimeout time.Duration
}

// DefaultLookupTimeout is the LookupTimeout when none is given.
const DefaultLookupTimeout = 5 * time.Second

// NewLinkCache returns an L1 cache in front of next.
func NewLinkCache(next shortener.Resolver, o LinkCacheOptions) *LinkCache {
	c := &LinkCache{next: next, filter: o.Filter, timeout: o.LookupTimeout}
	if c.timeout <= 0 {
		c.timeout = DefaultLookupTimeout
	}
	if o.Size > 0 {
		if o.MaxBytes <= 0 {
			o.MaxBytes = DefaultL1Bytes
		}
		// otter bounds by weight alone: each entry weighs its bytes, but at
		// least MaxBytes/Size, so the cache also holds at most Size entries.
		minWeight := uint32(max(o.MaxBytes/int64(o.Size), 1))
		c.cache = otter.Must(&otter.Options[string, shortener.Target]{
			MaximumWeight: uint64(o.MaxBytes),
			Weigher: func(code string, t shortener.Target) uint32 {
				return max(targetBytes(code, t), minWeight)
			},
			ExpiryCalculator: otter.ExpiryWritingFunc(func(e otter.Entry[string, shortener.Target]) time.Duration {
				if e.Value.Found {
					return o.TTL
				}
				return o.NegativeTTL
			}),
		})
	}
	return c
}

// DefaultL1Bytes is the memory budget of the L1 when none is given. Links
// with rules and variants are far larger than plain ones, so the cache is
// bounded by bytes as well as entries.
const DefaultL1Bytes = 64 << 20

// targetBytes estimates the memory an entry takes: its strings and a
// fixed overhead for the struct and the cache's bookkeeping.
func targetBytes(code string, t shortener.Target) uint32 {
	n := 160 + len(code) + len(t.LinkID) + len(t.URL) + len(t.PasswordHash)
	for _, r := range t.Rules {
		n += 80 + len(r.URL)
		for _, list := range [...][]string{r.Devices, r.Countries, r.Languages} {
			for _, v := range list {
				n += 16 + len(v)
			}
		}
	}
	for _, v := range t.Variants {
		n += 32 + len(v.URL)
	}
	return uint32(min(n, 1<<30))
}

// Resolve returns the target of code from the cache, or looks it up once
// for all concurrent callers and caches the answer.
func (c *LinkCache) Resolve(ctx context.Context, code string) (shortener.Target, error) {
	if c.cache == nil {
		if c.filter != nil && !c.filter.MayExist(code) {
			return shortener.Target{}, nil
		}
		ctx, cancel := context.WithTimeout(ctx, c.timeout)
		defer cancel()
		return c.next.Resolve(ctx, code)
	}
	if t, ok := c.cache.GetIfPresent(code); ok {
		return t, nil
	}
	if c.filter != nil && !c.filter.MayExist(code) {
		return shortener.Target{}, nil
	}
	v, err, _ := c.flight.Do(code, func() (any, error) {
		epoch := c.epoch.Load()
		// The lookup serves every waiter: it must not die with the first
		// caller's request, only with its own time.
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.timeout)
		defer cancel()
		t, err := c.next.Resolve(lctx, code)
		if err == nil && c.epoch.Load() == epoch {
			c.cache.Set(code, t)
		}
		return t, err
	})
	if err != nil {
		return shortener.Target{}, err
	}
	return v.(shortener.Target), nil
}

// Drop removes code from the cache (an invalidation for this instance).
func (c *LinkCache) Drop(code string) {
	if c.filter != nil {
		c.filter.Add(code) // before the epoch: a racing lookup must not see "no such code"
	}
	c.epoch.Add(1)
	c.flight.Forget(code)
	if c.cache != nil {
		c.cache.Invalidate(code)
	}
}

// DropAll empties the cache, e.g. after missing invalidation messages.
func (c *LinkCache) DropAll() {
	if c.filter != nil {
		// Invalidations may have been missed, creates among them.
		c.filter.RequestReload()
	}
	c.epoch.Add(1)
	if c.cache != nil {
		c.cache.InvalidateAll()
	}
}

// Invalidator drops codes from an in-process LinkCache: the embedded
// mode's whole invalidation, since there is no other instance to tell.
type Invalidator struct{ Cache *LinkCache }

var _ shortener.Invalidator = Invalidator{}

// Invalidate drops the codes from the cache.
func (i Invalidator) Invalidate(_ context.Context, codes ...string) error {
	for _, code := range codes {
		i.Cache.Drop(code)
	}
	return nil
}
