package webhook_test

import (
	"testing"
	"time"

	"github.com/shortener-dev/shortener/webhook"
)

func TestScheduleFollowsAPIDoc(t *testing.T) {
	want := []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour, 10 * time.Hour, 10 * time.Hour}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var total time.Duration
	for i, d := range want {
		for _, r := range []float64{0, 0.5, 0.999999} {
			next, ok := webhook.Schedule{Rand: func() float64 { return r }}.Next(i+1, at)
			lo, hi := at.Add(d*8/10), at.Add(d*12/10)
			if !ok || next.Before(lo) || next.After(hi) {
				t.Errorf("retry after attempt %d (rand %v) at %v, want within %v..%v", i+1, r, next.Sub(at), lo.Sub(at), hi.Sub(at))
			}
			if r == 0.5 && !next.Equal(at.Add(d)) {
				t.Errorf("retry after attempt %d without jitter at +%v, want +%v", i+1, next.Sub(at), d)
			}
		}
		total += d
	}
	if total < 27*time.Hour || total > 29*time.Hour {
		t.Errorf("retries span %v, want about 28 hours", total)
	}
	if _, ok := (webhook.Schedule{}).Next(len(want)+1, at); ok {
		t.Error("a retry after the last attempt")
	}
	// Real jitter spreads retries out.
	seen := map[time.Time]bool{}
	for range 20 {
		next, _ := webhook.Schedule{}.Next(2, at)
		seen[next] = true
	}
	if len(seen) < 10 {
		t.Errorf("20 retries fell on %d times: no jitter", len(seen))
	}
}
