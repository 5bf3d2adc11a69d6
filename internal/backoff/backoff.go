// Package backoff spaces out the retries of work that keeps failing: the
// click shipper's deliveries, the click stream's consumer and the
// invalidation subscription all wait a short delay after a first failure
// and twice as long after each further one, up to a ceiling, and start
// over after a success. Every wait ends early when its context is done, so
// that a retry loop never holds up a shutdown.
package backoff

import (
	"context"
	"time"
)

// Backoff is the delay before the next retry. Its zero value with Min and
// Max set is ready to use; it is not safe for concurrent use (each retry
// loop has its own).
type Backoff struct {
	// Min is the first delay, and the delay again after Reset.
	Min time.Duration
	// Max caps the doubling; a Max below Min counts as Min.
	Max time.Duration

	next time.Duration // 0: not waited since the start or Reset
}

// Delay returns how long the next Wait sleeps, for a log line that says
// when the retry comes.
func (b *Backoff) Delay() time.Duration {
	if b.next == 0 {
		return b.Min
	}
	return b.next
}

// Wait sleeps for the current delay, or until ctx is done, and doubles the
// delay for next time, up to Max. It reports whether the delay passed: on
// false the caller gives up, as ctx is done.
func (b *Backoff) Wait(ctx context.Context) bool {
	d := b.Delay()
	b.next = min(2*d, max(b.Max, b.Min))
	return Sleep(ctx, d)
}

// Reset makes the next delay Min again; call it after a success.
func (b *Backoff) Reset() { b.next = 0 }

// Sleep waits for d or until ctx is done, and reports whether d passed.
// Unlike time.Sleep it lets a shutdown interrupt the wait.
func Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
