package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/shortener-dev/shortener"
)

// EachClick calls fn with the link's raw clicks in [from, to), oldest
// first, from one read snapshot; rows are read as fn consumes them.
func (s *ClickStore) EachClick(ctx context.Context, linkID string, from, to time.Time, fn func(shortener.ClickEvent) error) error {
	tx, err := s.db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("sqlite: each click: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	rows, err := tx.QueryContext(ctx, `
		SELECT id, occurred_at, referrer, browser, os, device, country, is_bot, target
		FROM click_events
		WHERE link_id = ? AND occurred_at >= ? AND occurred_at < ?
		ORDER BY occurred_at, id`, strings.ToLower(linkID), micros(from), micros(to))
	if err != nil {
		return fmt.Errorf("sqlite: each click: %w", err)
	}
	defer rows.Close()
	c := shortener.ClickEvent{LinkID: strings.ToLower(linkID)}
	for rows.Next() {
		var at int64
		if err := rows.Scan(&c.ID, &at, &c.Referrer, &c.Browser, &c.OS, &c.Device, &c.Country, &c.IsBot, &c.Target); err != nil {
			return fmt.Errorf("sqlite: each click: scan: %w", err)
		}
		c.OccurredAt = fromMicros(at)
		if err := fn(c); err != nil {
			return err
		}
	}
	return rows.Err()
}

// pruneBatch is how many clicks one delete removes: the single writer is
// let go between batches, so that click flushes and link changes are not
// held up by a large first prune.
const pruneBatch = 5000

// PruneClicks deletes the raw clicks before cutoff (zero: none), in
// batches; the rollups stay. SQLite has nothing to prepare for the clicks
// to come.
func (s *ClickStore) PruneClicks(ctx context.Context, _, cutoff time.Time) (int64, error) {
	if cutoff.IsZero() {
		return 0, nil
	}
	var total int64
	for {
		res, err := s.db.write.ExecContext(ctx, `
			DELETE FROM click_events WHERE id IN (
				SELECT id FROM click_events WHERE occurred_at < ? LIMIT ?)`, micros(cutoff), pruneBatch)
		if err != nil {
			return total, fmt.Errorf("sqlite: prune clicks: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, fmt.Errorf("sqlite: prune clicks: %w", err)
		}
		total += n
		if n < pruneBatch {
			return total, nil
		}
	}
}
