package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/shortener-dev/shortener"
)

// ClickStats reads the link's daily rollups for the UTC days first..last,
// and the top values of each dimension over that range. It never reads raw
// click events, so its cost depends on days and distinct values, not on
// the number of clicks.
func (s *ClickStore) ClickStats(ctx context.Context, linkID string, first, last time.Time, top int) (*shortener.ClickStats, error) {
	stats := &shortener.ClickStats{Days: []shortener.DayStats{}, Top: map[string][]shortener.LabelCount{}}
	for _, dim := range shortener.Dimensions {
		stats.Top[dim] = []shortener.LabelCount{}
	}
	if !shortener.IsID(linkID) {
		return stats, ctx.Err() // no such link: no rollups
	}
	from, to := dayTime(shortener.UTCDay(first)), dayTime(shortener.UTCDay(last))

	// One snapshot for both queries, so the days and the top lists agree.
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	err := pgx.BeginTxFunc(ctx, s.db.pool, opts, func(tx pgx.Tx) error {
		if err := readDays(ctx, tx, stats, linkID, from, to); err != nil {
			return err
		}
		if top <= 0 {
			return nil
		}
		return readTop(ctx, tx, stats, linkID, from, to, top)
	})
	if err != nil {
		return nil, storeError("click stats", err, "", "")
	}
	return stats, nil
}

func readDays(ctx context.Context, tx pgx.Tx, stats *shortener.ClickStats, linkID string, from, to time.Time) error {
	rows, err := tx.Query(ctx, `
		SELECT day, clicks, unique_visitors, bot_clicks
		FROM link_daily_stats
		WHERE link_id = $1 AND day BETWEEN $2 AND $3
		ORDER BY day`, linkID, from, to)
	if err != nil {
		return fmt.Errorf("days: %w", err)
	}
	var d shortener.DayStats
	_, err = pgx.ForEachRow(rows, []any{&d.Day, &d.Clicks, &d.UniqueVisitors, &d.BotClicks}, func() error {
		d.Day = dayTime(d.Day.Format(shortener.DayLayout)) // exactly midnight UTC
		stats.Days = append(stats.Days, d)
		return nil
	})
	if err != nil {
		return fmt.Errorf("days: %w", err)
	}
	return nil
}

func readTop(ctx context.Context, tx pgx.Tx, stats *shortener.ClickStats, linkID string, from, to time.Time, top int) error {
	// Values are counted in rows (the referrer) and in the days' dims
	// objects (the others; shortener.SplitDims). They compare COLLATE "C":
	// ties break in byte order, as in SQLite.
	rows, err := tx.Query(ctx, `
		WITH counts (dimension, value, clicks) AS (
			SELECT dimension, value, clicks FROM link_daily_dimensions
			WHERE link_id = $1 AND day BETWEEN $2 AND $3
			UNION ALL
			SELECT split_part(e.key, ':', 1) COLLATE "C", substr(e.key, strpos(e.key, ':') + 1) COLLATE "C", e.value::bigint
			FROM link_daily_stats s, jsonb_each_text(s.dims) AS e
			WHERE s.link_id = $1 AND s.day BETWEEN $2 AND $3
		)
		SELECT dimension, value, n FROM (
			SELECT dimension, value, sum(clicks)::bigint AS n,
				row_number() OVER (PARTITION BY dimension ORDER BY sum(clicks) DESC, value) AS rank
			FROM counts
			GROUP BY dimension, value
		) ranked
		WHERE rank <= $4
		ORDER BY dimension, rank`, linkID, from, to, top)
	if err != nil {
		return fmt.Errorf("top values: %w", err)
	}
	var (
		dim string
		lc  shortener.LabelCount
	)
	_, err = pgx.ForEachRow(rows, []any{&dim, &lc.Label, &lc.Count}, func() error {
		stats.Top[dim] = append(stats.Top[dim], lc)
		return nil
	})
	if err != nil {
		return fmt.Errorf("top values: %w", err)
	}
	return nil
}
