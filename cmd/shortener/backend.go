package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/inmem"
	"github.com/shortener-dev/shortener/internal/logthrottle"
	"github.com/shortener-dev/shortener/redis"
)

// backend is the cache, limiter and invalidation of one mode. The click
// stream is chosen apart from it, in clickStream.
type backend struct {
	resolver    shortener.Resolver
	invalidator shortener.Invalidator
	onHit       func(code string)
	blobs       shortener.BlobCache
	limiter     shortener.RateLimiter
	cacheHealth shortener.HealthChecker
}

// L1 lifetimes: a found target is kept briefly (invalidation messages make
// changes visible at once; the TTL bounds staleness if one is missed), an
// unknown code shorter still.
const (
	l1TTL         = 30 * time.Second
	l1NegativeTTL = 5 * time.Second
	blobCacheSize = 64 << 20
)

// embeddedBackend keeps everything in process.
func (a *app) embeddedBackend(ctx, bgCtx context.Context, cfg *config, st *storage, clock shortener.Clock) backend {
	filter := inmem.NewCodeFilter(st.links.LinkKeys)
	l1 := inmem.NewLinkCache(storeResolver(st), inmem.LinkCacheOptions{
		Size: cfg.L1CacheSize, TTL: l1TTL, NegativeTTL: l1NegativeTTL, Filter: filter,
	})
	a.loadCodeFilter(ctx, bgCtx, filter, nil)
	return backend{
		resolver:    l1,
		invalidator: inmem.Invalidator{Cache: l1},
		blobs:       inmem.NewBlobCache(blobCacheSize, clock),
		limiter:     inmem.NewRateLimiter(clock),
		cacheHealth: pingFunc(func(context.Context) error { return nil }),
	}
}

// connectRedis connects to REDIS_URL, or returns nil when it is unset. The
// cache backend and the click stream share the client; it closes after
// both, at shutdown.
func (a *app) connectRedis(ctx context.Context, cfg *config) (goredis.UniversalClient, error) {
	if cfg.RedisURL == "" {
		return nil, nil
	}
	client, err := redis.Connect(ctx, cfg.RedisURL)
	if errors.Is(err, redis.ErrClusterNode) {
		return nil, fmt.Errorf("%w: REDIS_URL: %w", errConfig, err)
	} else if err != nil {
		return nil, err
	}
	a.onShutdown = append(a.onShutdown, func(context.Context) { _ = client.Close() })
	return client, nil
}

// redisBackend shares cache, limits and invalidation through Redis. The
// link cache reads and fills through a pipelining client of its own (its
// GET is on every redirect that misses L1, its SET on every miss of its
// own); everything else shares client.
func (a *app) redisBackend(ctx, bgCtx context.Context, cfg *config, st *storage, client goredis.UniversalClient, clock shortener.Clock) (backend, error) {
	pipelined, err := redis.ConnectPipelined(ctx, cfg.RedisURL)
	if err != nil {
		return backend{}, err
	}
	a.onShutdown = append(a.onShutdown, func(context.Context) { pipelined.Close() })
	prefix := cfg.RedisKeyPrefix
	errLog := everyMinute(a.logger)
	onError := func(ctx context.Context, op string, err error) {
		a.redisErrors.WithLabelValues(op).Inc()
		errLog(ctx, op, err)
	}
	l2 := redis.NewLinkCache(storeResolver(st), client, redis.LinkCacheOptions{
		Prefix: prefix, TTL: seconds(cfg.URLCacheTTL), HotThreshold: int64(cfg.HotURLClickThreshold), OnError: onError,
		Pipelined: pipelined,
	})
	filter := inmem.NewCodeFilter(st.links.LinkKeys)
	l1 := inmem.NewLinkCache(l2, inmem.LinkCacheOptions{
		Size: cfg.L1CacheSize, TTL: l1TTL, NegativeTTL: l1NegativeTTL, Filter: filter,
	})
	inv := redis.NewInvalidator(client, prefix, l1.Drop, l1.DropAll)
	inv.SetLogger(a.logger)
	inv.OnLost(filter.Suspend) // DropAll reloads it once the subscription is back
	a.goBackground(bgCtx, "link cache", l2.Run)
	a.goBackground(bgCtx, "invalidation", inv.Run)
	// Loaded once this instance hears the creates of the others: a code
	// made meanwhile is then in the load or heard (loaded first, the codes
	// made before the subscription held were unknown here until their
	// repeat, 3 s later).
	a.loadCodeFilter(ctx, bgCtx, filter, inv.Subscribed())
	// Before the client closes: pending cache writes and repeat invalidations.
	a.onShutdown = append(a.onShutdown, func(context.Context) { _ = l2.Close(); _ = inv.Close() })
	return backend{
		resolver:    l1,
		invalidator: inv,
		onHit:       l2.Hit,
		blobs:       redis.NewBlobCache(client, prefix),
		// While Redis fails, each instance keeps the limits on its own
		// rather than letting every request through.
		limiter: inmem.NewFallbackRateLimiter(redis.NewRateLimiter(client, prefix), clock,
			func(ctx context.Context, err error) { onError(ctx, "rate limit", err) }),
		cacheHealth: pingFunc(func(ctx context.Context) error { return redis.Healthy(ctx, client) }),
	}, nil
}

// storeResolver is the bottom of the lookup: the store's own Resolve (both
// SQL stores have one, reading a link by its key), else LinkByCode through
// shortener.StoreResolver (a store without it, in tests).
func storeResolver(st *storage) shortener.Resolver {
	if r, ok := st.links.(shortener.Resolver); ok {
		return r
	}
	return shortener.StoreResolver{Links: st.links}
}

// loadCodeFilter loads the filter of existing codes before the server
// serves, once ready is closed (nil: at once; after subscribeWait it loads
// anyway and again when ready closes). Without it (the load failed) every
// unknown code is looked up, which is slower but correct. Later reloads run
// in the background until shutdown, which waits for them before the
// database closes.
func (a *app) loadCodeFilter(ctx, bgCtx context.Context, f *inmem.CodeFilter, ready <-chan struct{}) {
	if ready != nil {
		select {
		case <-ready:
		case <-ctx.Done():
		case <-time.After(subscribeWait):
			a.logger.Warn("link cache invalidations not heard yet; the short code filter is loaded now and again once they are")
			a.goBackground(bgCtx, "code filter reload", func(bgCtx context.Context) {
				select {
				case <-ready:
					f.RequestReload()
				case <-bgCtx.Done():
				}
			})
		}
	}
	start := time.Now()
	if err := f.Load(ctx); err != nil {
		a.logger.Warn("short code filter not loaded; unknown codes will be looked up", slog.Any("error", err))
	} else {
		a.logger.Debug("short code filter loaded", slog.Duration("took", time.Since(start)))
	}
	a.goBackground(bgCtx, "code filter", f.Run)
}

// subscribeWait bounds how long the start waits for the invalidations'
// subscription before it loads the code filter.
const subscribeWait = 5 * time.Second

// everyMinute returns a logger of Redis errors that writes at most one
// line per operation a minute, so an outage does not flood the log. A line
// met in a request carries its ID.
func everyMinute(logger *slog.Logger) func(ctx context.Context, op string, err error) {
	throttle := logthrottle.New(time.Minute)
	return func(ctx context.Context, op string, err error) {
		if throttle.Allow(op) {
			logger.WarnContext(ctx, "redis unavailable; continuing without it", slog.String("op", op), slog.Any("error", err))
		}
	}
}
