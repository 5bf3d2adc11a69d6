package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

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
	from, to := shortener.UTCDay(first), shortener.UTCDay(last)

	// One snapshot for both queries, so the days and the top lists agree.
	tx, err := s.db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("sqlite: click stats: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()

	if err := readDays(ctx, tx, stats, linkID, from, to); err != nil {
		return nil, fmt.Errorf("sqlite: click stats: %w", err)
	}
	if top > 0 {
		if err := readTop(ctx, tx, stats, linkID, from, to, top); err != nil {
			return nil, fmt.Errorf("sqlite: click stats: %w", err)
		}
	}
	return stats, nil
}

func readDays(ctx context.Context, tx *sql.Tx, stats *shortener.ClickStats, linkID, from, to string) error {
	rows, err := tx.QueryContext(ctx, `
		SELECT day, clicks, unique_visitors, bot_clicks
		FROM link_daily_stats
		WHERE link_id = ? AND day BETWEEN ? AND ?
		ORDER BY day`, linkID, from, to)
	if err != nil {
		return fmt.Errorf("days: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			d   shortener.DayStats
			day string
		)
		if err := rows.Scan(&day, &d.Clicks, &d.UniqueVisitors, &d.BotClicks); err != nil {
			return fmt.Errorf("days: scan: %w", err)
		}
		if d.Day, err = time.Parse(shortener.DayLayout, day); err != nil {
			return fmt.Errorf("days: bad day %q: %w", day, err)
		}
		stats.Days = append(stats.Days, d)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("days: %w", err)
	}
	return nil
}

func readTop(ctx context.Context, tx *sql.Tx, stats *shortener.ClickStats, linkID, from, to string, top int) error {
	// Values are counted in rows (the referrer) and in the days' objects
	// of dimension counts (the others; shortener.SplitDims). Ties are
	// broken by the label in byte order (SQLite's BINARY collation), which
	// PostgreSQL matches with COLLATE "C".
	rows, err := tx.QueryContext(ctx, `
		WITH counts (dimension, value, clicks) AS (
			SELECT dimension, value, clicks FROM link_daily_dimensions
			WHERE link_id = ?1 AND day BETWEEN ?2 AND ?3
			UNION ALL
			SELECT substr(e.key, 1, instr(e.key, ':') - 1), substr(e.key, instr(e.key, ':') + 1), e.value
			FROM link_daily_stats AS s, json_each(s.dims) AS e
			WHERE s.link_id = ?1 AND s.day BETWEEN ?2 AND ?3
		)
		SELECT dimension, value, n FROM (
			SELECT dimension, value, sum(clicks) AS n,
				row_number() OVER (PARTITION BY dimension ORDER BY sum(clicks) DESC, value) AS rank
			FROM counts
			GROUP BY dimension, value
		)
		WHERE rank <= ?4
		ORDER BY dimension, rank`, linkID, from, to, top)
	if err != nil {
		return fmt.Errorf("top values: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			dim string
			lc  shortener.LabelCount
		)
		if err := rows.Scan(&dim, &lc.Label, &lc.Count); err != nil {
			return fmt.Errorf("top values: scan: %w", err)
		}
		stats.Top[dim] = append(stats.Top[dim], lc)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("top values: %w", err)
	}
	return nil
}
