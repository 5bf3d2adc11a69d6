package redis

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync/atomic"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/shortener-dev/shortener/internal/backoff"
)

// The instances hear each other's changes (link invalidations, domain
// changes) on broadcast channels. A listener is one instance's subscription
// to one of them, with its barrier acknowledgements (barrier.go), kept
// alive through Redis's outages, silent connections and, in Redis Cluster,
// failovers.

const (
	// livenessInterval is how long the subscription may stay silent before
	// it is pinged; a ping unanswered for as long again means the
	// connection is dead even if TCP has not noticed.
	livenessInterval = 15 * time.Second
	minResubscribe   = 100 * time.Millisecond
	// maxResubscribe bounds the wait between attempts: once Redis is back
	// (or a replica has taken a dead master's place), the instances hear
	// each other's changes again within it.
	maxResubscribe = time.Second
)

// listener runs an instance's subscription to a broadcast channel.
type listener struct {
	client   goredis.UniversalClient
	barriers *barriers // of the channel: barriers.channel is the channel
	what     string    // names the subscription in log lines
	logger   *slog.Logger
	// subscribed is called at each confirmed subscription; again reports
	// that messages may have been missed (an earlier subscription, or a
	// failure, came before it).
	subscribed func(again bool)
	// message is called with each message that is not a barrier's.
	message func(payload string)
	// lostHook, if set, is called when the subscription is lost (once
	// per outage).
	lostHook func()

	confirmed bool // a subscription has been confirmed before
	failing   bool // the subscription is down; logged once per outage
}

// run listens until ctx ends. It subscribes again, with backoff, whenever
// the subscription breaks.
func (l *listener) run(ctx context.Context) {
	retry := backoff.Backoff{Min: minResubscribe, Max: maxResubscribe}
	for {
		if l.listen(ctx) {
			retry.Reset()
		}
		if ctx.Err() != nil || !retry.Wait(ctx) {
			return
		}
	}
}

// listen runs one subscription until it fails or ctx ends, and reports
// whether it was confirmed. A fresh PubSub for each also replaces a
// connection that died silently, which go-redis would keep.
func (l *listener) listen(ctx context.Context) (confirmed bool) {
	channel := l.barriers.channel
	ps, err := subscribe(ctx, l.client, channel, l.barriers.acks)
	if err != nil {
		l.lost(err)
		return false
	}
	defer ps.Close()
	defer l.barriers.listening.Store(false)
	// Receive does not watch ctx; closing the PubSub interrupts it.
	stop := context.AfterFunc(ctx, func() { _ = ps.Close() })
	defer stop()

	pinged := false
	for {
		msg, err := ps.ReceiveTimeout(ctx, livenessInterval)
		if err != nil {
			switch {
			case ctx.Err() != nil:
			case isTimeout(err) && !pinged && ps.Ping(ctx) == nil:
				pinged = true
				continue
			case ps.Moved():
				// Subscribed again at once, and subscribed(again) then:
				// what was sent meanwhile went to the new master.
				l.logger.Info(l.what+" subscription follows its channel to the slot's new master", slog.String("channel", channel))
			default:
				l.lost(err)
			}
			return confirmed
		}
		pinged = false
		switch m := msg.(type) {
		case *goredis.Subscription:
			if m.Kind != "subscribe" || m.Channel != channel {
				continue
			}
			confirmed = true
			l.barriers.listening.Store(true)
			l.subscribed(l.confirmed || l.failing)
			if l.failing {
				l.logger.Info(l.what+" subscription restored", slog.String("channel", channel))
			}
			l.confirmed, l.failing = true, false
		case *goredis.Message:
			if !l.barriers.received(m) {
				l.message(m.Payload)
			}
		}
	}
}

// lost logs the loss of the subscription, once per outage.
func (l *listener) lost(err error) {
	if !l.failing {
		l.failing = true
		l.logger.Warn(l.what+" subscription lost; resubscribing", slog.String("channel", l.barriers.channel), slog.Any("error", err))
		if l.lostHook != nil {
			l.lostHook()
		}
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// ownerCheckInterval is how often a listener in Redis Cluster checks that
// its channel's slot still has the master it subscribed on.
const ownerCheckInterval = time.Second

// ownedPubSub is a broadcast listener's PubSub, subscribed on the node
// where publisherFor publishes the broadcast.
type ownedPubSub struct {
	*goredis.PubSub
	moved atomic.Bool
	stop  context.CancelFunc
}

// subscribe subscribes to channel (and the others, on the same connection)
// where channel's broadcasts are published (publisherFor). In Redis
// Cluster that is the master of channel's slot. After a failover another
// master has the slot and the broadcasts go there, where this subscription
// would hear nothing and PUBLISH would count nobody (a change answered
// before the other instances had it): so the owner is checked every
// ownerCheckInterval, against the client's view of the cluster (refreshed
// every clusterStateReload), and once it changed the PubSub is closed and
// Moved reports true: the listener subscribes again, on the new master.
func subscribe(ctx context.Context, client goredis.UniversalClient, channel string, others ...string) (*ownedPubSub, error) {
	channels := append([]string{channel}, others...)
	cc, ok := client.(*goredis.ClusterClient)
	if !ok {
		return &ownedPubSub{PubSub: client.Subscribe(ctx, channels...), stop: func() {}}, nil
	}
	master, err := cc.MasterForKey(ctx, channel)
	if err != nil {
		return nil, fmt.Errorf("find the node of channel %s: %w", channel, err)
	}
	owner := master.Options().Addr
	watch, stop := context.WithCancel(ctx)
	s := &ownedPubSub{PubSub: master.Subscribe(ctx, channels...), stop: stop}
	go func() {
		tick := time.NewTicker(ownerCheckInterval)
		defer tick.Stop()
		for {
			select {
			case <-watch.Done():
				return
			case <-tick.C:
			}
			if m, err := cc.MasterForKey(watch, channel); err == nil && m.Options().Addr != owner {
				s.moved.Store(true)
				_ = s.PubSub.Close() // ends the listener's Receive
				return
			}
		}
	}()
	return s, nil
}

// Moved reports whether the subscription was closed because its channel's
// slot moved to another master.
func (s *ownedPubSub) Moved() bool { return s.moved.Load() }

// Close ends the subscription and its watch.
func (s *ownedPubSub) Close() error {
	s.stop()
	return s.PubSub.Close()
}
