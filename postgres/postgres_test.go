package postgres_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/migrate"
	"github.com/shortener-dev/shortener/internal/testdb"
	"github.com/shortener-dev/shortener/internal/testenv"
	"github.com/shortener-dev/shortener/postgres"
	"github.com/shortener-dev/shortener/storetest"
)

// openDB connects to a fresh schema, without migrating it.
func openDB(t testing.TB) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), testenv.PostgresURL(t), nil, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func openMigrated(t testing.TB) *postgres.DB {
	t.Helper()
	db := openDB(t)
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestStores(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Stores { return testdb.Postgres(t) })
}

func TestMigrations(t *testing.T) {
	storetest.RunMigrations(t, migrationHooks)
	t.Run("Domains", func(t *testing.T) { storetest.RunDomainMigration(t, migrationHooks) })
	t.Run("DimensionCounts", func(t *testing.T) { storetest.RunDimensionCountsMigration(t, migrationHooks, 51) })
}

var migrationHooks = storetest.MigrationHooks{
	Open: func(t *testing.T) storetest.Database { return openDB(t) },
	SetVersion: func(t *testing.T, db storetest.Database, v int) {
		postgres.ExecForTest(t, db.(*postgres.DB), `INSERT INTO goose_db_version (version_id, is_applied) VALUES ($1, true)`, v)
	},
	MigrateTo: func(t *testing.T, db storetest.Database, v int64) { postgres.MigrateToForTest(t, db.(*postgres.DB), v) },
	InsertUser: func(t *testing.T, db storetest.Database, id, email string, created time.Time) {
		postgres.ExecForTest(t, db.(*postgres.DB), `INSERT INTO users (id, email, full_name, password_hash, role, is_active, is_verified, created_at, updated_at) VALUES ($1, $2, '', 'x', 'user', TRUE, FALSE, $3, $3)`, id, email, created)
	},
	Users: func(db storetest.Database) shortener.UserStore { return postgres.NewUserStore(db.(*postgres.DB)) },
	HasUsersTable: func(t *testing.T, db storetest.Database) bool {
		return postgres.CountForTest(t, db.(*postgres.DB), `SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'users'`) > 0
	},
	Exec: func(t *testing.T, db storetest.Database, q string, args ...any) {
		postgres.ExecForTest(t, db.(*postgres.DB), migrate.Numbered(q), args...)
	},
	Links:  func(db storetest.Database) shortener.LinkStore { return postgres.NewLinkStore(db.(*postgres.DB)) },
	Clicks: func(db storetest.Database) shortener.ClickStore { return postgres.NewClickStore(db.(*postgres.DB)) },
	Count: func(t *testing.T, db storetest.Database, q string, args ...any) int64 {
		return postgres.CountForTest(t, db.(*postgres.DB), migrate.Numbered(q), args...)
	},
}

func TestConcurrentMigrations(t *testing.T) {
	ctx := context.Background()
	t.Run("ConcurrentInstances", func(t *testing.T) {
		// Instances starting together against one empty schema: the
		// advisory lock lets one migrate and the others find it done.
		url := testenv.PostgresURL(t)
		var g errgroup.Group
		for range 3 {
			g.Go(func() error {
				db, err := postgres.Open(ctx, url, nil, false)
				if err != nil {
					return err
				}
				defer db.Close()
				if err := db.Migrate(ctx); err != nil {
					return err
				}
				return db.CheckSchema(ctx)
			})
		}
		if err := g.Wait(); err != nil {
			t.Fatal(err)
		}
	})

}

func TestLogSQL(t *testing.T) {
	var buf syncBuffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	db, err := postgres.Open(context.Background(), testenv.PostgresURL(t), logger, true)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, err = postgres.NewLinkStore(db).LinkByCode(context.Background(), shortener.DefaultDomainID, "nope")
	if shortener.ErrorCode(err) != shortener.ENOTFOUND {
		t.Fatalf("LinkByCode = %v, want not found", err)
	}
	out := buf.String()
	if !strings.Contains(out, "level=DEBUG") || !strings.Contains(out, "FROM short_urls WHERE domain_id = $1 AND short_code = $2") {
		t.Errorf("statement not logged at debug level; log:\n%s", out)
	}
	// The arguments by number only (they hold hashes, emails, addresses),
	// and no line per acquire and release of a connection.
	if strings.Contains(out, "nope") || !strings.Contains(out, "args=2") ||
		strings.Contains(out, "msg=Acquire") || strings.Contains(out, "msg=Release") {
		t.Errorf("SQL log with arguments or pool lines:\n%s", out)
	}

	// Without logSQL nothing is logged.
	var quiet syncBuffer
	db2, err := postgres.Open(context.Background(), testenv.PostgresURL(t),
		slog.New(slog.NewTextHandler(&quiet, &slog.HandlerOptions{Level: slog.LevelDebug})), false)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if err := db2.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	if quiet.String() != "" {
		t.Errorf("logged without logSQL: %s", quiet.String())
	}
}

type syncBuffer = testenv.Buffer

func TestOpenUnreachable(t *testing.T) {
	start := time.Now()
	db, err := postgres.Open(context.Background(), "postgres://postgres@127.0.0.1:1/x?sslmode=disable", nil, false)
	if err == nil {
		_ = db.Close()
		t.Fatal("Open of an unreachable server succeeded")
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("Open took %v to fail", d)
	}
	if !strings.Contains(err.Error(), "127.0.0.1") {
		t.Errorf("error %q does not name the server", err)
	}
}

func TestOpenBadURL(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://user:s3cret@[::1/x", nil, false)
	if err == nil {
		t.Fatal("Open with a malformed URL succeeded")
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error %q leaks the password", err)
	}
}
