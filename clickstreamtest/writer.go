package clickstreamtest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

// deadline bounds every wait of the suite; it only stops a broken stream
// from hanging the test run, and says nothing about speed.
const deadline = 20 * time.Second

var errWriterDown = errors.New("click store down")

// recordingWriter stands in for the click store: it keeps a copy of every
// event it is given (it must not keep the slice) and fails its first
// failFirst calls.
type recordingWriter struct {
	failFirst int

	mu       sync.Mutex
	calls    int
	failed   int
	got      map[string][]shortener.ClickEvent // every delivered copy, by ID
	stopped  bool                              // Consume has returned
	lateCall int                               // calls after that
}

func (w *recordingWriter) WriteClicks(ctx context.Context, events []shortener.ClickEvent) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.calls++
	if w.stopped {
		w.lateCall++
	}
	if w.calls <= w.failFirst {
		w.failed++
		return errWriterDown
	}
	if w.got == nil {
		w.got = map[string][]shortener.ClickEvent{}
	}
	for _, e := range events {
		w.got[e.ID] = append(w.got[e.ID], e)
	}
	return nil
}

func (w *recordingWriter) counts() (calls, failed int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.calls, w.failed
}

func (w *recordingWriter) consumerStopped() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopped = true
}

func (w *recordingWriter) lateCalls() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.lateCall
}

// missing returns how many of events the writer has not seen yet, and
// fails the test on a delivered copy whose content differs from what was
// produced.
func (w *recordingWriter) missing(t *testing.T, events []shortener.ClickEvent) int {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, want := range events {
		copies := w.got[want.ID]
		if len(copies) == 0 {
			n++
		}
		for _, got := range copies {
			if !sameEvent(got, want) {
				t.Fatalf("event changed on the way:\n got %+v\nwant %+v", got, want)
			}
		}
	}
	return n
}

// sameEvent compares every field; the time as an instant, as a stream may
// hand it back in another location.
func sameEvent(a, b shortener.ClickEvent) bool {
	if !a.OccurredAt.Equal(b.OccurredAt) {
		return false
	}
	a.OccurredAt, b.OccurredAt = time.Time{}, time.Time{}
	return a == b
}

// waitForAll waits until the writer has seen every one of events.
func waitForAll(t *testing.T, w *recordingWriter, events []shortener.ClickEvent) {
	t.Helper()
	end := time.Now().Add(deadline)
	for {
		n := w.missing(t, events)
		if n == 0 {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("%d of %d events never reached the writer", n, len(events))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// startConsumer runs Consume with w until the returned stop, or the end of
// the test. stop fails the test if Consume does not return.
func startConsumer(t *testing.T, s shortener.ClickStream, w shortener.ClickWriter) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Consume(ctx, w)
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case <-done:
			case <-time.After(deadline):
				t.Errorf("Consume did not return within %v of its context ending", deadline)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}
