package ratelimittest

import (
	"context"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

// within fails the test unless lo < got <= hi. The lower bound leaves room for
// the time a real clock moves between calls; a fake clock hits hi exactly.
func within(t reporter, what string, got, lo, hi time.Duration) {
	t.Helper()
	if got <= lo || got > hi {
		t.Errorf("%s = %v, want in (%v, %v]", what, got, lo, hi)
	}
}

// testWindowSlides admits A at t0 and B at t0+W/2 with a limit of 2: A's slot
// frees at t0+W exactly, B's half a window later, one at a time.
func testWindowSlides(t *testing.T, newLimiter NewLimiter) {
	l, advance := newLimiter(t)
	const w = slidingWindow
	rl := shortener.RateLimit{Limit: 2, Window: w}
	// The margins below are w/5; the slack stays under them so that a small
	// drift between the test's clock and the limiter's cannot matter.
	timed(t, advance, w/8, func(t reporter, key string, advance Advance) {
		a := mustAllow(t, l, key, rl, 1)
		if a.Reset != w {
			t.Errorf("only event: Reset = %v, want the window %v", a.Reset, w)
		}
		advance(w / 2)
		b := mustAllow(t, l, key, rl, 0)
		within(t, "Reset after B (until A leaves)", b.Reset, w/2-w/5, w/2)
		c := mustRefuse(t, l, key, rl)
		within(t, "RetryAfter after B (until A leaves)", c.RetryAfter, w/2-w/5, w/2)

		advance(w/2 - w/5)
		mustRefuse(t, l, key, rl) // A is still in the window

		advance(w / 5) // t0 + W: A leaves, B stays
		e := mustAllow(t, l, key, rl, 0)
		within(t, "Reset after A left (until B leaves)", e.Reset, w/2-w/5, w/2)
		f := mustRefuse(t, l, key, rl)
		within(t, "RetryAfter after A left (until B leaves)", f.RetryAfter, w/2-w/5, w/2)

		advance(w / 2) // t0 + 1.5W: B leaves, E stays
		mustAllow(t, l, key, rl, 0)
		mustRefuse(t, l, key, rl)
	})
}

// testRefusedDoesNotExtend hammers a full key: the refused events are not
// recorded, so the key opens again one window after the admitted ones.
func testRefusedDoesNotExtend(t *testing.T, newLimiter NewLimiter) {
	l, advance := newLimiter(t)
	const w = slidingWindow
	rl := shortener.RateLimit{Limit: 2, Window: w}
	// The admitted events must stay in the window while the key is hammered.
	timed(t, advance, w/4, func(t reporter, key string, advance Advance) {
		mustAllow(t, l, key, rl, 1)
		mustAllow(t, l, key, rl, 0)
		advance(w / 2)
		for range 5 {
			d := mustRefuse(t, l, key, rl)
			within(t, "RetryAfter while hammering", d.RetryAfter, 0, w/2)
		}
		advance(w / 2)
		mustAllow(t, l, key, rl, 1)
		mustAllow(t, l, key, rl, 0)
		mustRefuse(t, l, key, rl)
	})
}

func testIndependentKeys(t *testing.T, newLimiter NewLimiter) {
	l, _ := newLimiter(t)
	rl := shortener.RateLimit{Limit: 2, Window: longWindow}
	// Keys that share prefixes must not share a log.
	mustAllow(t, l, "user:1", rl, 1)
	mustAllow(t, l, "user:1", rl, 0)
	mustRefuse(t, l, "user:1", rl)
	mustAllow(t, l, "user:10", rl, 1)
	mustAllow(t, l, "user:", rl, 1)
	mustAllow(t, l, "user:10", rl, 0)
	mustRefuse(t, l, "user:10", rl)
	mustRefuse(t, l, "user:1", rl)
	mustAllow(t, l, "user:", rl, 0)
}

func testDifferentLimits(t *testing.T, newLimiter NewLimiter) {
	l, _ := newLimiter(t)
	small := shortener.RateLimit{Limit: 1, Window: longWindow}
	big := shortener.RateLimit{Limit: 4, Window: longWindow}
	mustAllow(t, l, "small", small, 0)
	mustRefuse(t, l, "small", small)
	for want := 3; want >= 0; want-- {
		mustAllow(t, l, "big", big, want)
	}
	mustRefuse(t, l, "big", big)
	mustRefuse(t, l, "small", small)
}

// testInvalidLimit: a limit that cannot admit anything is a configuration
// bug, reported as an error rather than a silent refusal of everything.
func testInvalidLimit(t *testing.T, newLimiter NewLimiter) {
	l, _ := newLimiter(t)
	for _, rl := range []shortener.RateLimit{
		{Limit: 0, Window: time.Minute},
		{Limit: -1, Window: time.Minute},
		{Limit: 1, Window: 0},
		{Limit: 1, Window: -time.Second},
	} {
		d, err := l.Allow(context.Background(), "invalid", rl)
		if err == nil {
			t.Errorf("Allow with %+v = %+v, want an error", rl, d)
		}
	}
}
