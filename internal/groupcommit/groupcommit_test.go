package groupcommit_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/shortener-dev/shortener/internal/groupcommit"
	"github.com/shortener-dev/shortener/internal/testenv"
)

// item is one call's work and its outcome.
type item struct {
	n   int
	out int
}

// heldRun records the groups it runs and holds the first at its gate, so
// that the calls behind it queue.
type heldRun struct {
	gate *testenv.Gate

	mu     sync.Mutex
	groups [][]int
}

func newHeldRun() *heldRun { return &heldRun{gate: testenv.NewGate()} }

func (h *heldRun) run(group []*item) {
	h.mu.Lock()
	var ns []int
	for _, it := range group {
		ns = append(ns, it.n)
		it.out = it.n * 10
	}
	h.groups = append(h.groups, ns)
	h.mu.Unlock()
	h.gate.Hold()
	for _, it := range group {
		if it.n < 0 {
			panic("negative item")
		}
	}
}

// queueBehindFirst calls do with item 0, which the run holds, then with
// the others, each from its own goroutine, once item 0 is held.
func queueBehindFirst[T any](t *testing.T, q *groupcommit.Queue[T], h *heldRun, items []T, do func(T)) {
	t.Helper()
	var rest []func()
	for _, it := range items[1:] {
		rest = append(rest, func() { do(it) })
	}
	h.gate.QueueBehind(t, q.Waiting, func() { do(items[0]) }, rest...)
}

// TestCallsShareAGroup: calls that arrive while a group runs wait and then
// run together, at most max at a time, each once; each sees
// its own outcome.
func TestCallsShareAGroup(t *testing.T) {
	h := newHeldRun()
	q := groupcommit.New(4, h.run)
	items := make([]*item, 10)
	for i := range items {
		items[i] = &item{n: i}
	}
	queueBehindFirst(t, q, h, items, q.Do)

	if len(h.groups) != 4 || !slices.Equal(h.groups[0], []int{0}) || len(h.groups[1]) != 4 || len(h.groups[3]) != 1 {
		t.Fatalf("groups %v, want [0], then the 9 waiting in groups of at most 4", h.groups)
	}
	var ran []int
	for _, g := range h.groups {
		ran = append(ran, g...)
	}
	if slices.Sort(ran); !slices.Equal(ran, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) {
		t.Errorf("groups %v, want each call run once", h.groups)
	}
	for _, it := range items {
		if it.out != it.n*10 {
			t.Errorf("item %d: outcome %d, want %d", it.n, it.out, it.n*10)
		}
	}
	// Idle again: a lone call runs alone at once.
	lone := &item{n: 42}
	q.Do(lone)
	if lone.out != 420 || len(h.groups) != 5 {
		t.Errorf("a lone call after the burst: outcome %d, %d groups", lone.out, len(h.groups))
	}
}

// TestPanicReachesTheWholeGroup: a run that panics panics in every call of
// its group (none has an outcome) and leaves the queue free.
func TestPanicReachesTheWholeGroup(t *testing.T) {
	h := newHeldRun()
	q := groupcommit.New(8, h.run)
	items := []*item{{n: 0}, {n: 1}, {n: -1}, {n: 2}}
	var mu sync.Mutex
	panicked := map[int]bool{}
	do := func(it *item) {
		defer func() {
			if r := recover(); r != nil {
				mu.Lock()
				panicked[it.n] = true
				mu.Unlock()
			}
		}()
		q.Do(it)
	}
	queueBehindFirst(t, q, h, items, do)
	if panicked[0] || !panicked[1] || !panicked[-1] || !panicked[2] {
		t.Errorf("calls that panicked: %v; want the group of 1, -1 and 2, not the first call", panicked)
	}
	done := make(chan struct{})
	go func() {
		q.Do(&item{n: 5})
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the next call still waits for the queue after the panic")
	}
}

// A group's context keeps the first caller's values, not its
// cancellation, and ends at its own deadline.
func TestContextOutlivesTheFirstCaller(t *testing.T) {
	type key struct{}
	first, cancelFirst := context.WithCancel(context.WithValue(context.Background(), key{}, "request-1"))
	ctx, cancel := groupcommit.Context(first, time.Hour)
	defer cancel()
	cancelFirst()
	if ctx.Err() != nil || ctx.Value(key{}) != "request-1" {
		t.Fatalf("after the first caller left: err %v, value %v; want nil, request-1", ctx.Err(), ctx.Value(key{}))
	}
	if d, ok := ctx.Deadline(); !ok || time.Until(d) < 59*time.Minute {
		t.Fatalf("deadline %v, %v; want about an hour from now", d, ok)
	}
}
