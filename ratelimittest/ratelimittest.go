// Package ratelimittest is the conformance suite that every
// shortener.RateLimiter implementation passes, so that the in-process and
// the Redis limiter behave the same. It is imported only by tests.
package ratelimittest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

// Advance moves the limiter's time forward by d: a fake clock for in-process
// limiters, a real sleep for networked ones whose clock is the server's.
type Advance func(d time.Duration)

// NewLimiter returns a fresh, empty limiter for one test and the way to move
// its time.
type NewLimiter func(t *testing.T) (shortener.RateLimiter, Advance)

// slidingWindow is the window of the cases that move time. It is short so
// that the suite stays fast when Advance really sleeps, and long enough that
// scheduling and network latency stay inside the margins the assertions
// allow (window/5); see timed for what happens when they do not.
const slidingWindow = time.Second

// longWindow is the window of the cases that never move time: nothing may
// expire while they run, however slow the machine.
const longWindow = time.Minute

// Run runs the conformance suite against the limiters made by newLimiter.
// Each subtest gets its own limiter and runs in parallel with the others.
func Run(t *testing.T, newLimiter NewLimiter) {
	cases := []struct {
		name string
		run  func(t *testing.T, newLimiter NewLimiter)
	}{
		{"ConcurrentLimit10", func(t *testing.T, nl NewLimiter) { testConcurrent(t, nl, 10) }},
		{"ConcurrentLimit50", func(t *testing.T, nl NewLimiter) { testConcurrent(t, nl, 50) }},
		{"RemainingCountsDown", testRemainingCountsDown},
		{"RetryAfterWhenRefused", testRetryAfter},
		{"WindowSlides", testWindowSlides},
		{"RefusedDoesNotExtendBlock", testRefusedDoesNotExtend},
		{"IndependentKeys", testIndependentKeys},
		{"DifferentLimitsPerKey", testDifferentLimits},
		{"InvalidLimit", testInvalidLimit},
		{"ReleaseGivesBackAnEvent", testRelease},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.run(t, newLimiter)
		})
	}
}

// reporter is the part of *testing.T the assertions use, so that a timed
// attempt can collect its failures instead of reporting them at once.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// allow calls l.Allow and fails the test on an error.
func allow(t reporter, l shortener.RateLimiter, key string, limit shortener.RateLimit) shortener.RateDecision {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	d, err := l.Allow(ctx, key, limit)
	if err != nil {
		t.Fatalf("Allow(%q, %+v): %v", key, limit, err)
	}
	if d.Limit != limit.Limit {
		t.Errorf("Allow(%q): Limit = %d, want %d", key, d.Limit, limit.Limit)
	}
	if d.Remaining < 0 {
		t.Errorf("Allow(%q): Remaining = %d, want >= 0", key, d.Remaining)
	}
	if d.Allowed && d.RetryAfter != 0 {
		t.Errorf("Allow(%q): allowed with RetryAfter = %v, want 0", key, d.RetryAfter)
	}
	if d.Reset <= 0 || d.Reset > limit.Window {
		t.Errorf("Allow(%q): Reset = %v, want in (0, %v]", key, d.Reset, limit.Window)
	}
	return d
}

// mustAllow asserts that the event is admitted with the given Remaining.
func mustAllow(t reporter, l shortener.RateLimiter, key string, limit shortener.RateLimit, remaining int) shortener.RateDecision {
	t.Helper()
	d := allow(t, l, key, limit)
	if !d.Allowed || d.Remaining != remaining {
		t.Fatalf("Allow(%q) = %+v, want allowed with Remaining %d", key, d, remaining)
	}
	return d
}

// mustRefuse asserts that the event is refused, with Remaining 0 and a
// RetryAfter in (0, window].
func mustRefuse(t reporter, l shortener.RateLimiter, key string, limit shortener.RateLimit) shortener.RateDecision {
	t.Helper()
	d := allow(t, l, key, limit)
	if d.Allowed {
		t.Fatalf("Allow(%q) = %+v, want refused", key, d)
	}
	if d.Remaining != 0 {
		t.Errorf("Allow(%q): refused with Remaining = %d, want 0", key, d.Remaining)
	}
	if d.RetryAfter <= 0 || d.RetryAfter > limit.Window {
		t.Errorf("Allow(%q): RetryAfter = %v, want in (0, %v]", key, d.RetryAfter, limit.Window)
	}
	return d
}

