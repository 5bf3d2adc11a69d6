package postgres

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

// ExecForTest runs a statement, for tests that set up states the stores
// cannot reach, such as a schema version from the future.
func ExecForTest(t testing.TB, db *DB, query string, args ...any) {
	t.Helper()
	if _, err := db.pool.Exec(context.Background(), query, args...); err != nil {
		t.Fatalf("exec %q: %v", query, err)
	}
}

// CountForTest runs a query returning one integer.
func CountForTest(t testing.TB, db *DB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.pool.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("query %q: %v", query, err)
	}
	return n
}

// MigrateToForTest applies the migrations up to version only.
func MigrateToForTest(t testing.TB, db *DB, version int64) {
	t.Helper()
	if err := db.MigrateTo(context.Background(), version); err != nil {
		t.Fatal(err)
	}
}

// QueryStringsForTest runs a query returning one text column.
func QueryStringsForTest(t testing.TB, db *DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.pool.Query(context.Background(), query, args...)
	if err != nil {
		t.Fatalf("query %q: %v", query, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("query %q: %v", query, err)
	}
	return out
}
