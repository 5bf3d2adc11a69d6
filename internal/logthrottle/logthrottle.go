// Package logthrottle keeps a recurring failure from flooding the log: while
// a dependency is down, every request may fail the same way, and one line per
// operation and interval says as much as thousands would.
package logthrottle

import (
	"sync"
	"time"
)

// Throttle admits at most one log line per operation name and interval. The
// zero value is not usable; call New.
type Throttle struct {
	interval time.Duration
	now      func() time.Time

	mu   sync.Mutex
	last map[string]time.Time // operation → when its last line was admitted
}

// New returns a Throttle that admits one line per operation every interval.
func New(interval time.Duration) *Throttle {
	return &Throttle{interval: interval, now: time.Now, last: map[string]time.Time{}}
}

// Allow reports whether a line about op may be logged now. When it may, the
// next interval of op starts now, so the caller must log when told true.
func (t *Throttle) Allow(op string) bool {
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	if last, seen := t.last[op]; seen && now.Sub(last) < t.interval {
		return false
	}
	t.last[op] = now
	return true
}
