package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/shortener-dev/shortener"
)

// ClickStore keeps clicks and their daily rollups in SQLite.
type ClickStore struct{ db *DB }

var _ shortener.ClickStore = (*ClickStore)(nil)

// NewClickStore returns a ClickStore on db.
func NewClickStore(db *DB) *ClickStore { return &ClickStore{db: db} }

var (
	// insertClicks adds new clicks. A click seen before (a replayed batch)
	// fails the statement, which then runs as insertClicksOnce: the same
	// rows, skipping known IDs and returning the new ones. Replays are rare,
	// and the plain form saves reading back every row of every batch.
	insertClicks = multiRow{
		head: `INSERT INTO click_events
			(id, link_id, occurred_at, referrer, browser, os, device, country, is_bot, visitor_hash, target)`,
		width: 11,
	}
	insertClicksOnce = multiRow{
		head:  insertClicks.head,
		tail:  `ON CONFLICT (id) DO NOTHING RETURNING id`,
		width: insertClicks.width,
	}
	addClickCounts = multiRow{
		head:  `WITH d(id, n) AS (`,
		tail:  `) UPDATE short_urls SET click_count = click_count + d.n FROM d WHERE short_urls.id = d.id`,
		width: 2,
	}
	insertVisitors = multiRow{
		head:  `INSERT INTO link_daily_visitors (link_id, day, visitor_hash)`,
		tail:  `ON CONFLICT DO NOTHING RETURNING link_id, day`,
		width: 3,
	}
	// upsertDays adds to the days' counters; the object of dimension counts
	// (shortener.SplitDims) gets each of its keys added, the others kept.
	upsertDays = multiRow{
		head: `INSERT INTO link_daily_stats (link_id, day, clicks, bot_clicks, unique_visitors, dims)`,
		tail: `ON CONFLICT (link_id, day) DO UPDATE SET
			clicks = clicks + excluded.clicks,
			bot_clicks = bot_clicks + excluded.bot_clicks,
			unique_visitors = unique_visitors + excluded.unique_visitors,
			dims = CASE WHEN excluded.dims = '{}' THEN dims ELSE add_counts(dims, excluded.dims) END`,
		width: 6,
	}
	// findLinks looks links up by ID: VALUES lists as any multiRow, so that
	// it is prepared once per size like the writes.
	findLinks = multiRow{
		head:  `SELECT id FROM short_urls WHERE id IN (`,
		tail:  `)`,
		width: 1,
	}
	upsertDims = multiRow{
		head:  `INSERT INTO link_daily_dimensions (link_id, day, dimension, value, clicks)`,
		tail:  `ON CONFLICT (link_id, day, dimension, value) DO UPDATE SET clicks = clicks + excluded.clicks`,
		width: 5,
	}
)

// WriteClicks stores the clicks, their links' click_count and the daily
// rollups in one transaction. Only clicks actually inserted (new IDs of
// links that still exist) reach the counters, so a batch delivered twice is
// counted once.
func (s *ClickStore) WriteClicks(ctx context.Context, clicks []shortener.ClickEvent) (err error) {
	clicks = shortener.UniqueClicks(clicks)
	if len(clicks) == 0 {
		return ctx.Err()
	}
	sqlTx, err := s.db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: write clicks: begin: %w", err)
	}
	tx := &writeTx{Tx: sqlTx, cache: s.db.stmts}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = writeClicks(ctx, tx, clicks); err != nil {
		return fmt.Errorf("sqlite: write clicks: %w", err)
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: write clicks: commit: %w", err)
	}
	tx.prepareMissed(ctx)
	return nil
}

