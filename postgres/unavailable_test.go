package postgres_test

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/testenv"
	"github.com/shortener-dev/shortener/postgres"
)

// A server that ends its connections (pg_ctl stop -m fast, or an
// administrator's pg_terminate_backend) answers the next query on each
// with SQLSTATE 57P01: the service is unavailable (503), not broken (500).
func TestTerminatedConnectionsAreUnavailable(t *testing.T) {
	ctx := context.Background()
	app := testenv.RandomName("terminated_")
	db, err := postgres.Open(ctx, testenv.PostgresURL(t)+"&application_name="+app, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	links := postgres.NewLinkStore(db)
	key := shortener.LinkKey(shortener.DefaultDomainID, "abc")

	admin, err := pgx.Connect(ctx, os.Getenv("TEST_DATABASE_URL"))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	failed := 0
	for round := range 5 {
		if _, err := links.Resolve(ctx, key); err != nil {
			t.Fatalf("round %d: resolve before: %v", round, err)
		}
		if _, err := admin.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", app); err != nil {
			t.Fatal(err)
		}
		_, err := links.Resolve(ctx, key)
		if err == nil {
			continue // the pool noticed the closed connection first
		}
		failed++
		if code := shortener.ErrorCode(err); code != shortener.EUNAVAILABLE {
			t.Errorf("round %d: a terminated connection gave %v (code %s), want %s", round, err, code, shortener.EUNAVAILABLE)
		}
	}
	if failed == 0 {
		t.Fatal("no query met a terminated connection: the test checked nothing")
	}
}
