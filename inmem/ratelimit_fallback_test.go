package inmem_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/inmem"
)

// downLimiter is a shared limiter that fails while down, and counts the
// calls it is asked.
type downLimiter struct {
	mu    sync.Mutex
	down  bool
	calls int
	local *inmem.RateLimiter // what it answers while up
}

func (d *downLimiter) Allow(ctx context.Context, key string, limit shortener.RateLimit) (shortener.RateDecision, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls++
	if d.down {
		return shortener.RateDecision{}, errors.New("dial tcp: connection refused")
	}
	return d.local.Allow(ctx, key, limit)
}

func (d *downLimiter) Release(ctx context.Context, key string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls++
	if d.down {
		return errors.New("dial tcp: connection refused")
	}
	return d.local.Release(ctx, key)
}

// While the shared limiter fails, the instance's own limits hold (not
// everything let through), the shared one is asked once per cooldown, and
// each failure that trips the fallback is reported.
func TestFallbackRateLimiter(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	shared := &downLimiter{down: true, local: inmem.NewRateLimiter(clock)}
	var reported []error
	f := inmem.NewFallbackRateLimiter(shared, clock, func(err error) { reported = append(reported, err) })
	limit := shortener.RateLimit{Limit: 3, Window: time.Minute}

	for i := range 5 {
		d, err := f.Allow(ctx, "login:1.2.3.4", limit)
		if err != nil {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
		if want := i < 3; d.Allowed != want || d.Limit != 3 {
			t.Errorf("attempt %d with the shared limiter down: allowed %v (limit %d), want %v", i+1, d.Allowed, d.Limit, want)
		}
	}
	if shared.calls != 1 || len(reported) != 1 {
		t.Errorf("the shared limiter was asked %d times and %d failures reported within the cooldown, want 1 and 1", shared.calls, len(reported))
	}

	// After the cooldown the shared limiter is asked again; once it is up,
	// it decides (its own, fresh window).
	shared.down = false
	now = now.Add(inmem.FallbackCooldown)
	if d, err := f.Allow(ctx, "login:1.2.3.4", limit); err != nil || !d.Allowed || d.Remaining != 2 {
		t.Errorf("after the cooldown with the shared limiter up: %+v, %v; want its first admission", d, err)
	}
	if shared.calls != 2 || len(reported) != 1 {
		t.Errorf("shared limiter asked %d times, %d failures reported; want 2 and 1", shared.calls, len(reported))
	}
}
