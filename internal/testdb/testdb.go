// Package testdb opens freshly migrated stores on every SQL engine, for
// the tests of packages that build on the stores (auth, links, analytics).
package testdb

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/shortener-dev/shortener/internal/testenv"
	"github.com/shortener-dev/shortener/postgres"
	"github.com/shortener-dev/shortener/sqlite"
	"github.com/shortener-dev/shortener/storetest"
)

// SQLite returns stores on a new SQLite file in t.TempDir().
func SQLite(t testing.TB) storetest.Stores {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate sqlite: %v", err)
	}
	return storetest.Stores{Users: sqlite.NewUserStore(db), Tokens: sqlite.NewTokenStore(db),
		Links: sqlite.NewLinkStore(db), Clicks: sqlite.NewClickStore(db),
		Keys: sqlite.NewKeyStore(db), Webhooks: sqlite.NewWebhookStore(db), Domains: sqlite.NewDomainStore(db)}
}

// Postgres returns stores on a new schema of TEST_DATABASE_URL (skipping,
// or failing under TEST_REQUIRE_SERVICES=1, when it is unset).
func Postgres(t testing.TB) storetest.Stores {
	t.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, testenv.PostgresURL(t), slog.New(slog.DiscardHandler), false)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate postgres: %v", err)
	}
	return storetest.Stores{Users: postgres.NewUserStore(db), Tokens: postgres.NewTokenStore(db),
		Links: postgres.NewLinkStore(db), Clicks: postgres.NewClickStore(db),
		Keys: postgres.NewKeyStore(db), Webhooks: postgres.NewWebhookStore(db), Domains: postgres.NewDomainStore(db)}
}

// ForEachEngine runs fn as a subtest on SQLite and on PostgreSQL.
func ForEachEngine(t *testing.T, fn func(t *testing.T, s storetest.Stores)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}
