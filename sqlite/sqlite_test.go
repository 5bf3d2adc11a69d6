package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shortener-dev/shortener/internal/migrate"
	"github.com/shortener-dev/shortener/sqlite"
	"github.com/shortener-dev/shortener/storetest"
)

// openDB opens a new database file in a temporary directory, without
// migrating it.
func openDB(t testing.TB) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "sub", "shortener.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return db
}

func openMigrated(t testing.TB) *sqlite.DB {
	t.Helper()
	db := openDB(t)
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestStores(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Stores {
		db := openMigrated(t)
		return storetest.Stores{
			Users:  sqlite.NewUserStore(db),
			Tokens: sqlite.NewTokenStore(db),
			Links:  sqlite.NewLinkStore(db),
			Clicks: sqlite.NewClickStore(db),
		}
	})
}

func TestMigrations(t *testing.T) {
	ctx := context.Background()

	t.Run("PendingThenCurrent", func(t *testing.T) {
		db := openDB(t)
		err := db.CheckSchema(ctx)
		if !errors.Is(err, migrate.ErrSchemaPending) ||
			!strings.Contains(err.Error(), `database schema is at version 0, this binary needs 1: run "shortener migrate"`) {
			t.Fatalf("CheckSchema on an empty database = %v, want pending", err)
		}
		st, err := db.MigrationStatus(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(st) == 0 || st[0].Applied || st[0].Name != "00001_init.sql" || st[0].Version != 1 {
			t.Fatalf("status before migrating = %+v", st)
		}

		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("second Migrate: %v", err)
		}
		if err := db.CheckSchema(ctx); err != nil {
			t.Fatalf("CheckSchema after Migrate: %v", err)
		}
		st, err = db.MigrationStatus(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range st {
			if !s.Applied || s.AppliedAt.IsZero() {
				t.Errorf("after Migrate: %+v, want applied with a time", s)
			}
		}
	})

	t.Run("SchemaTooNew", func(t *testing.T) {
		db := openMigrated(t)
		sqlite.ExecForTest(t, db, `INSERT INTO goose_db_version (version_id, is_applied) VALUES (7, 1)`)
		want := "database schema version 7 is newer than this binary supports (version 1); upgrade shortener"
		for name, err := range map[string]error{"Migrate": db.Migrate(ctx), "CheckSchema": db.CheckSchema(ctx)} {
			if !errors.Is(err, migrate.ErrSchemaTooNew) || !strings.Contains(err.Error(), want) {
				t.Errorf("%s = %v, want %q", name, err, want)
			}
		}
	})

	t.Run("TooNewAppliesNothing", func(t *testing.T) {
		db := openDB(t)
		// A version row from the future on an otherwise empty database:
		// Migrate must not create the tables.
		if err := db.CheckSchema(ctx); err == nil {
			t.Fatal("CheckSchema on an empty database succeeded")
		}
		sqlite.ExecForTest(t, db, `INSERT INTO goose_db_version (version_id, is_applied) VALUES (9, 1)`)
		if err := db.Migrate(ctx); !errors.Is(err, migrate.ErrSchemaTooNew) {
			t.Fatalf("Migrate = %v, want ErrSchemaTooNew", err)
		}
		if n := sqlite.CountForTest(t, db, `SELECT count(*) FROM sqlite_master WHERE name = 'users'`); n != 0 {
			t.Errorf("Migrate created tables despite refusing")
		}
	})
}

func TestOpenSettings(t *testing.T) {
	db := openDB(t)
	writer, reader := sqlite.PragmasForTest(t, db)
	want := [3]string{"wal", "1", "5000"}
	if writer != want || reader != want {
		t.Errorf("journal_mode, foreign_keys, busy_timeout: writer %v, reader %v; want %v", writer, reader, want)
	}
	// Readers cannot write: every write must go through the one writer.
	if err := sqlite.ReaderExecForTest(db, `CREATE TABLE x (a INTEGER)`); err == nil {
		t.Error("a reader connection could write")
	}
}

func TestOpenRejectsBadPath(t *testing.T) {
	for _, p := range []string{"", ":memory:", "a?b"} {
		if _, err := sqlite.Open(context.Background(), p); err == nil {
			t.Errorf("Open(%q) succeeded", p)
		}
	}
}
