package redis

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/testenv"
)

// countingResolver stands in for the SQL store: a map of targets that
// counts its lookups and can be slowed down.
type countingResolver struct {
	mu      sync.Mutex
	targets map[string]shortener.Target
	calls   map[string]int
	delay   time.Duration
}

func newCountingResolver(targets map[string]shortener.Target) *countingResolver {
	return &countingResolver{targets: targets, calls: make(map[string]int)}
}

func (r *countingResolver) Resolve(ctx context.Context, code string) (shortener.Target, error) {
	r.mu.Lock()
	r.calls[code]++
	t, delay := r.targets[code], r.delay
	r.mu.Unlock()
	if delay > 0 {
		time.Sleep(delay)
	}
	return t, ctx.Err()
}

func (r *countingResolver) callsOf(code string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls[code]
}

// errorLog records the OnError reports of a LinkCache.
type errorLog struct {
	mu  sync.Mutex
	ops []string
}

func (l *errorLog) record(op string, _ error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ops = append(l.ops, op)
}

func (l *errorLog) count(op string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, o := range l.ops {
		if o == op {
			n++
		}
	}
	return n
}

var exampleTarget = shortener.Target{
	Found:     true,
	LinkID:    "0190a6c2-7a3b-7c00-8000-000000000001",
	URL:       "https://example.com/a/long/path?q=1",
	Active:    true,
	ExpiresAt: time.Date(2030, 5, 6, 7, 8, 9, 123456789, time.UTC),
}

// pollUntil polls cond until it holds or the deadline passes: L2 writes and
// hot flushes are asynchronous.
func pollUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func keyPTTL(t *testing.T, client goredis.UniversalClient, key string) time.Duration {
	t.Helper()
	d, err := client.PTTL(context.Background(), key).Result()
	if err != nil {
		t.Fatalf("PTTL %s: %v", key, err)
	}
	return d
}

func keyExists(t *testing.T, client goredis.UniversalClient, key string) bool {
	t.Helper()
	n, err := client.Exists(context.Background(), key).Result()
	if err != nil {
		t.Fatalf("EXISTS %s: %v", key, err)
	}
	return n == 1
}

func TestLinkCacheMissThenHit(t *testing.T) {
	ctx := context.Background()
	client, prefix := testenv.Redis(t)
	next := newCountingResolver(map[string]shortener.Target{"abc": exampleTarget})
	const ttl = time.Minute
	c := NewLinkCache(next, client, LinkCacheOptions{Prefix: prefix, TTL: ttl})
	t.Cleanup(func() { _ = c.Close() })

	got, err := c.Resolve(ctx, "abc")
	if err != nil || got != exampleTarget {
		t.Fatalf("Resolve on a miss = %+v, %v; want %+v", got, err, exampleTarget)
	}
	if n := next.callsOf("abc"); n != 1 {
		t.Fatalf("next called %d times on a miss, want 1", n)
	}
	key := prefix + "url:abc"
	pollUntil(t, "the url key", func() bool { return keyExists(t, client, key) })
	if d := keyPTTL(t, client, key); d > ttl || d < ttl-10*time.Second {
		t.Fatalf("url key TTL = %v, want about %v", d, ttl)
	}

	got, err = c.Resolve(ctx, "abc")
	if err != nil {
		t.Fatal(err)
	}
	// Comparing with == also checks that ExpiresAt survives to the
	// nanosecond and in UTC.
	if got != exampleTarget {
		t.Fatalf("Resolve on a hit = %+v, want %+v", got, exampleTarget)
	}
	if n := next.callsOf("abc"); n != 1 {
		t.Fatalf("next called %d times after a hit, want 1", n)
	}
}

func TestLinkCacheUnknownCodeNotCached(t *testing.T) {
	ctx := context.Background()
	client, prefix := testenv.Redis(t)
	next := newCountingResolver(nil)
	c := NewLinkCache(next, client, LinkCacheOptions{Prefix: prefix})

	for range 2 {
		got, err := c.Resolve(ctx, "nope")
		if err != nil || got.Found {
			t.Fatalf("Resolve(unknown) = %+v, %v; want not found", got, err)
		}
	}
	if n := next.callsOf("nope"); n != 2 {
		t.Fatalf("next called %d times, want 2 (unknown codes are not cached in L2)", n)
	}
	_ = c.Close() // waits for any write that was started
	if keyExists(t, client, prefix+"url:nope") {
		t.Fatal("an unknown code was cached in Redis")
	}
}

