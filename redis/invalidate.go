package redis

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/groupcommit"
)

var _ shortener.Invalidator = (*Invalidator)(nil)

const (
	// maxSendGroup is the most Invalidate calls one pipeline carries.
	maxSendGroup = 256
	// maxRedoChunk is the most codes one pipeline of repeats carries.
	maxRedoChunk = 5_000
	// redoSlack is how long past its due time a repeat waits for the
	// repeats due just after it, so that those of one burst of calls (their
	// first broadcasts shared a pipeline, but the callers returned one after
	// another) share a pipeline again. Late is safe: a repeat exists to
	// come after a stale write, never before.
	redoSlack = 50 * time.Millisecond
	// maxRetryCodes bounds the codes whose broadcast failed and waits for
	// Redis to come back; past it they are replaced by one resetMessage.
	maxRetryCodes = 100_000
	// resetMessage, published instead of a code, tells every instance to
	// drop its whole L1 and reload its code filter: too many codes were
	// changed while Redis was away to repeat them one by one. No link key
	// can be "*".
	resetMessage = "*"
)

// Invalidator drops a code from the Redis L2 and broadcasts it on the
// channel {prefix}invalidate, so that every instance drops it from its L1.
// An instance whose subscription drops may have missed messages, so it
// drops its whole L1 (onReset) once it is subscribed again; the L1 TTL
// bounds the staleness while Redis is unreachable.
//
// Concurrent Invalidate calls share a pipeline (internal/groupcommit), and
// one goroutine sends every repeat that is due in one pipeline, so a burst
// of link creates costs a few round trips to Redis rather than two per
// create (BENCHMARKS.md, "The invalidations share round trips").
type Invalidator struct {
	client    goredis.UniversalClient
	prefix    string
	channel   string
	onCode    func(code string)
	onReset   func()
	onLost    func() // see OnLost
	redoDelay time.Duration
	logger    *slog.Logger
	sends     *groupcommit.Queue[*pendingSend]
	barriers  *barriers // see barrier.go

	subscribed     chan struct{} // closed at the first confirmed subscription
	subscribedOnce sync.Once

	mu          sync.Mutex // guards the fields below
	closed      bool
	closing     chan struct{}
	redoQueue   []redo // in the order they are due: all wait redoDelay
	redoRunning bool   // redoLoop is running
	redos       sync.WaitGroup
	queued      int  // codes in redoQueue
	resetDue    bool // a resetMessage is queued for codes past maxRetryCodes
	failing     bool // repeats are failing; logged once per outage
}

// pendingSend is one Invalidate call's broadcast.
type pendingSend struct {
	ctx   context.Context
	codes []string
	err   error
}

// redo is a repeat of one Invalidate call's broadcast.
type redo struct {
	due   time.Time
	codes []string
}

// NewInvalidator returns an Invalidator for the keys under prefix. onCode
// drops one code from this instance's L1; onReset drops all of it. Both are
// called from Run's goroutine, and onCode also from Invalidate's.
func NewInvalidator(client goredis.UniversalClient, prefix string, onCode func(code string), onReset func()) *Invalidator {
	inv := &Invalidator{
		client:    client,
		prefix:    prefix,
		channel:   prefix + "invalidate",
		onCode:    onCode,
		onReset:   onReset,
		redoDelay: reinvalidateDelay,
		closing:   make(chan struct{}),
		logger:    slog.Default(),

		subscribed: make(chan struct{}),
	}
	inv.barriers = newBarriers(client, inv.channel)
	inv.sends = groupcommit.New(maxSendGroup, inv.sendGroup)
	return inv
}

// Subscribed is closed once Run's first subscription is confirmed: from
// then on this instance hears every change. State read from the database
// after it (the code filter) misses no change made meanwhile.
func (inv *Invalidator) Subscribed() <-chan struct{} { return inv.subscribed }

// OnLost sets a function called when the subscription is lost (before
// onReset, once it is back): while this instance hears nothing, a code
// made on another one is unknown here, so the code filter should let
// every code through to a lookup. Set it before Run.
func (inv *Invalidator) OnLost(f func()) { inv.onLost = f }

