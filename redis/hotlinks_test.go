package redis

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/testenv"
)

// Clicks counted on two instances add up in Redis; when the total crosses
// the threshold the url key's TTL is doubled, and later writes of the code
// use the doubled TTL too. A code below the threshold keeps the plain TTL.
func TestLinkCacheHotLink(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	client, prefix := testenv.Redis(t)
	next := newCountingResolver(map[string]shortener.Target{"hot": exampleTarget, "warm": exampleTarget})
	const ttl = time.Minute
	var errs errorLog
	opts := LinkCacheOptions{
		Prefix: prefix, TTL: ttl, HotThreshold: 4, HotFlushInterval: 20 * time.Millisecond,
		OnError: errs.record,
	}
	a := NewLinkCache(next, client, opts)
	b := NewLinkCache(next, client, opts)
	for _, c := range []*LinkCache{a, b} {
		go c.Run(ctx)
		t.Cleanup(func() { _ = c.Close() })
	}

	for _, code := range []string{"hot", "warm"} {
		if _, err := a.Resolve(ctx, code); err != nil {
			t.Fatal(err)
		}
		pollUntil(t, "url:"+code, func() bool { return keyExists(t, client, prefix+"url:"+code) })
	}
	for range 2 {
		a.Hit("hot")
		b.Hit("hot")
	}
	a.Hit("warm")
	b.Hit("warm")

	hotKey := prefix + "url:hot"
	pollUntil(t, "the doubled TTL", func() bool { return keyPTTL(t, client, hotKey) > ttl+ttl/2 })
	pollUntil(t, "the warm count", func() bool {
		n, _ := client.Get(ctx, prefix+"hot:warm").Int64()
		return n == 2
	})
	if d := keyPTTL(t, client, prefix+"url:warm"); d > ttl {
		t.Fatalf("a code below the threshold has TTL %v > %v", d, ttl)
	}
	// The counter's window is an hour.
	if d := keyPTTL(t, client, prefix+"hot:hot"); d <= 0 || d > time.Hour {
		t.Fatalf("hot counter TTL = %v, want within an hour", d)
	}
	if n, _ := client.Get(ctx, prefix+"hot:hot").Int64(); n != 4 {
		t.Fatalf("hot counter = %d, want 4", n)
	}

	// The instance that saw the crossing writes the code with 2×TTL from
	// now on. Which of the two it was depends on flush order; at least one
	// must remember.
	if err := client.Del(ctx, hotKey).Err(); err != nil {
		t.Fatal(err)
	}
	var remembering *LinkCache
	for _, c := range []*LinkCache{a, b} {
		if c.hot.isHot("hot", time.Now()) {
			remembering = c
		}
	}
	if remembering == nil {
		t.Fatal("no instance remembers the hot code")
	}
	if _, err := remembering.Resolve(ctx, "hot"); err != nil {
		t.Fatal(err)
	}
	pollUntil(t, "the rewritten url key", func() bool { return keyExists(t, client, hotKey) })
	if d := keyPTTL(t, client, hotKey); d <= ttl+ttl/2 {
		t.Fatalf("a hot code was rewritten with TTL %v, want about %v", d, 2*ttl)
	}
	if len(errs.ops) != 0 {
		t.Fatalf("unexpected Redis errors: %v", errs.ops)
	}
}

// Counts are sent when Run ends, so that a shutdown loses none.
func TestLinkCacheRunFlushesOnStop(t *testing.T) {
	client, prefix := testenv.Redis(t)
	c := NewLinkCache(newCountingResolver(nil), client, LinkCacheOptions{Prefix: prefix, HotFlushInterval: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		c.Run(ctx)
		close(done)
	}()
	for range 3 {
		c.Hit("x")
	}
	cancel()
	<-done
	if n, err := client.Get(context.Background(), prefix+"hot:x").Int64(); err != nil || n != 3 {
		t.Fatalf("hot:x = %d, %v after Run stopped; want 3", n, err)
	}
}

// The hot memory is per code and ends after an hour on the injected clock.
func TestHotCounterForgets(t *testing.T) {
	var h hotCounter
	h.init()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if !h.markHot("a", now) {
		t.Fatal("first markHot reported the code as already hot")
	}
	if h.markHot("a", now.Add(time.Minute)) {
		t.Fatal("markHot of a hot code reported it as new")
	}
	if h.isHot("b", now) {
		t.Fatal("an unmarked code is hot")
	}
	later := now.Add(time.Minute + hotWindow)
	if h.isHot("a", later) {
		t.Fatal("a code is still hot after its window")
	}
	h.forgetCold(later)
	if len(h.until) != 0 {
		t.Fatalf("forgetCold kept %d codes", len(h.until))
	}
}

// Between flushes each shard holds at most maxCodesPerShard codes; codes
// already counted keep counting when their shard is full.
func TestHotCounterBoundsCodes(t *testing.T) {
	var h hotCounter
	h.init()
	h.hit("first")
	for i := range hitShards * maxCodesPerShard * 3 / 2 {
		h.hit(strconv.Itoa(i))
	}
	h.hit("first")
	full := 0
	for i := range h.shards {
		switch n := len(h.shards[i].counts); {
		case n > maxCodesPerShard:
			t.Fatalf("shard %d holds %d codes, bound is %d", i, n, maxCodesPerShard)
		case n == maxCodesPerShard:
			full++
		}
	}
	if full == 0 {
		t.Fatal("no shard reached its bound; the test does not test it")
	}
	counts := h.take()
	if counts["first"] != 2 {
		t.Fatalf("count of a code in a full shard = %d, want 2", counts["first"])
	}
	if n := len(h.take()); n != 0 {
		t.Fatalf("take left %d codes behind", n)
	}
}

// A code that turns hot while an invalidation's tombstone holds its key
// keeps the tombstone's short life: the longer one is for targets only.
func TestHotLinkLeavesATombstoneAlone(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	client, prefix := testenv.Redis(t)
	next := newCountingResolver(map[string]shortener.Target{"hot": exampleTarget})
	c := NewLinkCache(next, client, LinkCacheOptions{Prefix: prefix, TTL: time.Minute, HotThreshold: 2, HotFlushInterval: 20 * time.Millisecond})
	go c.Run(ctx)
	t.Cleanup(func() { _ = c.Close() })
	key := prefix + "url:hot"
	if err := client.Set(ctx, key, tombstone, tombstoneTTL).Err(); err != nil {
		t.Fatal(err)
	}
	c.Hit("hot")
	c.Hit("hot")
	pollUntil(t, "the hot count", func() bool {
		n, _ := client.Get(ctx, prefix+"hot:hot").Int64()
		return n == 2
	})
	time.Sleep(100 * time.Millisecond) // the expiry follows the count
	if d := keyPTTL(t, client, key); d > tombstoneTTL {
		t.Fatalf("the tombstone's TTL became %v, more than %v", d, tombstoneTTL)
	}
}
