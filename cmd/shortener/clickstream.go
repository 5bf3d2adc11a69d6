package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/inmem"
	"github.com/shortener-dev/shortener/pipeline"
	"github.com/shortener-dev/shortener/redis"
)

// clickStream picks the hop between the shipper and the click store, apart
// from the cache: the Redis stream when REDIS_URL is set (rdb is its
// client), else the in-process hand-over, by which the shipper writes
// straight to the store. Another kind of stream is one more case here. ctx
// and the error are for a stream that connects at start: configured but
// unreachable is an error.
func (a *app) clickStream(ctx context.Context, cfg *config, rdb goredis.UniversalClient) (shortener.ClickStream, error) {
	switch {
	case cfg.RedisURL != "":
		return redis.NewClickStream(rdb, redis.ClickStreamOptions{
			Prefix: cfg.RedisKeyPrefix, Consumer: consumerName(cfg), BatchSize: cfg.AnalyticsBatchSize, Writers: cfg.AnalyticsWriters,
			ClaimIdle: seconds(cfg.ClickClaimIdle), ClaimInterval: min(seconds(cfg.ClickClaimIdle), 10*time.Second),
			Logger: a.logger, Metrics: a.pipelineMetrics,
		}), nil
	default:
		return inmem.NewClickStream(), nil
	}
}

// consumeClicks runs the stream's consumer, writing to the click store,
// until a shutdown hook stops it. Unlike the goBackground tasks it outlives
// the shipper's Drain (hooks run last added first, and this one is added
// before the drain's): with the in-process stream the drained clicks reach
// the store only through it. A stream with a connection of its own (an
// io.Closer; the Redis one shares the cache's client) is closed after its
// consumer stopped.
func (a *app) consumeClicks(bgCtx context.Context, stream shortener.ClickStream, store shortener.ClickWriter) {
	if c, ok := stream.(io.Closer); ok {
		a.onShutdown = append(a.onShutdown, func(context.Context) { _ = c.Close() })
	}
	ctx, stop := context.WithCancel(context.WithoutCancel(bgCtx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		stream.Consume(ctx, pipeline.CountWrites(store, a.pipelineMetrics))
		a.logger.Debug("background task stopped", slog.String("task", "click consumer"))
	}()
	a.onShutdown = append(a.onShutdown, func(context.Context) {
		stop()
		<-done
	})
}

// consumerName names this instance in the click stream's consumer group.
// It is stable across restarts (host and DATA_DIR), so a restarted
// instance finishes its own pending entries at once instead of leaving
// them to be claimed, and dead names do not pile up in the group.
func consumerName(cfg *config) string {
	host, _ := os.Hostname()
	dir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		dir = cfg.DataDir
	}
	sum := sha256.Sum256([]byte(dir))
	return fmt.Sprintf("%s-%x", host, sum[:4])
}