// SetLogger sends the Invalidator's log lines to logger.
func (inv *Invalidator) SetLogger(logger *slog.Logger) { inv.logger = logger }

// Invalidate tombstones url:{code} of each code, publishes the codes and drops
// them from this instance's L1, all codes in one pipeline, shared with the
// calls made meanwhile, and returns once every instance has dropped them
// (a barrier, barrier.go). It does all of it again after a few seconds,
// for an instance that missed the first (see maxWriteDelay for the
// tombstones). The local L1 is dropped even when Redis fails; the error
// is returned then.
func (inv *Invalidator) Invalidate(ctx context.Context, codes ...string) error {
	if len(codes) == 0 {
		return nil
	}
	p := &pendingSend{ctx: ctx, codes: codes}
	inv.sends.Do(p)
	inv.scheduleRedo(codes)
	return p.err
}

// sendGroup broadcasts the codes of a group of Invalidate calls in one
// pipeline. The pipeline outlives any one caller (each caller's context is
// bounded anyway), within writeTimeout.
func (inv *Invalidator) sendGroup(group []*pendingSend) {
	codes := group[0].codes
	if len(group) > 1 {
		codes = nil
		for _, p := range group {
			codes = append(codes, p.codes...)
		}
	}
	ctx, cancel := groupcommit.Context(group[0].ctx, writeTimeout)
	defer cancel()
	err := inv.broadcast(ctx, codes, true)
	for _, p := range group {
		p.err = err
	}
}

// broadcast drops the codes from the L2 and every L1; with settle, it
// returns once the other instances have dropped them too.
func (inv *Invalidator) broadcast(ctx context.Context, codes []string, settle bool) error {
	wait := func(context.Context, error) {}
	// A tombstone in place of each L2 value (one SET per key: in a
	// cluster the keys live in different slots), before the codes are
	// published, so that a receiver does not refill its L1 from the old L2
	// value, and no fill in flight puts the old value back.
	del := func(p goredis.Pipeliner) error {
		for _, code := range codes {
			p.Set(ctx, urlKey(inv.prefix, code), tombstone, tombstoneTTL)
		}
		return nil
	}
	publish := func(p goredis.Pipeliner) error {
		for _, code := range codes {
			p.Publish(ctx, inv.channel, code)
		}
		if settle {
			wait = inv.barriers.add(ctx, p)
		}
		return nil
	}
	pub, same, err := publisherFor(ctx, inv.client, inv.channel)
	switch {
	case err != nil:
	case same: // one round trip: a pipeline keeps its order
		_, err = inv.client.Pipelined(ctx, func(p goredis.Pipeliner) error { _ = del(p); return publish(p) })
	default:
		// Published even when a SET failed (a node down): the L1s drop
		// the codes all the same. The SETs get half the time, so that a
		// node that does not answer (any node holding one of the keys)
		// cannot keep the codes from the channel's node; the failure is
		// returned, and the repeat sets the tombstone where the key lives
		// by then (a replica that took over holds the old value).
		delCtx, cancel := context.WithTimeout(ctx, writeTimeout/2)
		_, delErr := inv.client.Pipelined(delCtx, del)
		cancel()
		_, err = pub.Pipelined(ctx, publish)
		err = errors.Join(delErr, err)
	}
	// After the tombstones, not before: a lookup here in between would
	// refill the L1 from the old L2 value.
	for _, code := range codes {
		// This instance dropped each code already. (Its own subscription
		// hears a reset too, and drops its L1 as the others do.)
		if code != resetMessage {
			inv.onCode(code)
		}
	}
	wait(ctx, err)
	if err != nil {
		return fmt.Errorf("invalidate link cache: %w", err)
	}
	return nil
}

// scheduleRedo queues codes to be broadcast again after redoDelay, and
// starts redoLoop if it is not running.
func (inv *Invalidator) scheduleRedo(codes []string) {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	if inv.closed {
		return
	}
	inv.queueRedo(codes)
}

// queueRedo is scheduleRedo with mu held. Every entry waits redoDelay, so
// appending keeps the queue in the order it falls due.
func (inv *Invalidator) queueRedo(codes []string) {
	inv.queued += len(codes)
	inv.redoQueue = append(inv.redoQueue, redo{due: time.Now().Add(inv.redoDelay), codes: codes})
	if !inv.redoRunning {
		inv.redoRunning = true
		inv.redos.Add(1)
		go inv.redoLoop()
	}
}

