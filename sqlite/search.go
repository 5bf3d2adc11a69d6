package sqlite

import (
	"context"
	"fmt"
	"sync/atomic"
)

// The search index takes new links in batches (migration 00052): a new
// link waits in short_urls_search_pending until a create finds searchBatch
// of them waiting, or until the next search.

// searchBatch is how many new links may wait for the search index.
// BenchmarkCreateLink: 141-148 µs a create indexing its own link, 84-86 µs
// with the link indexed in a batch.
const searchBatch = 64

const (
	hasPendingSQL   = `SELECT EXISTS (SELECT 1 FROM short_urls_search_pending)`
	indexPendingSQL = `
		INSERT INTO short_urls_search (rowid, short_code, title, original_url)
		SELECT s.rowid, s.short_code, s.title, s.original_url
		FROM short_urls_search_pending p JOIN short_urls s ON s.rowid = p.link_rowid`
	clearPendingSQL = `DELETE FROM short_urls_search_pending`
)

// searchBacklog counts the links this process created since it last
// indexed; it only decides when to index (other processes on the file
// leave their links waiting too, and the index takes them all).
type searchBacklog struct{ created atomic.Int64 }

// added notes n new links in tx and indexes the waiting links once
// searchBatch of them may be waiting.
func (b *searchBacklog) added(ctx context.Context, tx *writeTx, n int) error {
	if n == 0 || b.created.Add(int64(n)) < searchBatch {
		return nil
	}
	b.created.Store(0)
	return indexPending(ctx, tx)
}

// indexPending adds the waiting links to the search index, in tx.
func indexPending(ctx context.Context, tx *writeTx) error {
	for _, query := range []string{indexPendingSQL, clearPendingSQL} {
		st, err := tx.stmt(ctx, query)
		if err != nil {
			return fmt.Errorf("index waiting links: %w", err)
		}
		if _, err := st.ExecContext(ctx); err != nil {
			return fmt.Errorf("index waiting links: %w", err)
		}
	}
	return nil
}

// readySearch indexes the waiting links before a search reads the index,
// so that a search finds every link committed before it began. Without
// waiting links it is one read.
func (db *DB) readySearch(ctx context.Context) error {
	var pending bool
	if err := db.read.QueryRowContext(ctx, hasPendingSQL).Scan(&pending); err != nil {
		return fmt.Errorf("search backlog: %w", err)
	}
	if !pending {
		return nil
	}
	return db.inTx(ctx, func(tx *writeTx) error {
		db.search.created.Store(0)
		return indexPending(ctx, tx)
	})
}
