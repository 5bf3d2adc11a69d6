package redis

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/redis/rueidis"

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

func (l *errorLog) record(_ context.Context, op string, _ error) {
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

// holdsTarget reports whether key holds a cached value: it exists and is
// no invalidation's tombstone.
func holdsTarget(t *testing.T, client goredis.UniversalClient, key string) bool {
	t.Helper()
	v, err := client.Get(context.Background(), key).Result()
	if errors.Is(err, goredis.Nil) {
		return false
	}
	if err != nil {
		t.Fatalf("GET %s: %v", key, err)
	}
	return v != tombstone
}

// pipelined returns a ConnectPipelined client of TEST_REDIS_URL.
func pipelined(t *testing.T) rueidis.Client {
	t.Helper()
	reader, err := ConnectPipelined(context.Background(), testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(reader.Close)
	return reader
}

// The GET and the SET that fills the cache go through the go-redis client
// or, as in the service, the pipelining one; both must behave the same.
func TestLinkCacheMissThenHit(t *testing.T) {
	t.Run("go-redis", func(t *testing.T) { testLinkCacheMissThenHit(t, nil) })
	t.Run("pipelined", func(t *testing.T) { testLinkCacheMissThenHit(t, pipelined(t)) })
}

func testLinkCacheMissThenHit(t *testing.T, pc rueidis.Client) {
	ctx := context.Background()
	client, prefix := testenv.Redis(t)
	next := newCountingResolver(map[string]shortener.Target{"abc": exampleTarget})
	const ttl = time.Minute
	c := NewLinkCache(next, client, LinkCacheOptions{Prefix: prefix, TTL: ttl, Pipelined: pc})
	t.Cleanup(func() { _ = c.Close() })

	got, err := c.Resolve(ctx, "abc")
	if err != nil || !reflect.DeepEqual(got, exampleTarget) {
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
	if !reflect.DeepEqual(got, exampleTarget) {
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
	if err != nil || !reflect.DeepEqual(got, exampleTarget) {
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

// With the pipelining reader, a Redis that goes away mid-life fails the
// GET within GetTimeout; the lookup falls through to next and reports it.
// When Redis is back, the reader reconnects by itself.
func TestLinkCachePipelinedReaderRedisDown(t *testing.T) {
	ctx := context.Background()
	srv := testenv.StartRedisServer(t)
	reader, err := ConnectPipelined(ctx, srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(reader.Close)
	client, err := Connect(ctx, srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })
	next := newCountingResolver(map[string]shortener.Target{"abc": exampleTarget})
	var errs errorLog
	c := NewLinkCache(next, client, LinkCacheOptions{Prefix: "down:", OnError: errs.record, Pipelined: reader,
		GetTimeout: 200 * time.Millisecond})
	t.Cleanup(func() { _ = c.Close() })

	srv.Stop()
	start := time.Now()
	got, err := c.Resolve(ctx, "abc")
	if err != nil || !reflect.DeepEqual(got, exampleTarget) {
		t.Fatalf("Resolve with Redis down = %+v, %v; want the target from next", got, err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Resolve with Redis down took %v, want about GetTimeout (200ms) at most", d)
	}
	if n := errs.count("get"); n != 1 {
		t.Fatalf("OnError(get) called %d times, want 1 (all: %v)", n, errs.ops)
	}

	srv.Start()
	if err := client.Set(ctx, "down:url:abc", encodeTarget(exampleTarget), time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	pollUntil(t, "a hit through the reconnected reader", func() bool {
		before := next.callsOf("abc")
		_, _ = c.Resolve(ctx, "abc")
		return next.callsOf("abc") == before
	})
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
	if err != nil || !reflect.DeepEqual(got, exampleTarget) {
		t.Fatalf("Resolve over a corrupt value = %+v, %v", got, err)
	}
	if errs.count("decode") != 1 {
		t.Fatalf("OnError(decode) not called: %v", errs.ops)
	}
	_ = c.Close()
	value, err := client.Get(ctx, key).Result()
	if err != nil {
		t.Fatal(err)
	}
	if stored, err := decodeTarget(value); err != nil || !reflect.DeepEqual(stored, exampleTarget) {
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
