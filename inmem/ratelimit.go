package inmem

import (
	"context"
	"fmt"
	"hash/maphash"
	"sync"
	"time"

	"github.com/shortener-dev/shortener"
)

var _ shortener.RateLimiter = (*RateLimiter)(nil)

const (
	// limiterShards spreads keys over independent locks so that concurrent
	// requests for different clients rarely wait on each other.
	limiterShards = 64
	// minSweepEvery is the fewest calls on a shard between two sweeps of its
	// stale keys. After a sweep that leaves L keys, the next one waits for
	// max(minSweepEvery, L) calls: a sweep then costs at most two key visits
	// per call, amortized, and a shard holds at most its live keys plus one
	// interval's worth of stale ones.
	minSweepEvery = 1024
)

// RateLimiter is an in-process sliding-window log limiter. It keeps the
// timestamps of the admitted events of each key and forgets keys whose
// events have all left their window, lazily and without a goroutine, so
// memory stays bounded by the keys active within a window even under a
// flood of distinct keys (one per client IP).
type RateLimiter struct {
	clock  shortener.Clock
	seed   maphash.Seed
	shards [limiterShards]limiterShard
}

type limiterShard struct {
	mu         sync.Mutex
	logs       map[string]*eventLog
	calls      int // calls since the last sweep
	sweepAfter int // calls between the last sweep and the next
}

// NewRateLimiter returns an empty limiter that reads time from clock.
func NewRateLimiter(clock shortener.Clock) *RateLimiter {
	l := &RateLimiter{clock: clock, seed: maphash.MakeSeed()}
	for i := range l.shards {
		l.shards[i].logs = make(map[string]*eventLog)
	}
	return l
}

// Allow records an event for key and reports whether it is within limit; a
// refused event is not recorded. It returns an error only for a limit that
// can admit nothing (Limit < 1 or Window <= 0).
func (l *RateLimiter) Allow(_ context.Context, key string, limit shortener.RateLimit) (shortener.RateDecision, error) {
	if limit.Limit < 1 || limit.Window <= 0 {
		return shortener.RateDecision{}, fmt.Errorf("inmem ratelimit allow: invalid limit %d per %v", limit.Limit, limit.Window)
	}
	now := l.clock().UnixNano()
	window := int64(limit.Window)
	s := &l.shards[maphash.String(l.seed, key)&(limiterShards-1)]

	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.calls >= s.sweepAfter {
		s.sweep(now)
		s.calls, s.sweepAfter = 0, max(minSweepEvery, len(s.logs))
	}
	events := s.logs[key]
	if events == nil {
		events = &eventLog{}
		s.logs[key] = events
	}
	return events.admit(now, window, limit.Limit), nil
}

// Release forgets the newest event of key, if it has one.
func (l *RateLimiter) Release(_ context.Context, key string) error {
	s := &l.shards[maphash.String(l.seed, key)&(limiterShards-1)]
	s.mu.Lock()
	defer s.mu.Unlock()
	if events := s.logs[key]; events != nil && events.n > 0 {
		events.n--
	}
	return nil
}

// sweep forgets the keys whose newest event has left its window; they hold
// nothing that could refuse a future event.
func (s *limiterShard) sweep(now int64) {
	for key, events := range s.logs {
		if events.n == 0 || events.newest() <= now-events.window {
			delete(s.logs, key)
		}
	}
}

// eventLog is a ring buffer of the admitted events' times (Unix ns), oldest
// first. It grows on demand up to the limit, so a key seen once costs a few
// words rather than Limit slots.
type eventLog struct {
	times  []int64
	head   int   // index of the oldest event
	n      int   // events in the log
	window int64 // window of the last call, for sweeping
}

func (l *eventLog) at(i int) int64 {
	i += l.head
	if i >= len(l.times) {
		i -= len(l.times)
	}
	return l.times[i]
}

func (l *eventLog) newest() int64 { return l.at(l.n - 1) }

// admit drops the events that left the window ending at now, then records
// one at now if fewer than limit remain.
func (l *eventLog) admit(now, window int64, limit int) shortener.RateDecision {
	if l.n > 0 && now < l.newest() {
		// The wall clock stepped back: keep the log ordered by treating the
		// key's time as not earlier than its newest event.
		now = l.newest()
	}
	l.window = window
	for l.n > 0 && l.times[l.head] <= now-window {
		l.head++
		if l.head == len(l.times) {
			l.head = 0
		}
		l.n--
	}

	d := shortener.RateDecision{Limit: limit}
	if l.n < limit {
		l.push(now, limit)
		d.Allowed = true
		d.Remaining = limit - l.n
	} else {
		// One more is admitted once all but limit-1 events have left, that
		// is when the event at index n-limit does (index 0 unless the limit
		// for this key shrank since those events were admitted).
		d.RetryAfter = time.Duration(l.at(l.n-limit) + window - now)
	}
	d.Reset = time.Duration(l.times[l.head] + window - now)
	return d
}

func (l *eventLog) push(t int64, limit int) {
	if l.n == len(l.times) {
		l.grow(max(l.n+1, min(max(2*l.n, 4), limit)))
	}
	i := l.head + l.n
	if i >= len(l.times) {
		i -= len(l.times)
	}
	l.times[i] = t
	l.n++
}

func (l *eventLog) grow(capacity int) {
	times := make([]int64, capacity)
	for i := range l.n {
		times[i] = l.at(i)
	}
	l.times, l.head = times, 0
}
