package ratelimittest

import (
	"fmt"
	"runtime"
	"testing"
	"time"
)

// timedAttempts bounds how often a time-moving case is tried again after the
// real clock ran late.
const timedAttempts = 5

// attempt collects the failures of one try of a time-moving case. Fatalf ends
// the try's goroutine, as it does a test's.
type attempt struct {
	failures []string
}

func (a *attempt) Helper() {}

func (a *attempt) Errorf(format string, args ...any) {
	a.failures = append(a.failures, fmt.Sprintf(format, args...))
}

func (a *attempt) Fatalf(format string, args ...any) {
	a.Errorf(format, args...)
	runtime.Goexit()
}

// timed runs a case whose assertions hold as long as its calls, apart from
// the time it moves on purpose with Advance, take less than slack in all.
//
// With a fake clock the calls take no time on the limiter's clock, so the
// first try counts. When Advance really sleeps, a loaded machine can stall a
// try for longer than the margins allow; such a try says nothing about the
// limiter, so it is run again with a fresh key. The wall-clock time a try
// takes, less the time it advanced, bounds how late any of its calls was on
// the limiter's clock, so a try that was not late is judged on its failures.
// The last try is judged whatever its lateness, so a broken limiter cannot
// hide behind retries.
func timed(t *testing.T, advance Advance, slack time.Duration, run func(r reporter, key string, advance Advance)) {
	t.Helper()
	for try := 1; ; try++ {
		a := &attempt{}
		var advanced time.Duration
		counted := func(d time.Duration) {
			advanced += d
			advance(d)
		}
		start := time.Now()
		done := make(chan struct{})
		go func() {
			defer close(done)
			run(a, fmt.Sprintf("%s-%d", t.Name(), try), counted)
		}()
		<-done
		late := time.Since(start) - advanced
		if late > slack && try < timedAttempts {
			t.Logf("try %d ran %v late (more than %v), its %d failures do not count; trying again", try, late, slack, len(a.failures))
			continue
		}
		if late > slack {
			t.Logf("try %d ran %v late (more than %v); reporting its failures anyway", try, late, slack)
		}
		for _, f := range a.failures {
			t.Error(f)
		}
		return
	}
}
