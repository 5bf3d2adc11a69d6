package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
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

// Every statement takes whole columns as arrays and unnests them, so a
// batch costs a fixed number of round trips whatever its size.
const (
	shareLinksSQL = `
		SELECT id FROM short_urls WHERE id = ANY($1::uuid[])
		ORDER BY id FOR KEY SHARE`
	lockLinksSQL = `
		SELECT FROM short_urls WHERE id = ANY($1::uuid[])
		ORDER BY id FOR NO KEY UPDATE`
	insertClicksSQL = `
		INSERT INTO click_events
			(id, link_id, occurred_at, referrer, browser, os, device, country, is_bot, visitor_hash)
		SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::text[], $5::text[],
			$6::text[], $7::text[], $8::text[], $9::boolean[], $10::text[])
		ON CONFLICT (id) DO NOTHING
		RETURNING id`
	insertVisitorsSQL = `
		INSERT INTO link_daily_visitors (link_id, day, visitor_hash)
		SELECT * FROM unnest($1::uuid[], $2::date[], $3::text[])
		ON CONFLICT DO NOTHING
		RETURNING link_id, day`
	addClickCountsSQL = `
		UPDATE short_urls s SET click_count = s.click_count + d.n
		FROM unnest($1::uuid[], $2::bigint[]) AS d (id, n)
		WHERE s.id = d.id`
	upsertDaysSQL = `
		INSERT INTO link_daily_stats AS s (link_id, day, clicks, bot_clicks, unique_visitors)
		SELECT * FROM unnest($1::uuid[], $2::date[], $3::bigint[], $4::bigint[], $5::bigint[])
		ON CONFLICT (link_id, day) DO UPDATE SET
			clicks = s.clicks + EXCLUDED.clicks,
			bot_clicks = s.bot_clicks + EXCLUDED.bot_clicks,
			unique_visitors = s.unique_visitors + EXCLUDED.unique_visitors`
	upsertDimsSQL = `
		INSERT INTO link_daily_dimensions AS s (link_id, day, dimension, value, clicks)
		SELECT * FROM unnest($1::uuid[], $2::date[], $3::text[], $4::text[], $5::bigint[])
		ON CONFLICT (link_id, day, dimension, value) DO UPDATE SET clicks = s.clicks + EXCLUDED.clicks`
)

// WriteClicks stores the clicks, their links' click_count and the daily
// rollups in one transaction. Only clicks actually inserted (new IDs of
// links that still exist) reach the counters, so a batch delivered twice is
// counted once.
func (s *ClickStore) WriteClicks(ctx context.Context, clicks []shortener.ClickEvent) error {
	clicks = uniqueClicks(clicks)
	if len(clicks) == 0 {
		return ctx.Err()
	}
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		live, err := shareLinks(ctx, tx, clicks)
		if err != nil {
			return err
		}
		fresh, err := insertEvents(ctx, tx, slices.DeleteFunc(clicks, func(c shortener.ClickEvent) bool {
			return !live[c.LinkID]
		}))
		if err != nil {
			return err
		}
		return addRollup(ctx, tx, newClickRollup(fresh))
	})
	if err != nil {
		return fmt.Errorf("postgres: write clicks: %w", err)
	}
	return nil
}

// shareLinks returns which of the clicks' links exist, and holds a KEY
// SHARE lock on them until the transaction ends, so that a concurrent
// delete cannot break the foreign keys mid-batch. The lock does not block
// other batches (nor updates of the link), only deletes.
func shareLinks(ctx context.Context, tx pgx.Tx, clicks []shortener.ClickEvent) (map[string]bool, error) {
	var ids []string
	seen := map[string]bool{}
	for _, c := range clicks {
		if !seen[c.LinkID] {
			seen[c.LinkID] = true
			ids = append(ids, c.LinkID)
		}
	}
	rows, err := tx.Query(ctx, shareLinksSQL, uuidsOf(ids))
	if err != nil {
		return nil, fmt.Errorf("find links: %w", err)
	}
	ids, err = pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("find links: %w", err)
	}
	live := make(map[string]bool, len(ids))
	for _, id := range ids {
		live[id] = true
	}
	return live, nil
}

// insertEvents inserts the click rows and returns the clicks that were new.
func insertEvents(ctx context.Context, tx pgx.Tx, clicks []shortener.ClickEvent) ([]shortener.ClickEvent, error) {
	if len(clicks) == 0 {
		return nil, nil
	}
	n := len(clicks)
	var (
		ids, links                                    = make([]pgtype.UUID, n), make([]pgtype.UUID, n)
		at                                            = make([]time.Time, n)
		referrers, browsers, oses, devices, countries = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		bots                                          = make([]bool, n)
		visitors                                      = make([]string, n)
	)
	for i, c := range clicks {
		ids[i], links[i], at[i] = uuidOf(c.ID), uuidOf(c.LinkID), c.OccurredAt
		referrers[i], browsers[i], oses[i], devices[i], countries[i] = c.Referrer, c.Browser, c.OS, c.Device, c.Country
		bots[i], visitors[i] = c.IsBot, c.VisitorHash
	}
	rows, err := tx.Query(ctx, insertClicksSQL,
		ids, links, at, referrers, browsers, oses, devices, countries, bots, visitors)
	if err != nil {
		return nil, fmt.Errorf("insert events: %w", err)
	}
	inserted, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("insert events: %w", err)
	}
	isNew := make(map[string]bool, len(inserted))
	for _, id := range inserted {
		isNew[id] = true
	}
	return slices.DeleteFunc(clicks, func(c shortener.ClickEvent) bool { return !isNew[c.ID] }), nil
}

