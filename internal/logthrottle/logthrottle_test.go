package logthrottle

import (
	"sync"
	"testing"
	"time"
)

func TestAllowOncePerIntervalAndOperation(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	th := New(time.Minute)
	th.now = func() time.Time { return now }

	steps := []struct {
		name    string
		advance time.Duration
		op      string
		want    bool
	}{
		{"first line of an operation", 0, "get", true},
		{"repeat within the interval", 0, "get", false},
		{"another operation is independent", 0, "set", true},
		{"just before the interval ends", 59 * time.Second, "get", false},
		{"once the interval has passed", time.Second, "get", true},
		{"the new interval runs from then", 30 * time.Second, "get", false},
		{"the other operation's interval ended too", 0, "set", true},
	}
	for _, s := range steps {
		now = now.Add(s.advance)
		if got := th.Allow(s.op); got != s.want {
			t.Fatalf("%s: Allow(%q) = %v, want %v", s.name, s.op, got, s.want)
		}
	}
}

// Many goroutines failing at once still get exactly one line.
func TestAllowConcurrent(t *testing.T) {
	th := New(time.Hour)
	var mu sync.Mutex
	admitted := 0
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			if th.Allow("op") {
				mu.Lock()
				admitted++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if admitted != 1 {
		t.Fatalf("%d lines admitted, want 1", admitted)
	}
}
