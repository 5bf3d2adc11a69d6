package redis

import (
	"context"
	"fmt"

	goredis "github.com/redis/go-redis/v9"
)

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