func TestLinkCacheRedisDown(t *testing.T) {
	ctx := context.Background()
	// Nothing listens on port 1: every command fails at once.
	client := goredis.NewClient(&goredis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	t.Cleanup(func() { _ = client.Close() })
	next := newCountingResolver(map[string]shortener.Target{"abc": exampleTarget})
	var errs errorLog
	c := NewLinkCache(next, client, LinkCacheOptions{Prefix: "down:", OnError: errs.record})

	got, err := c.Resolve(ctx, "abc")
	if err != nil || got != exampleTarget {
		t.Fatalf("Resolve with Redis down = %+v, %v; want the target from next", got, err)
	}
	_ = c.Close()
	if n := errs.count("get"); n != 1 {
		t.Fatalf("OnError(get) called %d times, want 1 (all: %v)", n, errs.ops)
	}
	if n := errs.count("set"); n != 0 {
		t.Fatalf("a write was attempted after the GET failed (%d set errors)", n)
	}
}

// A caller that gives up is not a Redis failure and is not reported.
func TestLinkCacheCanceledCallerNotReported(t *testing.T) {
	client, prefix := testenv.Redis(t)
	var errs errorLog
	c := NewLinkCache(newCountingResolver(nil), client, LinkCacheOptions{Prefix: prefix, OnError: errs.record})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Resolve(ctx, "abc"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Resolve with a canceled context: err = %v, want context.Canceled", err)
	}
	if len(errs.ops) != 0 {
		t.Fatalf("OnError called for a canceled caller: %v", errs.ops)
	}
}

// A value that does not decode is reported, answered from next and
// replaced.
func TestLinkCacheCorruptValue(t *testing.T) {
	ctx := context.Background()
	client, prefix := testenv.Redis(t)
	key := prefix + "url:abc"
	if err := client.Set(ctx, key, "not a target", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	next := newCountingResolver(map[string]shortener.Target{"abc": exampleTarget})
	var errs errorLog
	c := NewLinkCache(next, client, LinkCacheOptions{Prefix: prefix, OnError: errs.record})

	got, err := c.Resolve(ctx, "abc")
	if err != nil || got != exampleTarget {
		t.Fatalf("Resolve over a corrupt value = %+v, %v", got, err)
	}
	if errs.count("decode") != 1 {
		t.Fatalf("OnError(decode) not called: %v", errs.ops)
	}
	_ = c.Close()
	b, err := client.Get(ctx, key).Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if stored, err := decodeTarget(b); err != nil || stored != exampleTarget {
		t.Fatalf("corrupt value not replaced: %+v, %v", stored, err)
	}
}

// A lookup slower than maxWriteDelay may have read a target that an
// invalidation has since removed, so it is not written.
func TestLinkCacheDropsLateWrite(t *testing.T) {
	ctx := context.Background()
	client, prefix := testenv.Redis(t)
	next := newCountingResolver(map[string]shortener.Target{"abc": exampleTarget})
	next.delay = maxWriteDelay + 100*time.Millisecond
	c := NewLinkCache(next, client, LinkCacheOptions{Prefix: prefix})

	if got, err := c.Resolve(ctx, "abc"); err != nil || !got.Found {
		t.Fatalf("Resolve = %+v, %v", got, err)
	}
	_ = c.Close()
	if keyExists(t, client, prefix+"url:abc") {
		t.Fatal("a target read before maxWriteDelay was written to Redis")
	}
}

func TestLinkCacheNoWritesAfterClose(t *testing.T) {
	ctx := context.Background()
	client, prefix := testenv.Redis(t)
	next := newCountingResolver(map[string]shortener.Target{"abc": exampleTarget})
	c := NewLinkCache(next, client, LinkCacheOptions{Prefix: prefix})
	_ = c.Close()
	if got, err := c.Resolve(ctx, "abc"); err != nil || !got.Found {
		t.Fatalf("Resolve after Close = %+v, %v", got, err)
	}
	time.Sleep(100 * time.Millisecond)
	if keyExists(t, client, prefix+"url:abc") {
		t.Fatal("a write started after Close")
	}
}

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

func TestTargetEncoding(t *testing.T) {
	tests := []struct {
		name string
		t    shortener.Target
	}{
		{"full", exampleTarget},
		{"never expires, inactive", shortener.Target{Found: true, LinkID: "id", URL: "https://a.example/"}},
		{"before 1970", shortener.Target{Found: true, LinkID: "x", URL: "https://b.example/ü", Active: true,
			ExpiresAt: time.Date(1969, 12, 31, 23, 59, 59, 1, time.UTC)}},
		{"empty strings", shortener.Target{Found: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := encodeTarget(tt.t)
			got, err := decodeTarget(b)
			if err != nil || got != tt.t {
				t.Fatalf("decode(encode(%+v)) = %+v, %v", tt.t, got, err)
			}
			// Every strict prefix and any trailing byte is refused.
			for i := range b {
				if _, err := decodeTarget(b[:i]); err == nil {
					t.Fatalf("a %d-byte prefix of %d bytes decoded", i, len(b))
				}
			}
			if _, err := decodeTarget(append(b, 0)); err == nil {
				t.Fatal("a value with a trailing byte decoded")
			}
		})
	}
	if _, err := decodeTarget([]byte{2, 0, 0, 0}); err == nil {
		t.Fatal("an unknown format version decoded")
	}
}
