package postgres

import (
	"context"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/jackc/pgx/v5"
)

// Raw clicks live in monthly partitions of click_events (migration
// 00021), named click_events_YYYYMM, plus a DEFAULT partition for what
// no month covers. PruneClicks creates the coming months ahead and drops
// the months that retention has passed whole.

// partitionsAhead is how many months after the current one are created
// ahead of their clicks.
const partitionsAhead = 2

func partitionName(month time.Time) string { return "click_events_" + month.Format("200601") }

func monthOf(t time.Time) time.Time {
	y, m, _ := t.UTC().Date()
	return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
}

// PruneClicks creates the partitions of this month and the next ones, then
// deletes the raw clicks before cutoff (zero: none): months wholly before
// it are dropped, and the rest of the month it falls in is deleted row
// by row. Rollups are left alone.
func (s *ClickStore) PruneClicks(ctx context.Context, now, cutoff time.Time) (int64, error) {
	for i := 0; i <= partitionsAhead; i++ {
		if err := s.ensurePartition(ctx, monthOf(now).AddDate(0, i, 0)); err != nil {
			return 0, storeError("prune clicks", err, "", "")
		}
	}
	if cutoff.IsZero() {
		return 0, nil
	}
	n, err := s.dropMonthsBefore(ctx, monthOf(cutoff))
	if err != nil {
		return n, storeError("prune clicks", err, "", "")
	}
	tag, err := s.db.pool.Exec(ctx, `DELETE FROM click_events WHERE occurred_at < $1`, cutoff)
	if err != nil {
		return n, storeError("prune clicks", err, "", "")
	}
	return n + tag.RowsAffected(), nil
}

// ensurePartition creates the partition of month unless it exists,
// moving the month's rows out of the default partition first (attaching
// refuses a range the default still holds rows of). An advisory lock
// keeps instances that prune together from racing.
func (s *ClickStore) ensurePartition(ctx context.Context, month time.Time) error {
	name := partitionName(month)
	return pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, partitionLockKey()); err != nil {
			return err
		}
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, name).Scan(&exists); err != nil || exists {
			return err
		}
		from, to := month, month.AddDate(0, 1, 0)
		ident := pgx.Identifier{name}.Sanitize()
		for _, q := range []string{
			`CREATE TABLE ` + ident + ` (LIKE click_events INCLUDING DEFAULTS)`,
			`INSERT INTO ` + ident + ` SELECT * FROM click_events_default WHERE occurred_at >= $1 AND occurred_at < $2`,
			`DELETE FROM click_events_default WHERE occurred_at >= $1 AND occurred_at < $2`,
		} {
			args := []any{from, to}
			if q[0] == 'C' {
				args = nil
			}
			if _, err := tx.Exec(ctx, q, args...); err != nil {
				return fmt.Errorf("partition %s: %w", name, err)
			}
		}
		// Bounds are literals in DDL; both are times this code made.
		_, err := tx.Exec(ctx, fmt.Sprintf(`ALTER TABLE click_events ATTACH PARTITION %s FOR VALUES FROM ('%s') TO ('%s')`,
			ident, from.Format(time.RFC3339), to.Format(time.RFC3339)))
		return err
	})
}

// dropMonthsBefore drops the monthly partitions of the months before
// month, and returns about how many rows they held (the planner's
// estimate: counting exactly would read what is being thrown away).
func (s *ClickStore) dropMonthsBefore(ctx context.Context, month time.Time) (int64, error) {
	rows, err := s.db.pool.Query(ctx, `
		SELECT c.relname, greatest(c.reltuples, 0)::bigint FROM pg_inherits i
		JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = 'click_events'::regclass AND c.relname ~ '^click_events_[0-9]{6}$'
		  AND c.relname < $1`, partitionName(month))
	if err != nil {
		return 0, err
	}
	type part struct {
		name string
		rows int64
	}
	var parts []part
	var p part
	if _, err := pgx.ForEachRow(rows, []any{&p.name, &p.rows}, func() error { parts = append(parts, p); return nil }); err != nil {
		return 0, err
	}
	var n int64
	for _, p := range parts {
		if _, err := s.db.pool.Exec(ctx, `DROP TABLE IF EXISTS `+pgx.Identifier{p.name}.Sanitize()); err != nil {
			return n, err
		}
		n += p.rows
	}
	return n, nil
}

// partitionLockKey is the advisory lock of partition changes: one for
// the whole database (schemas that tests keep side by side wait on each
// other for a moment, which is harmless).
func partitionLockKey() int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte("shortener-click-partitions"))
	return int64(h.Sum64())
}
