package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/shortener-dev/shortener"
)

// EachClick calls fn with the link's raw clicks in [from, to), oldest
// first; rows stream from the server as fn consumes them, and only the
// partitions of the range are read.
func (s *ClickStore) EachClick(ctx context.Context, linkID string, from, to time.Time, fn func(shortener.ClickEvent) error) error {
	if !shortener.IsID(linkID) {
		return ctx.Err()
	}
	err := pgx.BeginTxFunc(ctx, s.db.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			SELECT id, occurred_at, referrer, browser, os, device, country, is_bot, target
			FROM click_events
			WHERE link_id = $1 AND occurred_at >= $2 AND occurred_at < $3
			ORDER BY occurred_at, id`, linkID, from, to)
		if err != nil {
			return err
		}
		defer rows.Close()
		c := shortener.ClickEvent{LinkID: linkID}
		for rows.Next() {
			if err := rows.Scan(&c.ID, &c.OccurredAt, &c.Referrer, &c.Browser, &c.OS, &c.Device,
				&c.Country, &c.IsBot, &c.Target); err != nil {
				return err
			}
			c.OccurredAt = c.OccurredAt.UTC()
			if err := fn(c); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	return storeError("each click", err, "", "")
}
