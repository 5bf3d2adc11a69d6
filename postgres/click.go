package postgres

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/shortener-dev/shortener"
)

// ClickStore keeps clicks and their daily rollups in PostgreSQL.
type ClickStore struct{ db *DB }

var _ shortener.ClickStore = (*ClickStore)(nil)

// NewClickStore returns a ClickStore on db.
func NewClickStore(db *DB) *ClickStore { return &ClickStore{db: db} }

// insertEventsSQL returns the statement that stores a batch of click rows
// and the visitor hashes of those that are new, in one round trip:
//
//   - live takes a KEY SHARE lock on the batch's links that still exist.
//     It blocks a concurrent delete until the batch commits, but neither
//     other batches nor updates of the links. The click tables have no
//     foreign keys: this lock, and writing rows only for the links it
//     holds, is what keeps them from outliving their link (DeleteLink).
//   - ins inserts the clicks of live links, with onConflict: the
//     statements below differ only in what a known click (ID and time,
//     the partitioned table's key) does.
//   - vis records the human visitor hashes of the inserted clicks per UTC
//     day; a hash already seen that day is skipped. Each distinct hash of
//     the batch is looked up once: a visitor's many clicks in one batch
//     (a hot link's usual case) would otherwise each probe the index.
//   - hook queues the inserted clicks for the webhooks of their links'
//     owners that receive link.clicked ($12: the time queued), in the
//     transaction of the clicks. When no webhook anywhere receives
//     link.clicked, the uncorrelated EXISTS is a one-time filter and the
//     join is never run.
//
// It returns the ID of each inserted click and the (link, day) of each new
// visitor; Go aggregates the rest. Columns arrive as arrays and are
// unnested, so the cost in round trips does not grow with the batch.
func insertEventsSQL(onConflict string) string {
	return `
	WITH live AS (
		SELECT id FROM short_urls WHERE id = ANY($2::uuid[])
		ORDER BY id FOR KEY SHARE
	), ins AS (
		INSERT INTO click_events
			(id, link_id, occurred_at, referrer, browser, os, device, country, is_bot, visitor_hash, target)
		SELECT c.* FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::text[], $5::text[],
			$6::text[], $7::text[], $8::text[], $9::boolean[], $10::text[], $11::text[])
			AS c (id, link_id, occurred_at, referrer, browser, os, device, country, is_bot, visitor_hash, target)
		WHERE c.link_id IN (SELECT id FROM live)
		` + onConflict + `
		RETURNING id, link_id, occurred_at, is_bot, visitor_hash, referrer, country, browser, os, device, target
	), hook AS (
		INSERT INTO webhook_pending_clicks (webhook_id, click_id, link_id, short_code, occurred_at, queued_at,
			referrer, country, browser, os, device, is_bot, target)
		SELECT w.id, ins.id, ins.link_id, u.short_code, ins.occurred_at, $12,
			ins.referrer, ins.country, ins.browser, ins.os, ins.device, ins.is_bot, ins.target
		FROM ins JOIN short_urls u ON u.id = ins.link_id JOIN webhooks w ON w.user_id = u.owner_id
		WHERE ` + subscribedTo(shortener.EventLinkClicked) + `
			AND EXISTS (SELECT FROM webhooks w WHERE ` + subscribedTo(shortener.EventLinkClicked) + `)
	), vis AS (
		INSERT INTO link_daily_visitors (link_id, day, visitor_hash)
		SELECT DISTINCT link_id, (occurred_at AT TIME ZONE 'UTC')::date, visitor_hash FROM ins
		WHERE NOT is_bot AND visitor_hash <> ''
		ORDER BY 1, 2, 3
		ON CONFLICT DO NOTHING
		RETURNING link_id, day
	)
	SELECT id, NULL::uuid, NULL::date FROM ins
	UNION ALL
	SELECT NULL, link_id, day FROM vis`
}

