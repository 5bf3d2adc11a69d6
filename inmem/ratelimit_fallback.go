package inmem

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/shortener-dev/shortener"
)

var _ shortener.RateLimiter = (*FallbackRateLimiter)(nil)

// FallbackCooldown is how long a FallbackRateLimiter keeps to this
// instance's own limits after the shared limiter failed, before it asks
// the shared one again.
const FallbackCooldown = 5 * time.Second

// FallbackRateLimiter is the shared limiter (Redis) in front of this
// instance's own (a RateLimiter). While the shared one fails, the limits
// still hold, per instance rather than across all of them, instead of
// letting every request through: a Redis outage must not open the login
// form to guessing. After a failure the shared limiter is left alone for
// FallbackCooldown; then one request at a time asks it again (the probe)
// while the others keep to the local limits, so that a stalled Redis
// costs a request a wait every cooldown, not every request. While Redis
// flaps, the two keep separate counts: up to the limit more may pass per
// window.
type FallbackRateLimiter struct {
	shared  shortener.RateLimiter
	local   *RateLimiter
	clock   shortener.Clock
	onError func(context.Context, error)
	// until is when the shared limiter may be asked again (Unix
	// nanoseconds); zero while it works.
	until atomic.Int64
	// probing is set while one request asks the shared limiter after a
	// failure.
	probing atomic.Bool
}

// NewFallbackRateLimiter returns shared backed by a limiter of this
// instance; onError is told of each failure of shared that trips the
// fallback.
func NewFallbackRateLimiter(shared shortener.RateLimiter, clock shortener.Clock, onError func(ctx context.Context, err error)) *FallbackRateLimiter {
	return &FallbackRateLimiter{shared: shared, local: NewRateLimiter(clock), clock: clock, onError: onError}
}

// Allow asks the shared limiter, or this instance's while the shared one
// is failing.
func (f *FallbackRateLimiter) Allow(ctx context.Context, key string, limit shortener.RateLimit) (shortener.RateDecision, error) {
	if probe, ok := f.askShared(); ok {
		d, err := f.shared.Allow(ctx, key, limit)
		f.settle(ctx, probe, err)
		if err == nil || ctx.Err() != nil { // a caller that gave up says nothing of the limiter
			return d, err
		}
	}
	return f.local.Allow(ctx, key, limit)
}

// Release gives the event back to the limiter in use. When the shared one
// fails to take it back, it stays counted there: giving back an event of
// the local limiter instead would undo another attempt.
func (f *FallbackRateLimiter) Release(ctx context.Context, key string) error {
	if probe, ok := f.askShared(); ok {
		err := f.shared.Release(ctx, key)
		f.settle(ctx, probe, err)
		return err
	}
	return f.local.Release(ctx, key)
}

// askShared reports whether to ask the shared limiter, and whether this
// call is the probe after a failure.
func (f *FallbackRateLimiter) askShared() (probe, ok bool) {
	until := f.until.Load()
	switch {
	case until == 0:
		return false, true
	case f.clock().UnixNano() < until:
		return false, false
	}
	return true, f.probing.CompareAndSwap(false, true)
}

// settle records the outcome of asking the shared limiter.
func (f *FallbackRateLimiter) settle(ctx context.Context, probe bool, err error) {
	switch {
	case err == nil:
		if probe {
			f.until.Store(0)
		}
	case ctx.Err() == nil:
		f.until.Store(f.clock().Add(FallbackCooldown).UnixNano())
		if f.onError != nil {
			f.onError(ctx, err)
		}
	}
	if probe {
		f.probing.Store(false)
	}
}
