package inmem

import (
	"bytes"
	"context"
	"math"
	"time"

	"github.com/maypok86/otter/v2"

	"github.com/shortener-dev/shortener"
)

var _ shortener.BlobCache = (*BlobCache)(nil)

// DefaultBlobCacheBytes is the budget NewBlobCache uses when given none.
const DefaultBlobCacheBytes = 64 << 20

// BlobCache is the in-process shortener.BlobCache of the embedded mode: a
// byte-budgeted cache with a lifetime per entry. When the budget is full the
// entries least likely to be read again are evicted first (otter's W-TinyLFU).
type BlobCache struct {
	cache *otter.Cache[string, blob]
}

// blob carries its own ttl so that otter's expiry calculator can give each
// entry the lifetime its Set asked for.
type blob struct {
	data []byte
	ttl  time.Duration
}

// NewBlobCache returns a cache holding at most maxBytes of keys and values
// (DefaultBlobCacheBytes when maxBytes <= 0). Lifetimes are measured with
// clock (shortener.SystemClock when nil), so tests can move time.
func NewBlobCache(maxBytes int64, clock shortener.Clock) *BlobCache {
	if maxBytes <= 0 {
		maxBytes = DefaultBlobCacheBytes
	}
	if clock == nil {
		clock = shortener.SystemClock
	}
	c := otter.Must(&otter.Options[string, blob]{
		MaximumWeight: uint64(maxBytes),
		Weigher: func(key string, b blob) uint32 {
			return uint32(min(len(key)+len(b.data), math.MaxUint32))
		},
		ExpiryCalculator: otter.ExpiryWritingFunc(func(e otter.Entry[string, blob]) time.Duration {
			return e.Value.ttl
		}),
		Clock: otterClock{now: clock},
	})
	return &BlobCache{cache: c}
}

// Get returns a copy of the value of key; false when it is missing or its
// ttl has passed on the clock.
func (c *BlobCache) Get(_ context.Context, key string) ([]byte, bool, error) {
	b, ok := c.cache.GetIfPresent(key)
	if !ok {
		return nil, false, nil
	}
	return bytes.Clone(b.data), true, nil
}

// Set stores a copy of value under key for ttl. A ttl <= 0 removes key
// instead: a value that is already expired must not be served.
func (c *BlobCache) Set(_ context.Context, key string, value []byte, ttl time.Duration) error {
	if ttl <= 0 {
		c.cache.Invalidate(key)
		return nil
	}
	// Copy so that a caller reusing its buffer cannot change what is cached;
	// a non-nil empty slice keeps an empty value distinct from a miss.
	data := append(make([]byte, 0, len(value)), value...)
	c.cache.Set(key, blob{data: data, ttl: ttl})
	return nil
}

// Delete removes the keys; missing keys are ignored.
func (c *BlobCache) Delete(_ context.Context, keys ...string) error {
	for _, k := range keys {
		c.cache.Invalidate(k)
	}
	return nil
}

// otterClock lets otter measure lifetimes with the injected shortener.Clock.
type otterClock struct {
	now shortener.Clock
}

func (c otterClock) NowNano() int64 { return c.now().UnixNano() }

// Tick drives otter's periodic removal of expired entries. The ticker is
// collected with the cache (otter's clean-up goroutine returns once the cache
// is unreachable, and an unreferenced ticker is garbage since Go 1.23).
func (c otterClock) Tick(d time.Duration) <-chan time.Time {
	return time.NewTicker(d).C
}
