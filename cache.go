package shortener

import (
	"context"
	"time"
)

// BlobCache is a shared cache of byte values with a lifetime, used for
// rendered QR codes and analytics summaries.
type BlobCache interface {
	// Get returns the value of key and true, or false when it is missing
	// or expired.
	Get(ctx context.Context, key string) ([]byte, bool, error)

	// Set stores value under key for ttl.
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error

	// Delete removes the keys; missing keys are not an error.
	Delete(ctx context.Context, keys ...string) error
}

// RateLimit is a sliding-window limit: at most Limit events per Window.
type RateLimit struct {
	Limit  int
	Window time.Duration
}

// RateDecision is the answer of a rate limiter for one event.
type RateDecision struct {
	Allowed   bool
	Limit     int
	Remaining int // events still allowed in the window after this one
	// Reset is how long until the oldest event counted in the window
	// leaves it, so that Remaining grows again.
	Reset time.Duration
	// RetryAfter is how long until one more event would be admitted; zero
	// when Allowed.
	RetryAfter time.Duration
}

// RateLimiter admits or refuses events per key with a sliding-window log.
type RateLimiter interface {
	// Allow records an event for key and reports whether it is within
	// limit; a refused event is not recorded.
	Allow(ctx context.Context, key string, limit RateLimit) (RateDecision, error)

	// Release gives back the newest event admitted for key: one that turned
	// out not to count. It serves limits that count only some events
	// (wrong passwords) but refuse every event once reached: each event is
	// admitted first, so that concurrent ones cannot overrun the limit
	// between a check and a count, and released when it did not count.
	Release(ctx context.Context, key string) error
}

// HealthChecker reports whether a dependency is reachable.
type HealthChecker interface {
	Ping(ctx context.Context) error
}
