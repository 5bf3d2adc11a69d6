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

// pruneClicksSQL deletes up to a batch of the clicks before a cutoff of
// the links in an ID range (after, last].
const pruneClicksSQL = `
	DELETE FROM click_events WHERE id IN (
		SELECT id FROM click_events
		WHERE link_id IN (SELECT id FROM short_urls WHERE id > ? AND id <= ?) AND occurred_at < ?
		LIMIT ?)`

// pruneLinks is how many links one pass of PruneClicks covers; a variable
// for the tests.
var pruneLinks = 500

// PruneClicks deletes the raw clicks before cutoff (zero: none), in
// batches; the rollups stay. It walks the links in ID order, pruneLinks at
// a time, and deletes their old clicks by (link_id, occurred_at): the
// clicks have no index on occurred_at alone, which every click would pay
// for (migration 00053). A click always has its link (the foreign key
// cascades). SQLite has nothing to prepare for the clicks to come.
func (s *ClickStore) PruneClicks(ctx context.Context, _, cutoff time.Time) (int64, error) {
	if cutoff.IsZero() {
		return 0, nil
	}
	var total int64
	for after := ""; ; {
		var last sql.NullString
		err := s.db.read.QueryRowContext(ctx, `
			SELECT max(id) FROM (SELECT id FROM short_urls WHERE id > ? ORDER BY id LIMIT ?)`,
			after, pruneLinks).Scan(&last)
		if err != nil {
			return total, fmt.Errorf("sqlite: prune clicks: links: %w", err)
		}
		if !last.Valid {
			return total, nil
		}
		for {
			res, err := s.db.write.ExecContext(ctx, pruneClicksSQL, after, last.String, micros(cutoff), pruneBatch)
			if err != nil {
				return total, fmt.Errorf("sqlite: prune clicks: %w", err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				return total, fmt.Errorf("sqlite: prune clicks: %w", err)
			}
			total += n
			if n < pruneBatch {
				break
			}
		}
		after = last.String
	}
}
