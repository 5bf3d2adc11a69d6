package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/testdb"
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
	storetest.Run(t, func(t *testing.T) storetest.Stores { return testdb.SQLite(t) })
}

func TestMigrations(t *testing.T) {
	storetest.RunMigrations(t, migrationHooks)
	t.Run("Domains", func(t *testing.T) { storetest.RunDomainMigration(t, migrationHooks) })
	t.Run("DimensionCounts", func(t *testing.T) { storetest.RunDimensionCountsMigration(t, migrationHooks, 53) })
}

var migrationHooks = storetest.MigrationHooks{
	Open: func(t *testing.T) storetest.Database { return openDB(t) },
	SetVersion: func(t *testing.T, db storetest.Database, v int) {
		sqlite.ExecForTest(t, db.(*sqlite.DB), `INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, 1)`, v)
	},
	MigrateTo: func(t *testing.T, db storetest.Database, v int64) { sqlite.MigrateToForTest(t, db.(*sqlite.DB), v) },
	InsertUser: func(t *testing.T, db storetest.Database, id, email string, created time.Time) {
		sqlite.ExecForTest(t, db.(*sqlite.DB), `INSERT INTO users (id, email, full_name, password_hash, role, is_active, is_verified, created_at, updated_at) VALUES (?, ?, '', 'x', 'user', TRUE, FALSE, ?, ?)`, id, email, created.UnixMicro(), created.UnixMicro())
	},
	Users: func(db storetest.Database) shortener.UserStore { return sqlite.NewUserStore(db.(*sqlite.DB)) },
	HasUsersTable: func(t *testing.T, db storetest.Database) bool {
		return sqlite.CountForTest(t, db.(*sqlite.DB), `SELECT count(*) FROM sqlite_master WHERE name = 'users'`) > 0
	},
	Exec: func(t *testing.T, db storetest.Database, q string, args ...any) {
		for i, a := range args {
			if tm, ok := a.(time.Time); ok {
				args[i] = tm.UnixMicro() // the engine's time columns
			}
		}
		sqlite.ExecForTest(t, db.(*sqlite.DB), q, args...)
	},
	Links:  func(db storetest.Database) shortener.LinkStore { return sqlite.NewLinkStore(db.(*sqlite.DB)) },
	Clicks: func(db storetest.Database) shortener.ClickStore { return sqlite.NewClickStore(db.(*sqlite.DB)) },
	Count: func(t *testing.T, db storetest.Database, q string, args ...any) int64 {
		return sqlite.CountForTest(t, db.(*sqlite.DB), q, args...)
	},
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
