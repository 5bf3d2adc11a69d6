package sqlite

import (
	"context"
	"database/sql"
	"testing"
)

// ExecForTest runs a statement on the writer, for tests that set up states
// the stores cannot reach, such as a schema version from the future.
func ExecForTest(t testing.TB, db *DB, query string, args ...any) {
	t.Helper()
	if _, err := db.write.ExecContext(context.Background(), query, args...); err != nil {
		t.Fatalf("exec %q: %v", query, err)
	}
}

// ExecErrForTest runs a statement on the writer and returns its error.
func ExecErrForTest(db *DB, query string, args ...any) error {
	_, err := db.write.ExecContext(context.Background(), query, args...)
	return err
}

// CountForTest runs a query returning one integer.
func CountForTest(t testing.TB, db *DB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.read.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("query %q: %v", query, err)
	}
	return n
}

// PragmasForTest returns journal_mode, foreign_keys and busy_timeout as
// seen by the writer and by a reader.
func PragmasForTest(t testing.TB, db *DB) (writer, reader [3]string) {
	t.Helper()
	read := func(q interface {
		QueryRowContext(context.Context, string, ...any) *sql.Row
	}) (out [3]string) {
		for i, p := range []string{"journal_mode", "foreign_keys", "busy_timeout"} {
			if err := q.QueryRowContext(context.Background(), "PRAGMA "+p).Scan(&out[i]); err != nil {
				t.Fatalf("pragma %s: %v", p, err)
			}
		}
		return out
	}
	return read(db.write), read(db.read)
}

// ReaderExecForTest runs a statement on the reader pool.
func ReaderExecForTest(db *DB, query string) error {
	_, err := db.read.ExecContext(context.Background(), query)
	return err
}

// MigrateToForTest applies the migrations up to version only.
func MigrateToForTest(t testing.TB, db *DB, version int64) {
	t.Helper()
	if err := db.MigrateTo(context.Background(), version); err != nil {
		t.Fatal(err)
	}
}

// PruneClicksSQL is the statement PruneClicks deletes with.
const PruneClicksSQL = pruneClicksSQL

// SetPruneLinksForTest makes PruneClicks cover n links a pass until the
// test ends.
func SetPruneLinksForTest(t testing.TB, n int) {
	old := pruneLinks
	pruneLinks = n
	t.Cleanup(func() { pruneLinks = old })
}

// QueryForTest runs a query on the writer.
func QueryForTest(db *DB, query string, args ...any) (*sql.Rows, error) {
	return db.write.QueryContext(context.Background(), query, args...)
}
