package analytics

import (
	"context"
	"log/slog"
	"time"

	"github.com/shortener-dev/shortener"
)

// Retention keeps the raw click rows in shape in the background: it runs
// the store's PruneClicks at start and then every Interval, which
// prepares the storage of the clicks to come and, with Days above 0,
// deletes raw rows older than Days days. The daily rollups stay, so
// summaries of old periods keep working.
type Retention struct {
	Clicks   shortener.ClickStore
	Days     int // CLICK_RETENTION_DAYS; 0 keeps raw clicks forever
	Interval time.Duration
	Clock    shortener.Clock
	Logger   *slog.Logger
}

// DefaultRetentionInterval is how often Retention prunes.
const DefaultRetentionInterval = time.Hour

// Run prunes until ctx is done.
func (r Retention) Run(ctx context.Context) {
	if r.Interval <= 0 {
		r.Interval = DefaultRetentionInterval
	}
	if r.Clock == nil {
		r.Clock = shortener.SystemClock
	}
	if r.Logger == nil {
		r.Logger = slog.New(slog.DiscardHandler)
	}
	t := time.NewTicker(r.Interval)
	defer t.Stop()
	for {
		r.PruneOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// PruneOnce runs one round of pruning and logs its outcome.
func (r Retention) PruneOnce(ctx context.Context) {
	now := r.Clock()
	var cutoff time.Time
	if r.Days > 0 {
		cutoff = now.AddDate(0, 0, -r.Days)
	}
	n, err := r.Clicks.PruneClicks(ctx, now, cutoff)
	switch {
	case err != nil && ctx.Err() == nil:
		r.Logger.WarnContext(ctx, "raw clicks not pruned", slog.Any("error", err))
	case n > 0:
		r.Logger.InfoContext(ctx, "old raw clicks deleted", slog.Int64("rows", n), slog.Time("before", cutoff))
	}
}
