package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// A transaction that database/sql rolls back because its context ended (a
// client that hung up) reports the cancellation, not a bare sql.ErrTxDone,
// which the API would log as an internal error.
func TestInTxReportsTheCancellation(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "tx.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	err = db.inTx(ctx, func(tx *writeTx) error {
		cancel()
		deadline := time.Now().Add(5 * time.Second)
		for {
			// Without ctx: only the rollback that ctx's end starts can fail it.
			_, err := tx.ExecContext(context.Background(), "SELECT 1")
			if err != nil || time.Now().After(deadline) {
				return err
			}
			time.Sleep(time.Millisecond)
		}
	})
	if !errors.Is(err, sql.ErrTxDone) || !errors.Is(err, context.Canceled) {
		t.Fatalf("inTx after its context ended: %v, want ErrTxDone naming context.Canceled", err)
	}
	if err := cancelled(context.Background(), sql.ErrTxDone); errors.Is(err, context.Canceled) {
		t.Errorf("a live context's ErrTxDone was called a cancellation: %v", err)
	}
}
