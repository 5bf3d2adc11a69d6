package links

import (
	"context"
	"sync"
	"time"

	"github.com/shortener-dev/shortener"
)

// maxGroup is the most creates one transaction stores.
const maxGroup = 256

// groupTimeout bounds a group's transaction: the HTTP server's WriteTimeout.
const groupTimeout = 30 * time.Second

// createQueue lets concurrent creates share a transaction (group commit).
// A create that finds the queue idle stores its link alone, as the store's
// CreateLink; creates that arrive meanwhile wait, and when it is done the
// first of them stores all that wait, up to maxGroup, with one CreateLinks,
// then hands the queue on to the next. A transaction's commit (its WAL
// write, on SQLite from the one writer) is then paid once per group rather
// than once per link (BENCHMARKS.md, "Creates share a transaction").
// One group at a time suits PostgreSQL too: with four or eight groups at
// once, scenario 4 stored fewer links a second.
type createQueue struct {
	store shortener.LinkStore

	mu      sync.Mutex
	waiting []*queuedCreate
	busy    bool // a create is storing a group
}

// queuedCreate is one create in the queue.
type queuedCreate struct {
	ctx  context.Context
	link *shortener.Link
	err  error
	done chan struct{} // closed once err is final
	lead chan struct{} // closed when this create is to store the next group
}

// create stores l as CreateLink does: ECONFLICT when its code is taken.
func (q *createQueue) create(ctx context.Context, l *shortener.Link) error {
	c := &queuedCreate{ctx: ctx, link: l, done: make(chan struct{}), lead: make(chan struct{})}
	q.mu.Lock()
	q.waiting = append(q.waiting, c)
	lead := !q.busy
	q.busy = true
	q.mu.Unlock()
	if !lead {
		select {
		case <-c.done:
			return c.err
		case <-c.lead: // c heads the queue: the next group is c's to store
		}
	}
	q.storeNext()
	<-c.done
	return c.err
}

// storeNext stores the group at the head of the queue, then hands the
// queue on to the first create still waiting, or leaves it idle.
func (q *createQueue) storeNext() {
	q.mu.Lock()
	n := min(len(q.waiting), maxGroup)
	group := q.waiting[:n:n]
	q.waiting = append([]*queuedCreate(nil), q.waiting[n:]...)
	q.mu.Unlock()

	// Deferred, so that even a store that panics hands the queue on.
	defer func() {
		q.mu.Lock()
		if len(q.waiting) > 0 {
			close(q.waiting[0].lead)
		} else {
			q.busy = false
		}
		q.mu.Unlock()
	}()
	q.storeGroup(group)
}

// storeGroup stores the group's links and sets each create's outcome.
func (q *createQueue) storeGroup(group []*queuedCreate) {
	defer func() {
		for _, c := range group {
			close(c.done)
		}
	}()
	// A create whose caller has gone is not stored, as the store would not.
	live := make([]*queuedCreate, 0, len(group))
	for _, c := range group {
		if c.err = c.ctx.Err(); c.err == nil {
			live = append(live, c)
		}
	}
	if len(live) == 1 {
		live[0].err = q.store.CreateLink(live[0].ctx, live[0].link)
		return
	}
	if len(live) == 0 {
		return
	}
	links := make([]*shortener.Link, len(live))
	for i, c := range live {
		links[i] = c.link
	}
	// The group outlives any one caller: a caller who leaves now finds
	// the link stored, as when it leaves just after a commit. It is
	// bounded by the server's write timeout, past which nobody gets an answer.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(live[0].ctx), groupTimeout)
	defer cancel()
	inserted, err := q.store.CreateLinks(ctx, links)
	if err != nil {
		// One link's failure fails the whole transaction: each again
		// alone, so that the others are stored and each gets its own error.
		for _, c := range live {
			c.err = q.store.CreateLink(c.ctx, c.link)
		}
		return
	}
	for i, c := range live {
		if !inserted[i] {
			c.err = shortener.Errorf(shortener.ECONFLICT, "%s", shortener.MsgCodeTaken)
		}
	}
}
