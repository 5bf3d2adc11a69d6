package main

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite"

	"github.com/shortener-dev/shortener/postgres"
	"github.com/shortener-dev/shortener/sqlite"
)

// preDomainsSchema is the last schema version before short domains.
const preDomainsSchema = 30

// TestE2ELinksKeepWorkingAfterTheDomainsMigration: a link stored by a
// binary before domains existed (the schema migrated up to version 30
// only, the row written as that binary wrote it) still redirects once the
// server has migrated, on the default domain with its code.
func TestE2ELinksKeepWorkingAfterTheDomainsMigration(t *testing.T) {
	t.Parallel()
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			env := baseEnv(t)
			backendEnv(t, backend, env)
			id := "0190a0f4-0000-7000-8000-0000000000aa"
			oldSchemaLink(t, backend, env, id)

			srv := launch(t, backend, env)
			expectRedirect(t, srv.redirect(t, "keepme"), "https://example.com/kept")
			r := srv.do(t, "GET", "/api/v1/urls/"+id, nil)
			expectJSON(t, r, http.StatusOK)
			if l := r.object(t); l["domain"] != "localhost" || l["short_url"] != e2eBaseURL+"/keepme" {
				t.Fatalf("the old link after the migration: %v", l)
			}
			// Its tags and the search index came along (SQLite rebuilds the
			// table), and the index follows new links too.
			owner := srv.newAccount(t)
			srv.domainLink(t, owner.access, "", "newafter", "https://example.com/after")
			for _, q := range []string{"?q=from%20before&tag=old&owner=all", "?q=newafter&owner=all"} {
				admin := srv.newAccount(t)
				srv.promote(t, admin)
				r := srv.do(t, "GET", "/api/v1/urls"+q, nil, withToken(admin.access))
				expectJSON(t, r, http.StatusOK)
				if items := r.object(t)["items"].([]any); len(items) != 1 {
					t.Errorf("list %s after the migration: %s", q, r.Body)
				}
			}
		})
	}
}

// oldSchemaLink migrates the backend's database up to preDomainsSchema
// and inserts the link keepme there, as the older binary did.
func oldSchemaLink(t *testing.T, backend string, env map[string]string, id string) {
	t.Helper()
	ctx := context.Background()
	created := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	// The tags as each engine stores them (organising, before domains).
	tags := map[string]string{"embedded": `'["old"]'`}[backend]
	if tags == "" {
		tags = `'{old}'`
	}
	insert := `INSERT INTO short_urls (id, short_code, original_url, title, tags, is_active, is_public, click_count, created_at, updated_at)
		VALUES ($1, 'keepme', 'https://example.com/kept', 'Kept from before', ` + tags + `, true, true, 0, $2, $2)`
	if backend == "embedded" {
		path := filepath.Join(env["DATA_DIR"], "shortener.db")
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.MigrateTo(ctx, preDomainsSchema); err != nil {
			t.Fatal(err)
		}
		_ = db.Close()
		raw, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		if _, err := raw.Exec(insert, id, created.UnixMicro()); err != nil {
			t.Fatal(err)
		}
		return
	}
	db, err := postgres.Open(ctx, env["DATABASE_URL"], slog.New(slog.DiscardHandler), false)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.MigrateTo(ctx, preDomainsSchema); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	conn, err := pgx.Connect(ctx, env["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, insert, id, created); err != nil {
		t.Fatal(err)
	}
}
