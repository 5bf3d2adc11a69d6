package testenv

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Gate holds the first call that reaches it until the test lets it go, so
// that the calls made meanwhile queue behind it: the tests of a group
// commit (internal/groupcommit) put one where the work of a group is done.
type Gate struct {
	entered chan struct{} // closed when the first call is held
	release chan struct{}
	held    atomic.Bool
}

// NewGate returns a Gate that holds the first call to reach it.
func NewGate() *Gate {
	return &Gate{entered: make(chan struct{}), release: make(chan struct{})}
}

// Hold holds the first call until QueueBehind lets it go; later calls pass.
func (g *Gate) Hold() {
	if g.held.CompareAndSwap(false, true) {
		close(g.entered)
		<-g.release
	}
}

// QueueBehind starts first and waits until the gate holds it, starts each
// of rest, waits until waiting reports them all queued, then lets the
// first go and waits until every call has returned.
func (g *Gate) QueueBehind(t testing.TB, waiting func() int, first func(), rest ...func()) {
	t.Helper()
	var wg sync.WaitGroup
	wg.Go(first)
	select {
	case <-g.entered:
	case <-time.After(5 * time.Second):
		t.Fatal("the first call never reached the gate")
	}
	for _, call := range rest {
		wg.Go(call)
	}
	for deadline := time.Now().Add(5 * time.Second); waiting() != len(rest); {
		if time.Now().After(deadline) {
			close(g.release)
			t.Fatalf("%d calls queued, want %d", waiting(), len(rest))
		}
		time.Sleep(time.Millisecond)
	}
	close(g.release)
	wg.Wait()
}
