package links

import (
	"context"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/groupcommit"
)

// maxGroup is the most creates one transaction stores.
const maxGroup = 256

// groupTimeout bounds a group's transaction: the HTTP server's WriteTimeout.
const groupTimeout = 30 * time.Second

// createQueue lets concurrent creates share a transaction (group commit,
// internal/groupcommit): a create that finds the queue idle stores its
// link alone, as the store's CreateLink; creates that arrive meanwhile
// wait, and the first of them then stores all that wait, up to maxGroup,
// with one CreateLinks. A transaction's commit (its WAL write, on SQLite
// from the one writer) is then paid once per group rather than once per
// link (BENCHMARKS.md, "Creates share a transaction"). One group at a
// time suits PostgreSQL too: with four or eight groups at once, scenario 4
// stored fewer links a second.
type createQueue struct {
	store  shortener.LinkStore
	groups *groupcommit.Queue[*queuedCreate]
}

func newCreateQueue(store shortener.LinkStore) *createQueue {
	q := &createQueue{store: store}
	q.groups = groupcommit.New(maxGroup, q.storeGroup)
	return q
}

// queuedCreate is one create in the queue.
type queuedCreate struct {
	ctx  context.Context
	link *shortener.Link
	err  error
}

// create stores l as CreateLink does: ECONFLICT when its code is taken.
func (q *createQueue) create(ctx context.Context, l *shortener.Link) error {
	c := &queuedCreate{ctx: ctx, link: l}
	q.groups.Do(c)
	return c.err
}

// storeGroup stores the group's links and sets each create's outcome.
func (q *createQueue) storeGroup(group []*queuedCreate) {
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
	ctx, cancel := groupcommit.Context(live[0].ctx, groupTimeout)
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
