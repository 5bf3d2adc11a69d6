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
	hold  chan struct{}      // when set, Allow waits for it (a stalled Redis)
}

func (d *downLimiter) Allow(ctx context.Context, key string, limit shortener.RateLimit) (shortener.RateDecision, error) {
	d.mu.Lock()
	d.calls++
	hold := d.hold
	d.mu.Unlock()
	if hold != nil {
		<-hold
	}
	d.mu.Lock()
	defer d.mu.Unlock()
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
	f := inmem.NewFallbackRateLimiter(shared, clock, func(_ context.Context, err error) { reported = append(reported, err) })
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

// A Release that the shared limiter fails to take leaves the event counted
// there; it does not give back an event of the local limiter, which would
// undo an earlier wrong guess.
func TestFallbackRateLimiterReleasesWhereCounted(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	shared := &downLimiter{down: true, local: inmem.NewRateLimiter(clock)}
	f := inmem.NewFallbackRateLimiter(shared, clock, nil)
	limit := shortener.RateLimit{Limit: 3, Window: time.Hour}
	for range 2 { // two wrong guesses, counted locally
		if d, err := f.Allow(ctx, "k", limit); err != nil || !d.Allowed {
			t.Fatalf("%+v %v", d, err)
		}
	}
	now = now.Add(inmem.FallbackCooldown)
	shared.down = false
	if d, err := f.Allow(ctx, "k", limit); err != nil || !d.Allowed { // a right one, counted by Redis
		t.Fatalf("%+v %v", d, err)
	}
	shared.down = true
	_ = f.Release(ctx, "k") // Redis fails to take it back
	allowed := 0
	for range 3 {
		if d, _ := f.Allow(ctx, "k", limit); d.Allowed {
			allowed++
		}
	}
	if allowed != 1 {
		t.Errorf("after the failed release, %d more guesses were allowed locally, want 1 (2 of 3 used)", allowed)
	}
}

// After the cooldown one request asks the stalled shared limiter; the
// others keep to the local limits meanwhile instead of waiting too.
func TestFallbackRateLimiterProbesWithOneRequest(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	shared := &downLimiter{down: true, local: inmem.NewRateLimiter(clock)}
	f := inmem.NewFallbackRateLimiter(shared, clock, nil)
	limit := shortener.RateLimit{Limit: 100, Window: time.Hour}
	if _, err := f.Allow(ctx, "k", limit); err != nil { // trips the fallback
		t.Fatal(err)
	}
	mu.Lock()
	now = now.Add(inmem.FallbackCooldown)
	mu.Unlock()
	hold := make(chan struct{})
	shared.mu.Lock()
	shared.hold, shared.calls = hold, 0
	shared.mu.Unlock()
	probe := make(chan struct{})
	go func() {
		_, _ = f.Allow(ctx, "k", limit)
		close(probe)
	}()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		shared.mu.Lock()
		n := shared.calls
		shared.mu.Unlock()
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the probe never reached the shared limiter")
		}
	}
	for range 10 { // while the probe waits, the others answer at once
		if d, err := f.Allow(ctx, "k", limit); err != nil || !d.Allowed {
			t.Fatalf("%+v %v", d, err)
		}
	}
	close(hold)
	<-probe
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.calls != 1 {
		t.Errorf("the stalled shared limiter was asked %d times, want once (the probe)", shared.calls)
	}
}