func addRollup(ctx context.Context, tx pgx.Tx, r *clickRollup) error {
	if len(r.days) == 0 {
		return nil
	}
	newVisitors, err := insertVisitors(ctx, tx, r)
	if err != nil {
		return err
	}

	// The upserts do not depend on each other's results: one round trip
	// for all of them. Rows are written in key order and the tables in a
	// fixed order, so concurrent batches wait for each other instead of
	// deadlocking; the hottest rows (a popular link's counters) come last,
	// to be held for as short a time as possible before the commit.
	var b pgx.Batch
	if dims := r.sortedDims(); len(dims) > 0 {
		var (
			links, dimNames, values = make([]string, len(dims)), make([]string, len(dims)), make([]string, len(dims))
			dayVals                 = make([]time.Time, len(dims))
			counts                  = make([]int64, len(dims))
		)
		for i, k := range dims {
			links[i], dayVals[i], dimNames[i], values[i], counts[i] = k.link, dayTime(k.day), k.dim, k.value, r.dims[k]
		}
		b.Queue(upsertDimsSQL, uuidsOf(links), dayVals, dimNames, values, counts)
	}

	days := r.sortedDays()
	var (
		dLinks              = make([]string, len(days))
		dDays               = make([]time.Time, len(days))
		dClicks, dBots, dUV = make([]int64, len(days)), make([]int64, len(days)), make([]int64, len(days))
	)
	for i, k := range days {
		dLinks[i], dDays[i] = k.link, dayTime(k.day)
		dClicks[i], dBots[i], dUV[i] = r.days[k].clicks, r.days[k].bots, newVisitors[k]
	}
	b.Queue(upsertDaysSQL, uuidsOf(dLinks), dDays, dClicks, dBots, dUV)

	if links := r.sortedLinks(); len(links) > 0 {
		counts := make([]int64, len(links))
		for i, l := range links {
			counts[i] = r.linkClicks[l]
		}
		ids := uuidsOf(links)
		// The UPDATE's join locks rows in whatever order its plan visits
		// them; locking them first, in ID order, fixes the order.
		b.Queue(lockLinksSQL, ids)
		b.Queue(addClickCountsSQL, ids, counts)
	}
	if err := tx.SendBatch(ctx, &b).Close(); err != nil {
		return fmt.Errorf("rollups: %w", err)
	}
	return nil
}

// insertVisitors records the human visitor hashes and returns how many
// were new per (link, day).
func insertVisitors(ctx context.Context, tx pgx.Tx, r *clickRollup) (map[dayKey]int64, error) {
	out := map[dayKey]int64{}
	vs := r.sortedVisitors()
	if len(vs) == 0 {
		return out, nil
	}
	links, days, hashes := make([]string, len(vs)), make([]time.Time, len(vs)), make([]string, len(vs))
	for i, v := range vs {
		links[i], days[i], hashes[i] = v.link, dayTime(v.day), v.hash
	}
	rows, err := tx.Query(ctx, insertVisitorsSQL, uuidsOf(links), days, hashes)
	if err != nil {
		return nil, fmt.Errorf("visitors: %w", err)
	}
	var (
		link string
		day  time.Time
	)
	_, err = pgx.ForEachRow(rows, []any{&link, &day}, func() error {
		out[dayKey{link, dayOf(day)}]++
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("visitors: %w", err)
	}
	return out, nil
}

// uniqueClicks returns the clicks with repeated IDs dropped (the first
// wins), in a new slice: the caller's is left alone. A click whose ID or
// link ID is not a UUID is dropped too: it can match no link, and failing
// the batch would block every click queued behind it.
func uniqueClicks(clicks []shortener.ClickEvent) []shortener.ClickEvent {
	seen := make(map[string]bool, len(clicks))
	out := make([]shortener.ClickEvent, 0, len(clicks))
	for _, c := range clicks {
		// IDs are compared as the database returns them: lower case.
		c.ID, c.LinkID = strings.ToLower(c.ID), strings.ToLower(c.LinkID)
		if !seen[c.ID] && shortener.IsID(c.ID) && shortener.IsID(c.LinkID) {
			seen[c.ID] = true
			out = append(out, c)
		}
	}
	return out
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
