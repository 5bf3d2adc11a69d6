package backoff_test

import (
	"context"
	"testing"
	"time"

	"github.com/shortener-dev/shortener/internal/backoff"
)

func TestDelayDoublesUpToMax(t *testing.T) {
	tests := []struct {
		name     string
		min, max time.Duration
		want     []time.Duration // Delay before each Wait
	}{
		{"doubles then caps", time.Nanosecond, 5 * time.Nanosecond, []time.Duration{1, 2, 4, 5, 5}},
		{"min equals max", 3, 3, []time.Duration{3, 3, 3}},
		{"max below min counts as min", 4, 1, []time.Duration{4, 4}},
		{"zero waits nothing", 0, 0, []time.Duration{0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := backoff.Backoff{Min: tt.min, Max: tt.max}
			for i, want := range tt.want {
				if got := b.Delay(); got != want {
					t.Fatalf("Delay before wait %d = %v, want %v", i, got, want)
				}
				if !b.Wait(context.Background()) {
					t.Fatalf("Wait %d reported a done context", i)
				}
			}
		})
	}
}

func TestResetStartsOver(t *testing.T) {
	b := backoff.Backoff{Min: time.Nanosecond, Max: time.Microsecond}
	for range 4 {
		b.Wait(context.Background())
	}
	if b.Delay() != 16*time.Nanosecond {
		t.Fatalf("Delay after 4 waits = %v, want 16ns", b.Delay())
	}
	b.Reset()
	if b.Delay() != time.Nanosecond {
		t.Fatalf("Delay after Reset = %v, want Min", b.Delay())
	}
}

// TestWaitEndsWithItsContext: a wait of an hour must not hold up a
// shutdown. The deadline only stops a broken test from hanging.
func TestWaitEndsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan bool)
	go func() {
		b := backoff.Backoff{Min: time.Hour, Max: time.Hour}
		done <- b.Wait(ctx)
	}()
	cancel()
	select {
	case passed := <-done:
		if passed {
			t.Fatal("Wait reported the delay passed after its context was cancelled")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Wait ignored its cancelled context")
	}
	if backoff.Sleep(ctx, time.Hour) {
		t.Fatal("Sleep on a done context reported the delay passed")
	}
	if !backoff.Sleep(context.Background(), time.Nanosecond) {
		t.Fatal("Sleep of 1ns did not pass")
	}
}