func writeClicks(ctx context.Context, tx *writeTx, clicks []shortener.ClickEvent) error {
	// Inside the write transaction no link can disappear, so filtering here
	// keeps the foreign key from failing the whole batch.
	live, err := existingLinks(ctx, tx, clicks)
	if err != nil {
		return err
	}
	// clicks is UniqueClicks' own copy: filtering it in place is safe.
	fresh := clicks[:0]
	args := make([]any, 0, len(clicks)*insertClicks.width)
	for _, c := range clicks {
		if live[c.LinkID] {
			fresh = append(fresh, c)
			args = append(args, c.ID, c.LinkID, micros(c.OccurredAt), c.Referrer, c.Browser, c.OS,
				c.Device, c.Country, c.IsBot, c.VisitorHash, c.Target)
		}
	}
	for _, part := range insertClicks.chunks(len(fresh)) {
		lo, hi := part[0]*insertClicks.width, part[1]*insertClicks.width
		err := insertClicks.execOne(ctx, tx, args[lo:hi])
		if isUniqueViolation(err) {
			// SQLite undid the failed statement alone; the transaction goes on.
			err = dropKnownClicks(ctx, tx, fresh[part[0]:part[1]], args[lo:hi])
		}
		if err != nil {
			return fmt.Errorf("insert events: %w", err)
		}
	}
	fresh = slices.DeleteFunc(fresh, func(c shortener.ClickEvent) bool { return c.ID == "" })
	if err := addRollup(ctx, tx, fresh); err != nil {
		return err
	}
	// link.clicked events, in the transaction that stores the clicks.
	return queueClickEvents(ctx, tx, fresh, shortener.SystemClock())
}

// dropKnownClicks inserts the clicks of args that are new and blanks the
// ID of the others in clicks, which args holds the rows of.
func dropKnownClicks(ctx context.Context, tx *writeTx, clicks []shortener.ClickEvent, args []any) error {
	inserted := map[string]bool{}
	err := insertClicksOnce.query(ctx, tx, args, func(r *sql.Rows) error {
		var id string
		err := r.Scan(&id)
		inserted[id] = true
		return err
	})
	for i := range clicks {
		if !inserted[clicks[i].ID] {
			clicks[i].ID = ""
		}
	}
	return err
}

func addRollup(ctx context.Context, tx *writeTx, fresh []shortener.ClickEvent) error {
	r := shortener.NewClickRollup(fresh)
	var args []any
	for _, link := range r.SortedLinks() {
		args = append(args, link, r.LinkClicks[link])
	}
	if err := addClickCounts.exec(ctx, tx, args); err != nil {
		return fmt.Errorf("click counts: %w", err)
	}

	args = args[:0]
	for _, v := range visitorsOf(fresh) {
		args = append(args, v.link, v.day, v.hash)
	}
	newVisitors := map[shortener.DayKey]int64{}
	err := insertVisitors.query(ctx, tx, args, func(rows *sql.Rows) error {
		var k shortener.DayKey
		err := rows.Scan(&k.Link, &k.Day)
		newVisitors[k]++
		return err
	})
	if err != nil {
		return fmt.Errorf("visitors: %w", err)
	}

	rows, objects := r.SplitDims()
	args = args[:0]
	for _, k := range r.SortedDays() {
		d := r.Days[k]
		args = append(args, k.Link, k.Day, d.Clicks, d.Bots, newVisitors[k], objects[k])
	}
	if err := upsertDays.exec(ctx, tx, args); err != nil {
		return fmt.Errorf("daily stats: %w", err)
	}

	args = args[:0]
	for _, k := range rows {
		args = append(args, k.Link, k.Day, k.Dim, k.Value, r.Dims[k])
	}
	if err := upsertDims.exec(ctx, tx, args); err != nil {
		return fmt.Errorf("daily dimensions: %w", err)
	}
	return nil
}

type visitorKey struct{ link, day, hash string }

// visitorsOf returns the distinct (link, UTC day, visitor hash) of the
// human clicks, in key order. A click without a visitor hash cannot be
// told apart from others: it counts as a click but not as a visitor.
func visitorsOf(clicks []shortener.ClickEvent) []visitorKey {
	seen := map[visitorKey]bool{}
	var out []visitorKey
	for _, c := range clicks {
		k := visitorKey{c.LinkID, shortener.UTCDay(c.OccurredAt), c.VisitorHash}
		if !c.IsBot && c.VisitorHash != "" && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b visitorKey) int {
		return cmp.Or(strings.Compare(a.link, b.link), strings.Compare(a.day, b.day), strings.Compare(a.hash, b.hash))
	})
	return out
}

// existingLinks returns which of the clicks' links exist.
func existingLinks(ctx context.Context, tx *writeTx, clicks []shortener.ClickEvent) (map[string]bool, error) {
	var ids []any
	seen := map[string]bool{}
	for _, c := range clicks {
		if !seen[c.LinkID] {
			seen[c.LinkID] = true
			ids = append(ids, c.LinkID)
		}
	}
	live := map[string]bool{}
	err := findLinks.query(ctx, tx, ids, func(r *sql.Rows) error {
		var id string
		err := r.Scan(&id)
		live[id] = true
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find links: %w", err)
	}
	return live, nil
}
