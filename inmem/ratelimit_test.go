package inmem

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/testenv"
	"github.com/shortener-dev/shortener/ratelimittest"
)

// newRateLimitClock returns a fake clock that only moves when told to.
func newRateLimitClock() *testenv.Clock {
	return testenv.NewClock(time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC))
}

func TestRateLimiterConformance(t *testing.T) {
	ratelimittest.Run(t, func(t *testing.T) (shortener.RateLimiter, ratelimittest.Advance) {
		clock := newRateLimitClock()
		return NewRateLimiter(clock.Now), clock.Advance
	})
}

func (l *RateLimiter) trackedKeys() int {
	n := 0
	for i := range l.shards {
		s := &l.shards[i]
		s.mu.Lock()
		n += len(s.logs)
		s.mu.Unlock()
	}
	return n
}

// A flood of distinct keys (one per spoofed client) must not grow memory
// without bound: keys whose events left the window are forgotten, while a
// key still inside its window keeps its state.
func TestRateLimiterForgetsStaleKeys(t *testing.T) {
	clock := newRateLimitClock()
	l := NewRateLimiter(clock.Now)
	ctx := context.Background()
	rl := shortener.RateLimit{Limit: 1, Window: 100 * time.Millisecond}
	keep := shortener.RateLimit{Limit: 1, Window: time.Hour}

	if d, err := l.Allow(ctx, "keep", keep); err != nil || !d.Allowed {
		t.Fatalf("Allow(keep) = %+v, %v; want allowed", d, err)
	}
	const flood = 200_000
	for i := range flood {
		// 10 µs apart with a 100 ms window: about 10,000 keys are live at once.
		clock.Advance(10 * time.Microsecond)
		if _, err := l.Allow(ctx, "ip:"+strconv.Itoa(i), rl); err != nil {
			t.Fatal(err)
		}
	}
	// Each shard holds its live keys plus at most one sweep interval of
	// stale ones: about 64 × (1024 + 156), far below the flood.
	got := l.trackedKeys()
	t.Logf("tracking %d keys after a flood of %d", got, flood)
	if got > 100_000 {
		t.Errorf("tracking %d keys after a flood of %d distinct keys, want stale keys forgotten", got, flood)
	}
	if d, err := l.Allow(ctx, "keep", keep); err != nil || d.Allowed {
		t.Errorf("Allow(keep) after the flood = %+v, %v; want still refused (its window has not passed)", d, err)
	}
}

// If the wall clock steps back, admitted events keep counting: a clock
// change must not open the gate.
func TestRateLimiterClockStepsBack(t *testing.T) {
	clock := newRateLimitClock()
	l := NewRateLimiter(clock.Now)
	rl := shortener.RateLimit{Limit: 2, Window: time.Minute}
	for range 2 {
		if d, _ := l.Allow(context.Background(), "k", rl); !d.Allowed {
			t.Fatalf("want allowed, got %+v", d)
		}
	}
	clock.Advance(-time.Hour)
	d, err := l.Allow(context.Background(), "k", rl)
	if err != nil || d.Allowed || d.RetryAfter <= 0 || d.RetryAfter > rl.Window {
		t.Errorf("after the clock stepped back: %+v, %v; want refused with RetryAfter in (0, 1m]", d, err)
	}
}

// When a key's limit shrinks below the events it holds, RetryAfter waits for
// as many events to leave as it takes to get under the new limit.
func TestRateLimiterLimitShrinks(t *testing.T) {
	clock := newRateLimitClock()
	l := NewRateLimiter(clock.Now)
	ctx := context.Background()
	for range 5 { // events at t0, t0+1s, …, t0+4s
		if d, _ := l.Allow(ctx, "k", shortener.RateLimit{Limit: 5, Window: 10 * time.Second}); !d.Allowed {
			t.Fatalf("want allowed, got %+v", d)
		}
		clock.Advance(time.Second)
	}
	// At t0+5s with a limit of 2, the events at t0 … t0+3s must leave; the
	// one at t0+3s does so at t0+13s.
	d, err := l.Allow(ctx, "k", shortener.RateLimit{Limit: 2, Window: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	want := shortener.RateDecision{Limit: 2, Remaining: 0, Reset: 5 * time.Second, RetryAfter: 8 * time.Second}
	if d != want {
		t.Errorf("Allow with a shrunk limit = %+v, want %+v", d, want)
	}
}

func BenchmarkInmemAllow(b *testing.B) {
	ctx := context.Background()
	b.Run("warm-refused", func(b *testing.B) {
		l := NewRateLimiter(shortener.SystemClock)
		rl := shortener.RateLimit{Limit: 100, Window: time.Minute}
		b.ReportAllocs()
		for b.Loop() {
			_, _ = l.Allow(ctx, "user:0190b2c4-7e5f-7a31-8c2d-3f4e5a6b7c8d", rl)
		}
	})
	b.Run("warm-sliding", func(b *testing.B) {
		// Every call drops one expired event and admits one.
		var now int64
		clock := func() time.Time { now += 1000; return time.Unix(0, now) }
		l := NewRateLimiter(clock)
		rl := shortener.RateLimit{Limit: 100, Window: 100 * time.Microsecond}
		b.ReportAllocs()
		for b.Loop() {
			_, _ = l.Allow(ctx, "ip:203.0.113.7", rl)
		}
	})
	b.Run("parallel-1024-keys", func(b *testing.B) {
		l := NewRateLimiter(shortener.SystemClock)
		rl := shortener.RateLimit{Limit: 100, Window: time.Minute}
		keys := make([]string, 1024)
		for i := range keys {
			keys[i] = "ip:198.51.100." + strconv.Itoa(i)
		}
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				_, _ = l.Allow(ctx, keys[i&1023], rl)
				i++
			}
		})
	})
}
