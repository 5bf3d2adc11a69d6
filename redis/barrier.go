package redis

import (
	"context"
	"crypto/rand"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// A change that API.md says takes effect "at once, on every instance" (a
// link's redirect, a domain) is broadcast on a channel that every instance
// listens to. A PUBLISH returns when Redis has handed the message to the
// receivers' sockets, before they have acted on it: for a millisecond or
// so after the change was answered, another instance could still answer
// from what it had. So such a broadcast ends with a barrier, a message on
// the same channel that each receiver acknowledges (on the channel's
// ":acks" channel) once it has handled what came before it, which Redis
// delivers in the order one connection published it. The sender waits for
// as many acknowledgements as PUBLISH counted receivers other than itself
// (it has applied the change already), at most barrierWait, so that an
// instance that is stuck does not hold every change up. A lone instance
// waits for nobody. In Redis Cluster every PUBLISH of a channel goes to the
// node the listeners subscribe on (publisherFor), so that order and count
// hold there too.

// barrierWait bounds the wait for the receivers of a broadcast.
const barrierWait = 250 * time.Millisecond

// barrierPrefix begins a barrier's payload; no code or event begins so.
const barrierPrefix = "\x00barrier:"

// barriers are the barriers of one broadcast channel.
type barriers struct {
	client  goredis.UniversalClient
	channel string // the broadcast channel
	acks    string // the channel of acknowledgements
	self    string // this instance's name in its acknowledgements
	// listening is set while this instance's listener is subscribed: then
	// PUBLISH counts it among the receivers.
	listening atomic.Bool

	mu      sync.Mutex
	waiting map[string]chan struct{} // by barrier ID: one receive per acknowledgement
}

func newBarriers(client goredis.UniversalClient, channel string) *barriers {
	return &barriers{client: client, channel: channel, acks: channel + ":acks", self: rand.Text(), waiting: map[string]chan struct{}{}}
}

// add queues a barrier on p after the broadcast's messages. The wait it
// returns, called once p has run (with p's error), returns when the other
// instances have acknowledged it (see open).
func (b *barriers) add(ctx context.Context, p goredis.Pipeliner) (wait func(context.Context, error)) {
	payload, waitAcks := b.open()
	barrier := p.Publish(ctx, b.channel, payload)
	return func(ctx context.Context, err error) {
		var receivers int64
		if err == nil {
			receivers = barrier.Val()
		}
		waitAcks(ctx, receivers)
	}
}

// open starts a barrier: payload is the message to publish after the
// broadcast, and wait returns once the n receivers (as PUBLISH counted
// them; 0 when the publish failed) other than this instance acknowledged
// it, after barrierWait, or when ctx ends. wait must be called once.
func (b *barriers) open() (payload string, wait func(ctx context.Context, n int64)) {
	id := rand.Text()
	acked := make(chan struct{}, 16)
	b.mu.Lock()
	b.waiting[id] = acked
	b.mu.Unlock()
	return barrierPrefix + id, func(ctx context.Context, n int64) {
		defer func() {
			b.mu.Lock()
			delete(b.waiting, id)
			b.mu.Unlock()
		}()
		if b.listening.Load() {
			n-- // this instance: its acknowledgement is not waited for
		}
		if n <= 0 {
			return
		}
		timeout := time.NewTimer(barrierWait)
		defer timeout.Stop()
		for ; n > 0; n-- {
			select {
			case <-acked:
			case <-timeout.C:
				return
			case <-ctx.Done():
				return
			}
		}
	}
}

// received handles one message of a listener subscribed to the broadcast
// channel and to b.acks (both, on one subscription): an acknowledgement
// goes to the barrier's wait, and a barrier of the broadcast channel is
// acknowledged. It reports whether the message was either; any other is
// the listener's to handle.
func (b *barriers) received(m *goredis.Message) bool {
	if m.Channel == b.acks {
		id, from, _ := strings.Cut(m.Payload, "/")
		if from == b.self {
			return true
		}
		b.mu.Lock()
		acked := b.waiting[id]
		b.mu.Unlock()
		if acked != nil {
			select {
			case acked <- struct{}{}:
			default: // more acknowledgements than receivers counted
			}
		}
		return true
	}
	id, ok := strings.CutPrefix(m.Payload, barrierPrefix)
	if !ok {
		return false
	}
	// Not on the listener's goroutine: the messages after the barrier
	// need not wait for this round trip.
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), barrierWait)
		defer cancel()
		// On the broadcast channel's node, where the sender listens.
		if pub, _, err := publisherFor(ctx, b.client, b.channel); err == nil {
			_ = pub.Publish(ctx, b.acks, id+"/"+b.self).Err() // the sender's wait ends on its own
		}
	}()
	return true
}
