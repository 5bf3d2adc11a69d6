package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/shortener-dev/shortener"
)

// Statements that add a batch's rollup to the counters. Each takes whole
// columns as arrays, so one statement covers the batch.
//
// upsertDaysSQL adds the batch's object of counts to the day's key by key:
// only the batch's keys (a few values) are looked up, and the stored object
// is copied once by ||. The merge is written out here rather than as a SQL
// function, which the planner would plan again for every batch.
const (
	upsertDimsSQL = `
		INSERT INTO link_daily_dimensions AS s (link_id, day, dimension, value, clicks)
		SELECT * FROM unnest($1::uuid[], $2::date[], $3::text[], $4::text[], $5::bigint[])
		ON CONFLICT (link_id, day, dimension, value) DO UPDATE SET clicks = s.clicks + EXCLUDED.clicks`
	upsertDaysSQL = `
		INSERT INTO link_daily_stats AS s (link_id, day, clicks, bot_clicks, unique_visitors, dims)
		SELECT * FROM unnest($1::uuid[], $2::date[], $3::bigint[], $4::bigint[], $5::bigint[], $6::jsonb[])
		ON CONFLICT (link_id, day) DO UPDATE SET
			clicks = s.clicks + EXCLUDED.clicks,
			bot_clicks = s.bot_clicks + EXCLUDED.bot_clicks,
			unique_visitors = s.unique_visitors + EXCLUDED.unique_visitors,
			dims = s.dims || coalesce((
				SELECT jsonb_object_agg(k, coalesce((s.dims ->> k)::bigint, 0) + v::bigint)
				FROM jsonb_each_text(EXCLUDED.dims) AS e (k, v)), '{}')`
	lockLinksSQL = `
		SELECT FROM short_urls WHERE id = ANY($1::uuid[])
		ORDER BY id FOR NO KEY UPDATE`
	addClickCountsSQL = `
		UPDATE short_urls s SET click_count = s.click_count + d.n
		FROM unnest($1::uuid[], $2::bigint[]) AS d (id, n)
		WHERE s.id = d.id`
)

// addRollup writes r, with newVisitors new unique visitors per (link, day),
// in one round trip: the statements do not depend on each other's results.
//
// Rows are written in key order and the tables in a fixed order, so
// concurrent batches wait for each other instead of deadlocking. The
// hottest rows (a popular link's counters) come last, so that they are
// held for as short a time as possible before the commit.
func addRollup(ctx context.Context, tx pgx.Tx, r *shortener.ClickRollup, newVisitors map[shortener.DayKey]int64) error {
	if len(r.Days) == 0 {
		return nil
	}
	var b pgx.Batch
	rows, objects := r.SplitDims()
	if n := len(rows); n > 0 {
		links, dimNames, values := make([]string, n), make([]string, n), make([]string, n)
		days, counts := make([]time.Time, n), make([]int64, n)
		for i, k := range rows {
			links[i], days[i], dimNames[i], values[i], counts[i] = k.Link, dayTime(k.Day), k.Dim, k.Value, r.Dims[k]
		}
		b.Queue(upsertDimsSQL, uuidsOf(links), days, dimNames, values, counts)
	}

	keys := r.SortedDays()
	n := len(keys)
	links, days := make([]string, n), make([]time.Time, n)
	clicks, bots, unique := make([]int64, n), make([]int64, n), make([]int64, n)
	dims := make([]string, n)
	for i, k := range keys {
		links[i], days[i] = k.Link, dayTime(k.Day)
		clicks[i], bots[i], unique[i] = r.Days[k].Clicks, r.Days[k].Bots, newVisitors[k]
		dims[i] = objects[k]
	}
	b.Queue(upsertDaysSQL, uuidsOf(links), days, clicks, bots, unique, dims)

	if humans := r.SortedLinks(); len(humans) > 0 {
		counts := make([]int64, len(humans))
		for i, l := range humans {
			counts[i] = r.LinkClicks[l]
		}
		ids := uuidsOf(humans)
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
