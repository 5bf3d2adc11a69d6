package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/analytics"
	"github.com/shortener-dev/shortener/geoip"
	"github.com/shortener-dev/shortener/pipeline"
	"github.com/shortener-dev/shortener/spool"
)

// clickSpool is a spool of either kind: the redirect records into it, the
// shipper reads from it.
type clickSpool interface {
	shortener.ClickRecorder
	shortener.ClickSource
	Close() error
}

// clickPipeline starts the spool and the shipper that moves clicks to the
// backend's sink, and returns the recorder for the redirect.
func (a *app) clickPipeline(bgCtx context.Context, cfg *config, b backend, secret []byte) (shortener.ClickRecorder, error) {
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
	var countries shortener.CountryLookup
	if cfg.GeoIPDB != "" {
		geo, err := geoip.Open(cfg.GeoIPDB)
		if err != nil {
			_ = src.Close()
			return nil, fmt.Errorf("GEOIP_DB: %w", err)
		}
		countries = geo
		a.onShutdown = append(a.onShutdown, func(context.Context) { _ = geo.Close() })
	}
	enricher := analytics.NewEnricher(secret, countries)
	shipper := pipeline.NewShipper(src, enricher.Enrich, b.clickSink, pipeline.ShipperOptions{
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