// redoLoop sends the queued repeats as they fall due (redoSlack late), all
// that are due in one pipeline, and every one at once when the Invalidator
// closes. It ends when the queue is empty.
func (inv *Invalidator) redoLoop() {
	defer inv.redos.Done()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		inv.mu.Lock()
		if len(inv.redoQueue) == 0 {
			inv.redoRunning = false
			inv.mu.Unlock()
			return
		}
		now := time.Now()
		if wait := inv.redoQueue[0].due.Add(redoSlack).Sub(now); wait > 0 && !inv.closed {
			inv.mu.Unlock()
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-inv.closing: // shutting down: do them now rather than never
			}
			continue
		}
		n := 0
		for n < len(inv.redoQueue) && (inv.closed || !inv.redoQueue[n].due.After(now)) {
			n++
		}
		// Resliced, not copied: thousands may wait behind the due ones.
		due := inv.redoQueue[:n:n]
		inv.redoQueue = inv.redoQueue[n:]
		var codes []string
		for _, r := range due {
			codes = append(codes, r.codes...)
		}
		inv.queued -= len(codes)
		inv.mu.Unlock()

		// In chunks: a backlog left by an outage must not need more than
		// writeTimeout for one pipeline, or it would fail for ever.
		for len(codes) > 0 {
			chunk := codes[:min(len(codes), maxRedoChunk)]
			codes = codes[len(chunk):]
			ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
			err := inv.broadcast(ctx, chunk, false)
			cancel()
			inv.redone(chunk, err)
		}
	}
}

// redone settles a repeat. A failed one is queued again, as often as it
// takes: an instance that missed the first broadcast without losing its
// subscription (Redis stalled rather than down) never resets, and its
// code filter would call a new code unknown for good. Past maxRetryCodes
// waiting, one resetMessage stands for the rest.
func (inv *Invalidator) redone(codes []string, err error) {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	hasReset := slices.Contains(codes, resetMessage)
	if err == nil {
		if hasReset {
			inv.resetDue = false
		}
		if inv.failing {
			inv.failing = false
			inv.logger.Info("link cache invalidations delivered again")
		}
		return
	}
	if !inv.failing {
		inv.failing = true
		inv.logger.Warn("link cache invalidation not delivered; repeating until Redis takes it",
			slog.Int("codes", len(codes)), slog.Any("error", err))
	}
	switch {
	case inv.closed:
		inv.logger.Warn("link cache invalidations not delivered at shutdown; other instances drop the links as their L1 entries expire",
			slog.Int("codes", len(codes)))
	case hasReset:
		inv.queueRedo([]string{resetMessage})
	case inv.resetDue: // the queued reset, due later, covers these
	case inv.queued+len(codes) > maxRetryCodes:
		inv.resetDue = true
		inv.queueRedo([]string{resetMessage})
	default:
		inv.queueRedo(codes)
	}
}

// Close runs the pending repeated invalidations at once and waits for them.
// Later Invalidate calls are not repeated. Run is stopped by its context.
func (inv *Invalidator) Close() error {
	inv.mu.Lock()
	if !inv.closed {
		inv.closed = true
		close(inv.closing)
	}
	inv.mu.Unlock()
	inv.redos.Wait()
	return nil
}

// Run receives invalidations and passes them to onCode until ctx ends. It
// resubscribes, with backoff, whenever the subscription breaks, and calls
// onReset when it is subscribed again (or subscribed late at start).
func (inv *Invalidator) Run(ctx context.Context) {
	l := &listener{client: inv.client, barriers: inv.barriers, what: "link cache invalidation", logger: inv.logger, lostHook: inv.onLost,
		subscribed: func(again bool) {
			inv.subscribedOnce.Do(func() { close(inv.subscribed) })
			if again { // messages may have been missed while not subscribed
				inv.onReset()
			}
		},
		message: func(payload string) {
			if payload == resetMessage {
				inv.onReset()
			} else {
				inv.onCode(payload)
			}
		}}
	l.run(ctx)
}