// testConcurrent fires 3×limit calls at once on one key: exactly limit are
// admitted, and their Remaining values are limit-1 … 0, each exactly once,
// which only holds if check-and-admit is atomic.
func testConcurrent(t *testing.T, newLimiter NewLimiter, limit int) {
	l, _ := newLimiter(t)
	rl := shortener.RateLimit{Limit: limit, Window: longWindow}
	key := fmt.Sprintf("concurrent-%d", limit)

	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		admitted  int
		remaining = make(map[int]int)
		errs      []error
	)
	start := make(chan struct{})
	for range 3 * limit {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			d, err := l.Allow(context.Background(), key, rl)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			if d.Allowed {
				admitted++
				remaining[d.Remaining]++
			} else if d.Remaining != 0 || d.RetryAfter <= 0 {
				errs = append(errs, fmt.Errorf("refused decision %+v", d))
			}
		}()
	}
	close(start)
	wg.Wait()

	if len(errs) > 0 {
		t.Fatalf("%d calls failed, first: %v", len(errs), errs[0])
	}
	if admitted != limit {
		t.Fatalf("admitted %d of %d concurrent calls, want exactly %d", admitted, 3*limit, limit)
	}
	for r := 0; r < limit; r++ {
		if remaining[r] != 1 {
			t.Errorf("Remaining %d seen %d times among admitted calls, want once", r, remaining[r])
		}
	}
	mustRefuse(t, l, key, rl)
}

func testRemainingCountsDown(t *testing.T, newLimiter NewLimiter) {
	l, _ := newLimiter(t)
	rl := shortener.RateLimit{Limit: 5, Window: longWindow}
	first := mustAllow(t, l, "countdown", rl, 4)
	if first.Reset != rl.Window {
		t.Errorf("first event: Reset = %v, want the whole window %v", first.Reset, rl.Window)
	}
	for want := 3; want >= 0; want-- {
		mustAllow(t, l, "countdown", rl, want)
	}
	for range 3 {
		mustRefuse(t, l, "countdown", rl)
	}
}

func testRetryAfter(t *testing.T, newLimiter NewLimiter) {
	l, _ := newLimiter(t)
	rl := shortener.RateLimit{Limit: 3, Window: longWindow}
	for want := 2; want >= 0; want-- {
		mustAllow(t, l, "retry", rl, want)
	}
	d := mustRefuse(t, l, "retry", rl)
	// Nothing expired in between, so the oldest event leaves in about one
	// window; a fake clock gives exactly the window.
	if d.RetryAfter < rl.Window-10*time.Second {
		t.Errorf("RetryAfter = %v, want close to the window %v", d.RetryAfter, rl.Window)
	}
	if d.Reset != d.RetryAfter {
		t.Errorf("refused at the limit: Reset = %v, RetryAfter = %v, want equal (both wait for the oldest event)", d.Reset, d.RetryAfter)
	}
}

// testRelease: Release gives back the newest event, so that an event
// admitted and then found not to count leaves room for another; a key
// without events is left alone.
func testRelease(t *testing.T, newLimiter NewLimiter) {
	l, _ := newLimiter(t)
	ctx := context.Background()
	limit := shortener.RateLimit{Limit: 3, Window: longWindow}
	if err := l.Release(ctx, "release"); err != nil {
		t.Fatalf("Release of a key without events: %v", err)
	}
	for i := range 3 {
		if d, err := l.Allow(ctx, "release", limit); err != nil || !d.Allowed {
			t.Fatalf("Allow %d after releasing nothing = %+v, %v; want admitted", i+1, d, err)
		}
	}
	if d, err := l.Allow(ctx, "release", limit); err != nil || d.Allowed {
		t.Fatalf("Allow at the limit = %+v, %v; want refused", d, err)
	}
	if err := l.Release(ctx, "release"); err != nil {
		t.Fatal(err)
	}
	d, err := l.Allow(ctx, "release", limit)
	if err != nil || !d.Allowed || d.Remaining != 0 {
		t.Fatalf("Allow after a release = %+v, %v; want admitted with 0 remaining", d, err)
	}
	if d, err := l.Allow(ctx, "release", limit); err != nil || d.Allowed {
		t.Fatalf("Allow after the released event was taken again = %+v, %v; want refused", d, err)
	}
	if d, err := l.Allow(ctx, "other", limit); err != nil || !d.Allowed || d.Remaining != 2 {
		t.Fatalf("Allow of another key = %+v, %v; want admitted with 2 remaining", d, err)
	}
}
