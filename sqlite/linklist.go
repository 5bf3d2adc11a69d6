package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/linksql"
)

// Tags are kept as a JSON array of normalised tags, which json_each
// reads for the tag filter and the counts.

func encodeTags(tags []string) string {
	if tags == nil {
		tags = []string{}
	}
	b, _ := json.Marshal(tags) // strings always encode
	return string(b)
}

func nullTags(tags *[]string) sql.NullString {
	if tags == nil {
		return sql.NullString{}
	}
	return sql.NullString{String: encodeTags(*tags), Valid: true}
}

// decodeTags reads encodeTags' form; no tags is nil.
func decodeTags(s string) ([]string, error) {
	var tags []string
	if err := json.Unmarshal([]byte(s), &tags); err != nil {
		return nil, fmt.Errorf("decode tags: %w", err)
	}
	if len(tags) == 0 {
		return nil, nil
	}
	return tags, nil
}

// minTrigramSearch is the shortest search the trigram index can answer.
const minTrigramSearch = 3

// searchesIndex tells whether q's search reads the trigram index.
func searchesIndex(q shortener.LinkQuery) bool {
	return utf8.RuneCountInString(q.Search) >= minTrigramSearch
}

// readySearch indexes the links waiting for the search index when q
// searches it.
func (s *LinkStore) readySearch(ctx context.Context, q shortener.LinkQuery) error {
	if !searchesIndex(q) {
		return nil
	}
	return s.db.readySearch(ctx)
}

// linkFilter is the WHERE clause and arguments of the links q selects
// (API.md, "Organising links"). The search uses the FTS5 trigram index of
// migration 00022 (short_urls_search).
func linkFilter(q shortener.LinkQuery) (where string, args []any) {
	conds := []string{"1"}
	if !q.AllOwners {
		conds, args = append(conds, "owner_id = ?"), append(args, strings.ToLower(q.OwnerID))
	}
	if q.DomainID != "" {
		conds, args = append(conds, "domain_id = ?"), append(args, strings.ToLower(q.DomainID))
	}
	switch {
	case searchesIndex(q):
		// A phrase of the trigram index: any substring of one column.
		conds = append(conds, "rowid IN (SELECT rowid FROM short_urls_search WHERE short_urls_search MATCH ?)")
		args = append(args, `"`+strings.ReplaceAll(q.Search, `"`, `""`)+`"`)
	case q.Search != "" && shortener.IsASCII(q.Search):
		// Too short for a trigram: LIKE, which folds ASCII letters only.
		p := shortener.LikePattern(q.Search)
		conds = append(conds, `(short_code LIKE ? ESCAPE '\' OR title LIKE ? ESCAPE '\' OR original_url LIKE ? ESCAPE '\')`)
		args = append(args, p, p, p)
	case q.Search != "":
		// Too short for a trigram and beyond ASCII: every letter folded
		// (fold_case, as PostgreSQL's ILIKE folds), a Go call per row.
		p := strings.ToLower(q.Search)
		conds = append(conds, `(instr(fold_case(short_code), ?) > 0 OR instr(fold_case(title), ?) > 0 OR instr(fold_case(original_url), ?) > 0)`)
		args = append(args, p, p, p)
	}
	for _, t := range q.Tags {
		// The JSON text holds each tag between quotes, and a normalised
		// tag has no quote or backslash to escape: a substring test is
		// exact, and several times cheaper per row than json_each.
		conds = append(conds, "instr(tags, ?) > 0")
		args = append(args, `"`+t+`"`)
	}
	if q.Active != nil {
		conds, args = append(conds, "is_active = ?"), append(args, *q.Active)
	}
	if q.Expired != nil {
		if *q.Expired {
			conds = append(conds, "expires_at <= ?")
		} else {
			conds = append(conds, "(expires_at IS NULL OR expires_at > ?)")
		}
		args = append(args, micros(q.Now))
	}
	return strings.Join(conds, " AND "), args
}

// linkOrder is the ORDER BY of a sort. Titles compare lower-cased, every
// letter (fold_case), then bytewise, as in PostgreSQL.
func linkOrder(s shortener.LinkSort) string {
	return linksql.OrderBy(s, "fold_case(coalesce(title, ''))")
}

// EachLink calls fn with every link q selects, in q's order, from one
// read snapshot; rows are read as fn consumes them.
func (s *LinkStore) EachLink(ctx context.Context, q shortener.LinkQuery, fn func(*shortener.Link) error) error {
	if err := s.readySearch(ctx, q); err != nil {
		return fmt.Errorf("sqlite: each link: %w", err)
	}
	where, args := linkFilter(q)
	tx, err := s.db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("sqlite: each link: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	rows, err := tx.QueryContext(ctx, `SELECT `+linkSelect+` FROM short_urls WHERE `+where+` ORDER BY `+linkOrder(q.Sort), args...)
	if err != nil {
		return fmt.Errorf("sqlite: each link: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		l, err := scanLink(rows)
		if err != nil {
			return fmt.Errorf("sqlite: each link: scan: %w", err)
		}
		if err := fn(l); err != nil {
			return err
		}
	}
	return rows.Err()
}

// TagCounts returns the owner's tags with their link counts, by tag.
func (s *LinkStore) TagCounts(ctx context.Context, ownerID string) ([]shortener.TagCount, error) {
	rows, err := s.db.read.QueryContext(ctx, `
		SELECT t.value, count(*) FROM short_urls, json_each(short_urls.tags) AS t
		WHERE owner_id = ? GROUP BY 1 ORDER BY 1`, strings.ToLower(ownerID))
	if err != nil {
		return nil, fmt.Errorf("sqlite: tag counts: %w", err)
	}
	defer rows.Close()
	out := []shortener.TagCount{}
	for rows.Next() {
		var tc shortener.TagCount
		if err := rows.Scan(&tc.Tag, &tc.Links); err != nil {
			return nil, fmt.Errorf("sqlite: tag counts: %w", err)
		}
		out = append(out, tc)
	}
	return out, rows.Err()
}

// CreateLinks inserts the links in one transaction, each as CreateLink
// does (insertLink, with its link.created event).
func (s *LinkStore) CreateLinks(ctx context.Context, ls []*shortener.Link) ([]bool, error) {
	inserted := make([]bool, len(ls))
	err := s.db.inTx(ctx, func(tx *writeTx) error {
		n := 0
		for i, l := range ls {
			ok, err := insertLink(ctx, tx, l)
			if err != nil {
				return fmt.Errorf("link %d: %w", i, err)
			}
			inserted[i] = ok
			if ok {
				n++
			}
		}
		return s.db.search.added(ctx, tx, n)
	})
	if err != nil {
		return nil, linkWriteError("create links", err, "", "")
	}
	return inserted, nil
}
