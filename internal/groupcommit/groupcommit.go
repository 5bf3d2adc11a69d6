// Package groupcommit lets concurrent callers share one piece of work
// (group commit): a transaction, a network round trip.
//
// A caller that finds the queue idle runs its item alone, at once. Items
// that arrive meanwhile wait; when the run in progress is done, the first
// of them runs all that wait, up to the queue's limit, in one go, then
// hands the queue on. One group runs at a time, so a burst of N callers
// costs about two runs instead of N, and a lone caller waits for nothing.
package groupcommit

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Queue runs items in groups, one group at a time. The zero value is not
// usable; make one with New.
type Queue[T any] struct {
	max int
	run func(group []T)

	mu      sync.Mutex
	waiting []*entry[T]
	busy    bool // a group is running
}

// entry is one item in the queue.
type entry[T any] struct {
	item     T
	panicked any           // what the group's run panicked with, if it did
	done     chan struct{} // closed once the item's group has run
	lead     chan struct{} // closed when this entry is to run the next group
}

// New returns a Queue that runs groups of up to max items with run. run
// is called from one caller's goroutine at a time; it reports each item's
// outcome through the item itself (T is usually a pointer).
func New[T any](max int, run func(group []T)) *Queue[T] {
	return &Queue[T]{max: max, run: run}
}

// Context returns the context of a group's run: the values of first (a
// caller's context: its request ID, its trace) without its cancellation,
// since the run serves callers who stay after first has left, bounded by
// timeout instead.
func Context(first context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(first), timeout)
}

// Do queues item and returns once the group holding it has run. If that
// run panicked, Do panics too, in every caller of the group: none of them
// has its outcome.
func (q *Queue[T]) Do(item T) {
	e := &entry[T]{item: item, done: make(chan struct{}), lead: make(chan struct{})}
	q.mu.Lock()
	q.waiting = append(q.waiting, e)
	lead := !q.busy
	q.busy = true
	q.mu.Unlock()
	if !lead {
		select {
		case <-e.done:
			e.check()
			return
		case <-e.lead: // e heads the queue: the next group is e's to run
		}
	}
	q.runNext()
	<-e.done
}

// check panics if the entry's group panicked.
func (e *entry[T]) check() {
	if e.panicked != nil {
		panic(fmt.Sprintf("groupcommit: the run of this call's group panicked: %v", e.panicked))
	}
}

// Waiting is how many items wait for a group to hold them.
func (q *Queue[T]) Waiting() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.waiting)
}

// runNext runs the group at the head of the queue, then hands the queue on
// to the first entry still waiting, or leaves it idle.
func (q *Queue[T]) runNext() {
	q.mu.Lock()
	n := min(len(q.waiting), q.max)
	group := q.waiting[:n:n]
	q.waiting = append([]*entry[T](nil), q.waiting[n:]...)
	q.mu.Unlock()

	// Deferred, so that even a run that panics hands the queue on and
	// releases its group, whose other callers then panic too.
	defer func() {
		q.mu.Lock()
		if len(q.waiting) > 0 {
			close(q.waiting[0].lead)
		} else {
			q.busy = false
		}
		q.mu.Unlock()
	}()
	defer func() {
		r := recover()
		for _, e := range group {
			e.panicked = r
			close(e.done)
		}
		if r != nil {
			panic(r)
		}
	}()
	items := make([]T, len(group))
	for i, e := range group {
		items[i] = e.item
	}
	q.run(items)
}
