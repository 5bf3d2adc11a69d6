package sqlite

import (
	"context"
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

// CountForTest runs a query returning one integer.
func CountForTest(t testing.TB, db *DB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.read.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("query %q: %v", query, err)
	}
	return n
}
