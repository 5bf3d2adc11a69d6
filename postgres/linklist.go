package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/linksql"
)

// searchText is the expression of the trigram index short_urls_search_idx
// (migration 00022): the three searched columns in one text.
const searchText = `(short_code || ' ' || coalesce(title, '') || ' ' || original_url)`

// linkFilter is the WHERE clause and arguments of the links q selects
// (API.md, "Organising links"); ok is false when it selects nothing.
//
// The search is ILIKE on searchText, which the trigram index serves, and
// then on each column. Tags are a text[] matched with @> (all of them),
// which their GIN index serves.
func linkFilter(q shortener.LinkQuery) (where string, args []any, ok bool) {
	var conds []string
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if !q.AllOwners {
		if !shortener.IsID(q.OwnerID) {
			return "", nil, false
		}
		conds = append(conds, "owner_id = "+arg(q.OwnerID))
	}
	if q.DomainID != "" {
		if !shortener.IsID(q.DomainID) {
			return "", nil, false
		}
		conds = append(conds, "domain_id = "+arg(q.DomainID))
	}
	if q.Search != "" {
		p := arg(shortener.LikePattern(q.Search))
		conds = append(conds, searchText+" ILIKE "+p,
			"(short_code ILIKE "+p+" OR title ILIKE "+p+" OR original_url ILIKE "+p+")")
	}
	if len(q.Tags) > 0 {
		conds = append(conds, "tags @> "+arg(q.Tags)+"::text[]")
	}
	if q.Active != nil {
		conds = append(conds, "is_active = "+arg(*q.Active))
	}
	if q.Expired != nil {
		now := arg(q.Now)
		if *q.Expired {
			conds = append(conds, "expires_at <= "+now)
		} else {
			conds = append(conds, "(expires_at IS NULL OR expires_at > "+now+")")
		}
	}
	if len(conds) == 0 {
		return "TRUE", args, true
	}
	return strings.Join(conds, " AND "), args, true
}

// linkOrder is the ORDER BY of a sort. Titles compare lower-cased and bytewise (COLLATE "C"), as in SQLite.
func linkOrder(s shortener.LinkSort) string {
	return linksql.OrderBy(s, `lower(coalesce(title, '')) COLLATE "C"`)
}

// EachLink calls fn with every link q selects, in q's order, from one
// read-only snapshot; rows stream from the server as fn consumes them.
func (s *LinkStore) EachLink(ctx context.Context, q shortener.LinkQuery, fn func(*shortener.Link) error) error {
	where, args, ok := linkFilter(q)
	if !ok {
		return ctx.Err()
	}
	err := pgx.BeginTxFunc(ctx, s.db.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+linkSelect+` FROM short_urls WHERE `+where+` ORDER BY `+linkOrder(q.Sort), args...)
		return eachLinkRow(rows, err, fn)
	})
	return storeError("each link", err, "", "")
}

// eachLinkRow calls fn with each link of rows, the result of a query
// that failed with err or not, and closes them.
func eachLinkRow(rows pgx.Rows, err error, fn func(*shortener.Link) error) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		l, err := scanLink(rows)
		if err != nil {
			return err
		}
		if err := fn(l); err != nil {
			return err
		}
	}
	return rows.Err()
}

// TagCounts returns the owner's tags with their link counts, by tag.
func (s *LinkStore) TagCounts(ctx context.Context, ownerID string) ([]shortener.TagCount, error) {
	out := []shortener.TagCount{}
	if !shortener.IsID(ownerID) {
		return out, ctx.Err()
	}
	rows, err := s.db.pool.Query(ctx, `
		SELECT t COLLATE "C", count(*) FROM short_urls, unnest(tags) AS t
		WHERE owner_id = $1 GROUP BY 1 ORDER BY 1`, ownerID)
	if err != nil {
		return nil, storeError("tag counts", err, "", "")
	}
	var tc shortener.TagCount
	_, err = pgx.ForEachRow(rows, []any{&tc.Tag, &tc.Links}, func() error {
		out = append(out, tc)
		return nil
	})
	return out, storeError("tag counts", err, "", "")
}

// CreateLinks inserts the links in one transaction, each with
// createLinkSQL (so each with its link.created event), sent as one batch:
// one round trip for the lot.
func (s *LinkStore) CreateLinks(ctx context.Context, ls []*shortener.Link) ([]bool, error) {
	inserted := make([]bool, len(ls))
	if len(ls) == 0 {
		return inserted, ctx.Err()
	}
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for _, l := range ls {
			b.Queue(createLinkSQL, createLinkArgs(l)...)
		}
		res := tx.SendBatch(ctx, b)
		for i := range ls {
			var n int
			if err := res.QueryRow().Scan(&n); err != nil {
				_ = res.Close()
				return fmt.Errorf("link %d: %w", i, err)
			}
			inserted[i] = n == 1
		}
		return res.Close()
	})
	if err != nil {
		return nil, linkWriteError("create links", err, "", "")
	}
	return inserted, nil
}
