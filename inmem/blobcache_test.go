package inmem

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/cachetest"
	"github.com/shortener-dev/shortener/internal/testenv"
)

// newBlobClock returns a fake clock that only moves when told to.
func newBlobClock() *testenv.Clock {
	return testenv.NewClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
}

func TestBlobCacheConformance(t *testing.T) {
	cachetest.RunBlobCache(t, func(t *testing.T) (shortener.BlobCache, cachetest.Advance) {
		clock := newBlobClock()
		return NewBlobCache(64<<20, clock.Now), clock.Advance
	})
}

// The entry lives for exactly its ttl on the injected clock: still there a
// nanosecond before, gone at the instant it ends.
func TestBlobCacheTTLBoundary(t *testing.T) {
	ctx := context.Background()
	clock := newBlobClock()
	c := NewBlobCache(1<<20, clock.Now)
	if err := c.Set(ctx, "k", []byte("v"), time.Minute); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute - time.Nanosecond)
	if _, ok, _ := c.Get(ctx, "k"); !ok {
		t.Fatal("entry gone before its ttl")
	}
	clock.Advance(time.Nanosecond)
	if v, ok, _ := c.Get(ctx, "k"); ok {
		t.Fatalf("entry still served at its ttl: %q", v)
	}
}

// The byte budget holds: after writing far more than maxBytes, what the
// cache still serves fits in it, and it is not far below it either.
func TestBlobCacheByteBudget(t *testing.T) {
	ctx := context.Background()
	const maxBytes = 64 << 10
	c := NewBlobCache(maxBytes, newBlobClock().Now)
	value := make([]byte, 1000)
	const n = 500 // about 500 KB written into a 64 KB budget
	for i := range n {
		if err := c.Set(ctx, fmt.Sprintf("key-%03d", i), value, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	// Eviction runs in otter's maintenance; CleanUp forces it so that the
	// count below is deterministic.
	c.cache.CleanUp()
	var held int64
	for i := range n {
		key := fmt.Sprintf("key-%03d", i)
		if v, ok, _ := c.Get(ctx, key); ok {
			held += int64(len(key) + len(v))
		}
	}
	if held > maxBytes {
		t.Fatalf("cache serves %d bytes, budget is %d", held, maxBytes)
	}
	if held < maxBytes/2 {
		t.Fatalf("cache serves only %d bytes of a %d budget", held, maxBytes)
	}
}

// An entry larger than the whole budget is not kept (and does not evict
// everything else to make room).
func TestBlobCacheOversizedValue(t *testing.T) {
	ctx := context.Background()
	c := NewBlobCache(1<<10, newBlobClock().Now)
	if err := c.Set(ctx, "small", []byte("s"), time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := c.Set(ctx, "huge", make([]byte, 4<<10), time.Hour); err != nil {
		t.Fatal(err)
	}
	c.cache.CleanUp()
	if _, ok, _ := c.Get(ctx, "huge"); ok {
		t.Fatal("a value larger than the budget is served")
	}
	if _, ok, _ := c.Get(ctx, "small"); !ok {
		t.Fatal("the small entry was evicted for an entry that cannot fit")
	}
}
