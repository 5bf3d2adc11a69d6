package webhook

import (
	"math/rand/v2"
	"time"
)

// RetryDelays are the waits after each failed attempt (API.md): a delivery
// is tried once and retried len(RetryDelays) times, about 28 hours in all.
var RetryDelays = []time.Duration{
	5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour, 10 * time.Hour, 10 * time.Hour,
}

// Jitter is how far a retry may fall from its delay, either way: a
// fraction of it, so that the retries of many deliveries that failed
// together (a receiver's outage) do not arrive together.
const Jitter = 0.2

// DisableAfter is how long an endpoint may fail every delivery before it
// is disabled.
const DisableAfter = 24 * time.Hour

// Schedule is the retry schedule with its source of randomness.
type Schedule struct {
	// Rand returns a number in [0, 1); default math/rand/v2.Float64.
	Rand func() float64
}

// Next returns when to retry after failed attempt number attempt (1 for
// the first) made at at, and false when it was the last.
func (s Schedule) Next(attempt int, at time.Time) (time.Time, bool) {
	if attempt < 1 || attempt > len(RetryDelays) {
		return time.Time{}, false
	}
	r := s.Rand
	if r == nil {
		r = rand.Float64
	}
	d := RetryDelays[attempt-1]
	factor := 1 - Jitter + 2*Jitter*r()
	return at.Add(time.Duration(float64(d) * factor)), true
}
