package redis

import (
	"context"
	"errors"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/shortener-dev/shortener"
)

var _ shortener.BlobCache = (*BlobCache)(nil)

// BlobCache is the shortener.BlobCache shared by all instances: plain Redis
// strings with a lifetime. Each operation is single-key (Delete sends one
// DEL per key in a pipeline), so it works unchanged on Redis Cluster.
type BlobCache struct {
	client goredis.UniversalClient
	prefix string
}

// NewBlobCache returns a cache storing key under prefix+key.
func NewBlobCache(client goredis.UniversalClient, prefix string) *BlobCache {
	return &BlobCache{client: client, prefix: prefix}
}

// Get returns the value of key; false when it is missing or expired.
func (c *BlobCache) Get(ctx context.Context, key string) ([]byte, bool, error) {
	v, err := c.client.Get(ctx, c.prefix+key).Bytes()
	if errors.Is(err, goredis.Nil) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, fmt.Errorf("blob cache get: %w", err)
	}
	return v, true, nil
}

// Set stores value under key for ttl (SET with PX, or EX for whole
// seconds). A ttl below one millisecond removes key instead: a value
// that is already expired must not be served.
func (c *BlobCache) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if ttl < time.Millisecond {
		return c.Delete(ctx, key)
	}
	if err := c.client.Set(ctx, c.prefix+key, value, ttl).Err(); err != nil {
		return fmt.Errorf("blob cache set: %w", err)
	}
	return nil
}

// Delete removes the keys; missing keys are not an error.
func (c *BlobCache) Delete(ctx context.Context, keys ...string) error {
	switch len(keys) {
	case 0:
		return nil
	case 1:
		if err := c.client.Del(ctx, c.prefix+keys[0]).Err(); err != nil {
			return fmt.Errorf("blob cache delete: %w", err)
		}
		return nil
	}
	// One DEL per key: a multi-key DEL fails on Cluster when the keys hash
	// to different slots.
	_, err := c.client.Pipelined(ctx, func(p goredis.Pipeliner) error {
		for _, k := range keys {
			p.Del(ctx, c.prefix+k)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("blob cache delete: %w", err)
	}
	return nil
}
