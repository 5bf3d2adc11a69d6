package main

import (
	"context"
	"fmt"
	"log/slog"

	goredis "github.com/redis/go-redis/v9"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/analytics"
	"github.com/shortener-dev/shortener/geoip"
	"github.com/shortener-dev/shortener/pipeline"
	"github.com/shortener-dev/shortener/spool"
)

// clickSpool is a spool of either kind: the redirect records into it, the
// shipper reads from it, and its Ping is the clicks health check (failing
// while clicks cannot be kept as they should: a full disk, a full queue).
type clickSpool interface {
	shortener.ClickRecorder
	shortener.ClickSource
	shortener.HealthChecker
	Close() error
}

// newEnricher opens the GeoIP database, if any, and returns the click
// enrichment that the shipper and the redirect share.
func (a *app) newEnricher(cfg *config, secret []byte) (*analytics.Enricher, error) {
	var countries shortener.CountryLookup
	if cfg.GeoIPDB != "" {
		geo, err := geoip.Open(cfg.GeoIPDB)
		if err != nil {
			// The setting names a file that is no country database (a bad
			// value: exit status 2, as for a missing file).
			return nil, fmt.Errorf("%w: GEOIP_DB: %w", errConfig, err)
		}
		countries = geo
		a.onShutdown = append(a.onShutdown, func(context.Context) { _ = geo.Close() })
	}
	return analytics.NewEnricher(secret, countries), nil
}

// clickPipeline starts the spool, the click stream's consumer and the
// shipper that moves clicks from the spool to the stream, and returns the
// spool: the redirect's recorder and the clicks health check. rdb is the
// Redis client, nil without Redis; enricher is shared with the redirect.
func (a *app) clickPipeline(ctx, bgCtx context.Context, cfg *config, st *storage, rdb goredis.UniversalClient, enricher *analytics.Enricher) (clickSpool, error) {
	metrics := a.pipelineMetrics
	opts := spool.Options{Metrics: metrics, Logger: a.logger}
	var src clickSpool
	if cfg.ClickSpool == "memory" {
		src = spool.NewMemory(1<<20, opts)
	} else {
		s, err := spool.Open(spoolDir(cfg), opts)
		if err != nil {
			return nil, fmt.Errorf("open click spool: %w", err)
		}
		src = s
	}
	stream, err := a.clickStream(ctx, cfg, rdb)
	if err != nil {
		_ = src.Close()
		return nil, fmt.Errorf("click stream: %w", err)
	}
	a.consumeClicks(bgCtx, stream, st.clicks)
	shipper := pipeline.NewShipper(src, enricher.Enrich, stream, pipeline.ShipperOptions{
		BatchSize: cfg.AnalyticsBatchSize, RetryMax: seconds(cfg.AnalyticsFlushInterval),
		Logger: a.logger, Metrics: metrics,
	})
	a.goBackground(bgCtx, "click shipper", shipper.Run)
	a.onShutdown = append(a.onShutdown, func(ctx context.Context) {
		if err := shipper.Drain(ctx); err != nil {
			a.logger.Warn("clicks left in the spool for the next start", slog.Int("pending", src.Pending()), slog.Any("error", err))
		}
		_ = src.Close()
	})
	return src, nil
}
