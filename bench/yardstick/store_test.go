package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/shortener-dev/shortener/bench/benchdata"
	"github.com/shortener-dev/shortener/internal/testenv"
)

// checkStore seeds n codes into store, looks some up, and closes it.
func checkStore(t *testing.T, store codeStore, n int) {
	t.Helper()
	ctx := context.Background()
	if err := store.Seed(ctx, n); err != nil {
		t.Fatalf("seed: %v", err)
	}
	for _, i := range []int{0, n / 2, n - 1} {
		got, found, err := store.Lookup(ctx, benchdata.Code(i))
		if err != nil || !found || got != benchdata.TargetURL(i) {
			t.Errorf("lookup code %d = %q, %v, %v; want %q", i, got, found, err, benchdata.TargetURL(i))
		}
	}
	for _, code := range []string{benchdata.Code(n), "zzzzzzz"} {
		if got, found, err := store.Lookup(ctx, code); err != nil || found {
			t.Errorf("lookup unknown %s = %q, %v, %v; want not found", code, got, found, err)
		}
	}
	if c, ok := store.(creator); ok {
		if err := c.Create(ctx, "new0001", "https://example.com/new"); err != nil {
			t.Fatalf("create: %v", err)
		}
		if got, found, err := store.Lookup(ctx, "new0001"); err != nil || !found || got != "https://example.com/new" {
			t.Errorf("lookup of the created code = %q, %v, %v", got, found, err)
		}
		if err := c.Create(ctx, "new0001", "https://example.com/again"); err == nil {
			t.Error("a second create of the same code was accepted: the code is not the primary key")
		}
	}
	if err := store.Close(ctx); err != nil {
		t.Fatalf("close: %v", err)
	}
}

func TestSQLiteStoreSeedsLooksUpCreatesAndCleansUp(t *testing.T) {
	file := filepath.Join(t.TempDir(), "yardstick.db")
	store, err := openSQLiteStore(context.Background(), file)
	if err != nil {
		t.Fatal(err)
	}
	checkStore(t, store, 2500)
	if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the file is still there after Close: %v", err)
	}
}

func TestCreateAnswersLikeTheService(t *testing.T) {
	store, err := openSQLiteStore(context.Background(), filepath.Join(t.TempDir(), "yardstick.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close(context.Background())
	if err := store.Seed(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	h := newHandler(store)

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/api/v1/urls", strings.NewReader(`{"original_url":"https://example.com/x"}`)))
	var out struct {
		ShortCode string `json:"short_code"`
	}
	if rec.Code != http.StatusCreated || json.Unmarshal(rec.Body.Bytes(), &out) != nil || len(out.ShortCode) != 7 {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/"+out.ShortCode, nil))
	if rec.Code != http.StatusFound || rec.Header().Get("Location") != "https://example.com/x" {
		t.Errorf("the created code answers %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/api/v1/urls", strings.NewReader(`{}`)))
	if rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("empty body: %d, want 422", rec.Code)
	}
	rec = httptest.NewRecorder()
	newHandler(memoryStore{}).ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/api/v1/urls", strings.NewReader(`{"original_url":"https://example.com/x"}`)))
	if rec.Code == http.StatusCreated {
		t.Error("the memory yardstick created a link; it has nowhere to store one")
	}
}

func TestRedisStoreSeedsLooksUpAndCleansUp(t *testing.T) {
	url := testenv.RedisURL(t)
	client, prefix := testenv.Redis(t)
	ctx := context.Background()
	store, err := openRedisStore(ctx, url, prefix)
	if err != nil {
		t.Fatal(err)
	}
	// 2,500 spans several seed batches and a partial last one.
	checkStore(t, store, 2500)
	keys, err := client.Keys(ctx, prefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 0 {
		t.Errorf("%d keys left under the prefix after Close, e.g. %s", len(keys), keys[0])
	}
}

func TestPostgresStoreSeedsLooksUpAndCleansUp(t *testing.T) {
	url := testenv.PostgresURL(t)
	ctx := context.Background()
	store, err := openPostgresStore(ctx, url, "yardstick_test_links")
	if err != nil {
		t.Fatal(err)
	}
	checkStore(t, store, 2500)

	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT to_regclass('yardstick_test_links') IS NOT NULL").Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if exists {
		t.Error("the table is still there after Close")
	}
}

func TestRedisStoreRefusesEmptyPrefix(t *testing.T) {
	if _, err := openRedisStore(context.Background(), "redis://127.0.0.1:1/0", ""); err == nil {
		t.Fatal("an empty prefix was accepted")
	}
}