// A batch is written first as new clicks, and again skipping the known
// ones if that fails on the key: only a redelivered batch (its write
// failed, or its consumer died, after the clicks were stored) holds any.
// ON CONFLICT would probe the key's index for every row before inserting
// it, which the insert does anyway; that probe was 12 % of the database's
// CPU under a hot link's clicks.
var (
	insertNewEventsSQL  = insertEventsSQL("")
	insertSomeEventsSQL = insertEventsSQL("ON CONFLICT (id, occurred_at) DO NOTHING")
)

// WriteClicks stores the clicks, their links' click_count and the daily
// rollups in one transaction. Only clicks actually inserted (new IDs of
// links that still exist) reach the counters, so a batch delivered twice is
// counted once.
func (s *ClickStore) WriteClicks(ctx context.Context, clicks []shortener.ClickEvent) error {
	clicks = shortener.UniqueClicks(clicks)
	if len(clicks) == 0 {
		return ctx.Err()
	}
	err := s.writeClicks(ctx, clicks, insertNewEventsSQL)
	if pgCode(err) == uniqueViolation {
		err = s.writeClicks(ctx, clicks, insertSomeEventsSQL)
	}
	if err != nil {
		return fmt.Errorf("postgres: write clicks: %w", err)
	}
	return nil
}

func (s *ClickStore) writeClicks(ctx context.Context, clicks []shortener.ClickEvent, insertSQL string) error {
	return retryDeadlock(func() error {
		return pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
			fresh, newVisitors, err := insertEvents(ctx, tx, clicks, insertSQL)
			if err != nil {
				return err
			}
			return addRollup(ctx, tx, shortener.NewClickRollup(fresh), newVisitors)
		})
	})
}

// insertEvents runs insertSQL, one of insertEventsSQL's statements. It
// returns the clicks that were new and, per (link, day), how many of their
// visitors were new. It changes clicks only once the statement succeeded.
func insertEvents(ctx context.Context, tx pgx.Tx, clicks []shortener.ClickEvent, insertSQL string) ([]shortener.ClickEvent, map[shortener.DayKey]int64, error) {
	n := len(clicks)
	var (
		ids, links                                    = make([]pgtype.UUID, n), make([]pgtype.UUID, n)
		at                                            = make([]time.Time, n)
		referrers, browsers, oses, devices, countries = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		bots                                          = make([]bool, n)
		visitors, targets                             = make([]string, n), make([]string, n)
	)
	for i, c := range clicks {
		ids[i], links[i], at[i] = uuidOf(c.ID), uuidOf(c.LinkID), c.OccurredAt
		referrers[i], browsers[i], oses[i], devices[i], countries[i] = c.Referrer, c.Browser, c.OS, c.Device, c.Country
		bots[i], visitors[i], targets[i] = c.IsBot, c.VisitorHash, c.Target
	}
	rows, err := tx.Query(ctx, insertSQL,
		ids, links, at, referrers, browsers, oses, devices, countries, bots, visitors, targets, shortener.SystemClock())
	if err != nil {
		return nil, nil, fmt.Errorf("insert events: %w", err)
	}
	var (
		id, link pgtype.Text
		day      pgtype.Date
		isNew    = make(map[string]bool, n)
		visitorN = map[shortener.DayKey]int64{}
	)
	_, err = pgx.ForEachRow(rows, []any{&id, &link, &day}, func() error {
		if id.Valid {
			isNew[id.String] = true
		} else {
			visitorN[shortener.DayKey{Link: link.String, Day: shortener.UTCDay(day.Time)}]++
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("insert events: %w", err)
	}
	fresh := slices.DeleteFunc(clicks, func(c shortener.ClickEvent) bool { return !isNew[c.ID] })
	return fresh, visitorN, nil
}

// uuidOf parses a canonical UUID, already checked with shortener.IsID.
// Arrays of pgtype.UUID go to the server in binary; pgx cannot send a
// []string as uuid[] that way and would fall back to text after building
// an error that formats the whole array.
func uuidOf(s string) pgtype.UUID {
	var u pgtype.UUID
	_ = u.Scan(s)
	return u
}

func uuidsOf(ss []string) []pgtype.UUID {
	out := make([]pgtype.UUID, len(ss))
	for i, s := range ss {
		out[i] = uuidOf(s)
	}
	return out
}
