package sqlite

import (
	"context"
	"database/sql"
	"math/bits"
	"strings"
	"sync"
)

// maxParams bounds the bound parameters of one statement, well under
// SQLite's SQLITE_MAX_VARIABLE_NUMBER (32766), so that a batch of any size
// is split into a few large statements.
const maxParams = 8000

// multiRow builds and runs "head VALUES (?,..),(?,..) tail" statements over
// rows of width columns.
//
// Parsing a statement of hundreds of parameters costs more than running
// it, so rows go in chunks whose sizes are powers of two (100 rows: 64 +
// 32 + 4), and each size is prepared once per database (stmtCache): a
// handful of statements serve batches of every size.
type multiRow struct {
	head  string // e.g. "INSERT INTO t (a, b)"
	tail  string // e.g. "ON CONFLICT DO NOTHING RETURNING a"
	width int
}

// chunks splits n rows into runs of power-of-two sizes, largest first, none
// over maxParams parameters.
func (m multiRow) chunks(n int) [][2]int {
	most := 1 << (bits.Len(uint(max(1, maxParams/m.width))) - 1)
	var out [][2]int
	for lo := 0; lo < n; {
		size := min(most, 1<<(bits.Len(uint(n-lo))-1))
		out = append(out, [2]int{lo, lo + size})
		lo += size
	}
	return out
}

func (m multiRow) statement(rows int) string {
	var b strings.Builder
	b.WriteString(m.head)
	b.WriteString(" VALUES ")
	tuple := "(" + strings.Repeat("?, ", m.width-1) + "?)"
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(tuple)
	}
	b.WriteString(" ")
	b.WriteString(m.tail)
	return b.String()
}

// exec runs the statements for args, a flat list of len(rows)*width values.
func (m multiRow) exec(ctx context.Context, tx *writeTx, args []any) error {
	for _, c := range m.chunks(len(args) / m.width) {
		if err := m.execOne(ctx, tx, args[c[0]*m.width:c[1]*m.width]); err != nil {
			return err
		}
	}
	return nil
}

// execOne runs one statement over the rows of args: a run that chunks gave.
func (m multiRow) execOne(ctx context.Context, tx *writeTx, args []any) error {
	st, err := tx.stmt(ctx, m.statement(len(args)/m.width))
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, args...)
	return err
}

// query runs the statements for args and calls scan for every returned row.
func (m multiRow) query(ctx context.Context, tx *writeTx, args []any, scan func(*sql.Rows) error) error {
	for _, c := range m.chunks(len(args) / m.width) {
		st, err := tx.stmt(ctx, m.statement(c[1]-c[0]))
		if err != nil {
			return err
		}
		rows, err := st.QueryContext(ctx, args[c[0]*m.width:c[1]*m.width]...)
		if err != nil {
			return err
		}
		if err := scanAll(rows, scan); err != nil {
			return err
		}
	}
	return nil
}

// scanAll calls scan for every row and closes rows.
func scanAll(rows *sql.Rows, scan func(*sql.Rows) error) error {
	for rows.Next() {
		if err := scan(rows); err != nil {
			_ = rows.Close()
			return err
		}
	}
	if err := rows.Err(); err != nil {
		_ = rows.Close()
		return err
	}
	return rows.Close()
}

// stmtCache keeps the writer's prepared statements by their text. The
// writer has one connection, so each is prepared once for the life of the
// database.
//
// A statement cannot be prepared on the writer pool while a transaction
// holds its only connection, so a transaction that misses prepares its
// own copy and notes the text; prepareMissed adds those to the cache once
// the connection is free again.
type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

func (c *stmtCache) lookup(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[query]
}

// prepare prepares the queries on the writer pool and keeps them. It holds
// no lock while preparing: that waits for the writer's connection, which a
// transaction looking up statements may hold.
func (c *stmtCache) prepare(ctx context.Context, queries []string) error {
	for _, q := range queries {
		if c.lookup(q) != nil {
			continue
		}
		st, err := c.db.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		c.mu.Lock()
		if _, ok := c.m[q]; ok {
			_ = st.Close() // prepared meanwhile by another writer
		} else {
			if c.m == nil {
				c.m = map[string]*sql.Stmt{}
			}
			c.m[q] = st
		}
		c.mu.Unlock()
	}
	return nil
}

// get returns the prepared statement for query, preparing it first if
// needed. Use it on the reader pool only: on the writer it would wait for
// the connection a transaction of the caller may hold.
func (c *stmtCache) get(ctx context.Context, query string) (*sql.Stmt, error) {
	if st := c.lookup(query); st != nil {
		return st, nil
	}
	if err := c.prepare(ctx, []string{query}); err != nil {
		return nil, err
	}
	return c.lookup(query), nil
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var first error
	for q, st := range c.m {
		if err := st.Close(); err != nil && first == nil {
			first = err
		}
		delete(c.m, q)
	}
	return first
}

// writeTx is a write transaction that runs cached prepared statements.
type writeTx struct {
	*sql.Tx
	cache  *stmtCache
	missed []string
}

// stmt returns the prepared statement for query, bound to this transaction.
func (tx *writeTx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st := tx.cache.lookup(query); st != nil {
		return tx.StmtContext(ctx, st), nil
	}
	tx.missed = append(tx.missed, query)
	return tx.PrepareContext(ctx, query)
}

// prepareMissed caches the statements the transaction had to prepare for
// itself. Call it after Commit or Rollback. A failure only means they are
// prepared again next time.
func (tx *writeTx) prepareMissed(ctx context.Context) {
	if len(tx.missed) > 0 {
		_ = tx.cache.prepare(ctx, tx.missed)
	}
}
