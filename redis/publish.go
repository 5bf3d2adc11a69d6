package redis

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// Healthy reports whether Redis serves: it answers PING, and in a Cluster
// every master answers and says every slot is served (cluster_state:ok).
// Each master is asked, not one node: a node answers while the cluster it
// belongs to is down, and a master that died goes on owning its slots,
// unreachable, until the cluster notices (its node timeout) and a replica
// takes over; meanwhile a third of the keys fail while the others answer.
func Healthy(ctx context.Context, client goredis.UniversalClient) error {
	cc, ok := client.(*goredis.ClusterClient)
	if !ok {
		return client.Ping(ctx).Err()
	}
	return cc.ForEachMaster(ctx, func(ctx context.Context, master *goredis.Client) error {
		info, err := master.ClusterInfo(ctx).Result()
		if err != nil {
			return fmt.Errorf("redis cluster node %s: %w", master.Options().Addr, err)
		}
		if !strings.Contains(info, "cluster_state:ok") {
			return fmt.Errorf("redis cluster node %s: cluster state is not ok", master.Options().Addr)
		}
		return nil
	})
}

// publisherFor returns the client that publishes on channel. In Redis
// Cluster that is the master of the channel's slot, where go-redis
// subscribes the listeners of the channel: a PUBLISH sent there reaches
// them in the order it was sent, and counts them. (go-redis sends a
// PUBLISH, a command without a key, to any master: a broadcast's messages
// and its barrier then took different nodes and the cluster bus, arrived
// out of order, and PUBLISH counted the receivers of a node that had
// none.) Elsewhere it is client itself, and same is true.
func publisherFor(ctx context.Context, client goredis.UniversalClient, channel string) (pub goredis.Cmdable, same bool, err error) {
	cc, ok := client.(*goredis.ClusterClient)
	if !ok {
		return client, true, nil
	}
	master, err := cc.MasterForKey(ctx, channel)
	if err != nil {
		return nil, false, fmt.Errorf("find the node of channel %s: %w", channel, err)
	}
	return master, false, nil
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
