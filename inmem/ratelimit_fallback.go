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
// FallbackCooldown, so that a stalled Redis costs one request a wait, not
// every request.
type FallbackRateLimiter struct {
	shared  shortener.RateLimiter
	local   *RateLimiter
	clock   shortener.Clock
	onError func(error)
	// until is when the shared limiter is asked again (Unix nanoseconds);
	// zero while it works.
	until atomic.Int64
}

// NewFallbackRateLimiter returns shared backed by a limiter of this
// instance; onError is told of each failure of shared that trips the
// fallback.
func NewFallbackRateLimiter(shared shortener.RateLimiter, clock shortener.Clock, onError func(error)) *FallbackRateLimiter {
	return &FallbackRateLimiter{shared: shared, local: NewRateLimiter(clock), clock: clock, onError: onError}
}

// Allow asks the shared limiter, or this instance's while the shared one
// is failing.
func (f *FallbackRateLimiter) Allow(ctx context.Context, key string, limit shortener.RateLimit) (shortener.RateDecision, error) {
	if f.useShared() {
		d, err := f.shared.Allow(ctx, key, limit)
		if err == nil || ctx.Err() != nil { // a caller that gave up says nothing of the limiter
			return d, err
		}
		f.trip(err)
	}
	return f.local.Allow(ctx, key, limit)
}

// Release gives the event back to the limiter that would admit the next
// one.
func (f *FallbackRateLimiter) Release(ctx context.Context, key string) error {
	if f.useShared() {
		err := f.shared.Release(ctx, key)
		if err == nil || ctx.Err() != nil {
			return err
		}
		f.trip(err)
	}
	return f.local.Release(ctx, key)
}

func (f *FallbackRateLimiter) useShared() bool {
	until := f.until.Load()
	return until == 0 || f.clock().UnixNano() >= until
}

func (f *FallbackRateLimiter) trip(err error) {
	f.until.Store(f.clock().Add(FallbackCooldown).UnixNano())
	if f.onError != nil {
		f.onError(err)
	}
}
