package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/bench/benchdata"
	"github.com/shortener-dev/shortener/internal/testenv"
)

func TestSeedSQLite(t *testing.T) {
	checkSeed(t, filepath.Join(t.TempDir(), "shortener.db"))
}

func TestSeedPostgres(t *testing.T) {
	checkSeed(t, testenv.PostgresURL(t))
}

// checkSeed seeds links twice (the second time must be a no-op) and clicks
// on one of them, and checks what the stores then report.
func checkSeed(t *testing.T, db string) {
	t.Helper()
	ctx := context.Background()
	const links, clicks, days = 120, 5000, 7
	now := time.Date(2026, 3, 10, 15, 30, 0, 0, time.UTC)
	err := withEngine(ctx, db, func(e *engine) error {
		for range 2 {
			if err := seedLinks(ctx, e.links, links, 4); err != nil {
				return err
			}
		}
		last, err := e.links.LinkByCode(ctx, shortener.DefaultDomainID, benchdata.Code(links-1))
		if err != nil {
			return err
		}
		if last.OriginalURL != benchdata.TargetURL(links-1) || !last.IsActive {
			t.Errorf("last link = %+v", last)
		}
		if _, err := e.links.LinkByCode(ctx, shortener.DefaultDomainID, benchdata.Code(links)); shortener.ErrorCode(err) != shortener.ENOTFOUND {
			t.Errorf("code past the seeded ones: err = %v, want ENOTFOUND", err)
		}

		hot, err := e.links.LinkByCode(ctx, shortener.DefaultDomainID, benchdata.HotCode())
		if err != nil {
			return err
		}
		plan := clickPlan{linkID: hot.ID, count: clicks, days: days, batch: 700, now: now}
		if err := seedClicks(ctx, e.clicks, plan); err != nil {
			return err
		}
		checkClicks(t, e, hot.ID, now, days, clicks)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// checkClicks checks that every click landed in the days of the plan, one
// share a day, and that click_count holds the human ones.
func checkClicks(t *testing.T, e *engine, linkID string, now time.Time, days, clicks int) {
	t.Helper()
	ctx := context.Background()
	today := now.Truncate(24 * time.Hour)
	stats, err := e.clicks.ClickStats(ctx, linkID, today.AddDate(0, 0, -(days+5)), today, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(stats.Days) != days {
		t.Fatalf("clicks on %d days, want %d", len(stats.Days), days)
	}
	if first := stats.Days[0].Day; !first.Equal(today.AddDate(0, 0, -(days - 1))) {
		t.Errorf("first day %s, want %s", first, today.AddDate(0, 0, -(days-1)))
	}
	var human, bots int64
	for _, d := range stats.Days {
		human += d.Clicks
		bots += d.BotClicks
		if d.UniqueVisitors < 1 || d.UniqueVisitors > d.Clicks {
			t.Errorf("%s: %d unique visitors for %d clicks", d.Day, d.UniqueVisitors, d.Clicks)
		}
	}
	if human+bots != int64(clicks) || bots == 0 || bots > int64(clicks)/10 {
		t.Errorf("%d human + %d bot clicks, want %d in all with a few bots", human, bots, clicks)
	}
	if n := len(stats.Top[shortener.DimCountry]); n != 10 {
		t.Errorf("%d countries in the top list, want a full 10", n)
	}
	link, err := e.links.LinkByID(ctx, linkID)
	if err != nil {
		t.Fatal(err)
	}
	if link.ClickCount != human {
		t.Errorf("click_count = %d, want the %d human clicks", link.ClickCount, human)
	}
}

func TestWarmCachesSendsOneHeadPerCode(t *testing.T) {
	var heads, gets atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodHead {
			gets.Add(1)
		} else {
			heads.Add(1)
		}
		code := strings.TrimPrefix(r.URL.Path, "/")
		if code < benchdata.Code(40) { // the first 40 codes exist
			w.Header().Set("Location", "https://example.com/")
			w.WriteHeader(http.StatusFound)
			return
		}
		w.WriteHeader(http.StatusNotFound)
	}))
	defer srv.Close()

	bad, err := warmCaches(context.Background(), srv.URL, 50, 8)
	if err != nil {
		t.Fatal(err)
	}
	if bad != 10 {
		t.Errorf("bad = %d, want the 10 codes that answer 404", bad)
	}
	if heads.Load() != 50 || gets.Load() != 0 {
		t.Errorf("%d HEAD and %d other requests, want 50 HEAD only", heads.Load(), gets.Load())
	}
}

func TestWarmRefusesOtherHosts(t *testing.T) {
	for _, base := range []string{"http://10.1.2.3:8000", "http://example.com", "https://127.0.0.1:8000", "127.0.0.1:8000"} {
		if _, err := warmCaches(context.Background(), base, 1, 1); err == nil {
			t.Errorf("warmCaches(%q) accepted a host that is not a loopback http server", base)
		}
	}
}

func TestWithoutSyncCommit(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://u@127.0.0.1:5432/db", "postgres://u@127.0.0.1:5432/db?synchronous_commit=off"},
		{"postgres://u@127.0.0.1/db?sslmode=disable", "postgres://u@127.0.0.1/db?sslmode=disable&synchronous_commit=off"},
		{"postgres://u@127.0.0.1/db?synchronous_commit=on", "postgres://u@127.0.0.1/db?synchronous_commit=on"},
	}
	for _, tt := range tests {
		if got := withoutSyncCommit(tt.in); got != tt.want {
			t.Errorf("withoutSyncCommit(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
