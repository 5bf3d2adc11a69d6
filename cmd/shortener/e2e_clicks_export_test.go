package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/postgres"
	"github.com/shortener-dev/shortener/sqlite"
)

// seedClicks writes clicks of past days straight into the server's click
// store, as the click pipeline would have when they happened: a redirect
// can only record a click now.
func seedClicks(t *testing.T, srv *testServer, clicks []shortener.ClickEvent) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var store shortener.ClickWriter
	switch srv.backend {
	case "embedded":
		db, err := sqlite.Open(ctx, filepath.Join(srv.env["DATA_DIR"], "shortener.db"))
		if err != nil {
			t.Fatalf("open the server's SQLite database: %v", err)
		}
		defer db.Close()
		store = sqlite.NewClickStore(db)
	default:
		db, err := postgres.Open(ctx, srv.env["DATABASE_URL"], nil, false)
		if err != nil {
			t.Fatalf("open the server's database: %v", err)
		}
		defer db.Close()
		store = postgres.NewClickStore(db)
	}
	if err := store.WriteClicks(ctx, clicks); err != nil {
		t.Fatalf("write clicks: %v", err)
	}
}

// pastClicks makes one human click of link at each time.
func pastClicks(linkID string, times ...time.Time) []shortener.ClickEvent {
	out := make([]shortener.ClickEvent, len(times))
	for i, at := range times {
		out[i] = shortener.ClickEvent{ID: shortener.NewIDAt(at), LinkID: linkID, OccurredAt: at,
			Referrer: "news.example.com", Browser: "Firefox", OS: "Linux", Device: "desktop", Country: "DE",
			VisitorHash: "visitor-" + at.Format(time.RFC3339Nano), Target: "https://example.com/clicked"}
	}
	return out
}

// clickExport downloads the clicks export and returns its body.
func (s *testServer) clickExport(t *testing.T, token, code, query, contentType string) string {
	t.Helper()
	r := s.do(t, "GET", "/api/v1/analytics/"+code+"/clicks"+query, nil, withToken(token))
	expectStatus(t, r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); ct != contentType {
		t.Errorf("clicks export Content-Type %q, want %q", ct, contentType)
	}
	return string(r.Body)
}

// TestE2EClickExportAndRanges: the clicks of a link on several days come
// out in time order as CSV and NDJSON, without IP or visitor hash, within
// from/to; the summary takes from/to; others get 404, a links:read key
// 403, bad ranges 422.
func TestE2EClickExportAndRanges(t *testing.T) {
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		a := srv.newAccount(t)
		l := srv.createLink(t, a.access, map[string]any{"original_url": "https://example.com/clicked"})
		code := str(l["short_code"])
		today := time.Now().UTC().Truncate(24 * time.Hour)
		days := []time.Time{today.AddDate(0, 0, -3).Add(9 * time.Hour), today.AddDate(0, 0, -3).Add(10 * time.Hour),
			today.AddDate(0, 0, -2).Add(8 * time.Hour), today.AddDate(0, 0, -40).Add(12 * time.Hour)}
		seedClicks(t, srv, pastClicks(str(l["id"]), days...))
		expectRedirect(t, srv.redirect(t, code, withHeader("User-Agent", uaChrome)), "https://example.com/clicked")
		srv.optClickCount(t, a.access, str(l["id"]), 5)

		body := srv.clickExport(t, a.access, code, "", "text/csv; charset=utf-8")
		recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatalf("clicks CSV: %v\n%s", err, body)
		}
		if strings.Join(recs[0], ",") != "time,referrer_host,country,browser,os,device,is_bot,target" {
			t.Errorf("clicks CSV header %v", recs[0])
		}
		if len(recs) != 5 {
			t.Fatalf("default range (30 days) gave %d rows, want the 4 clicks since then: %v", len(recs)-1, recs)
		}
		var prev time.Time
		for _, r := range recs[1:] {
			at, err := time.Parse(time.RFC3339Nano, r[0])
			if err != nil || at.Before(prev) {
				t.Errorf("row time %q not RFC 3339 or out of order", r[0])
			}
			prev = at
		}
		if r := recs[1]; r[1] != "news.example.com" || r[2] != "DE" || r[3] != "Firefox" || r[5] != "desktop" || r[6] != "false" || r[7] != "https://example.com/clicked" {
			t.Errorf("first row %v", r)
		}
		if last := recs[4]; last[3] != "Chrome" {
			t.Errorf("the redirect's click %v, want it last", last)
		}
		if strings.Contains(body, "visitor-") || strings.Contains(body, "127.0.0.1") {
			t.Errorf("the export shows a visitor hash or an IP")
		}

		from := today.AddDate(0, 0, -60).Format(time.RFC3339)
		to := today.AddDate(0, 0, -2).Format(time.RFC3339)
		nd := srv.clickExport(t, a.access, code, "?format=ndjson&from="+from+"&to="+to, "application/x-ndjson")
		var lines []map[string]any
		sc := bufio.NewScanner(strings.NewReader(nd))
		for sc.Scan() {
			var m map[string]any
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				t.Fatalf("NDJSON line %q: %v", sc.Text(), err)
			}
			lines = append(lines, m)
		}
		if len(lines) != 3 || lines[0]["time"] != days[3].Format(time.RFC3339) {
			t.Errorf("NDJSON from 60 to 2 days ago: %v, want the 3 clicks before the 2nd day back, oldest first", lines)
		}
		for _, m := range lines {
			if len(m) != 8 || m["is_bot"] != false {
				t.Errorf("NDJSON row %v, want the 8 fields", m)
			}
		}

		// The summary over a range: period_days is its length.
		first, last := today.AddDate(0, 0, -40), today.AddDate(0, 0, -2)
		sum := srv.summary(t, a.access, code, "?from="+first.Format(time.DateOnly)+"&to="+last.Format(time.DateOnly))
		if integer(t, "period_days", sum["period_days"]) != 39 || integer(t, "total_clicks", sum["total_clicks"]) != 4 {
			t.Errorf("summary from/to: %d days, %d clicks, want 39 and 4", integer(t, "period_days", sum["period_days"]), integer(t, "total_clicks", sum["total_clicks"]))
		}
		rows := sum["daily_stats"].([]any)
		if len(rows) != 39 || rows[0].(map[string]any)["date"] != first.Format(time.DateOnly) || rows[0].(map[string]any)["clicks"] != json.Number("1") {
			t.Errorf("daily_stats from %v (%d rows)", rows[0], len(rows))
		}
		one := srv.summary(t, a.access, code, "?from="+last.Format(time.DateOnly)+"&to="+last.Format(time.DateOnly))
		if integer(t, "period_days", one["period_days"]) != 1 || integer(t, "total_clicks", one["total_clicks"]) != 1 {
			t.Errorf("one-day summary %v", one)
		}

		path := "/api/v1/analytics/" + code
		for q, loc := range map[string]string{
			"/summary?from=2026-01-01":                                  "query.to",
			"/summary?from=2026-02-01&to=2026-01-01":                    "query.from",
			"/summary?from=2025-01-01&to=2026-01-02":                    "query.to",
			"/summary?from=2026-01-01&to=2026-01-02&days=3":             "query.days",
			"/summary?from=yesterday&to=2026-01-02":                     "query.from",
			"/summary?from=0000-01-01&to=0000-01-02":                    "query.from", // years 1-9999
			"/clicks?format=xml":                                        "query.format",
			"/clicks?from=2026-01-01":                                   "query.from",
			"/clicks?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z": "query.to",
		} {
			expectValidation(t, srv.do(t, "GET", path+q, nil, withToken(a.access)), loc)
		}
		other := srv.newAccount(t)
		expectProblem(t, srv.do(t, "GET", path+"/clicks", nil, withToken(other.access)), http.StatusNotFound)
		expectUnauthorized(t, srv.do(t, "GET", path+"/clicks", nil))
		reader := srv.newKey(t, a, "links:read")
		expectProblem(t, srv.do(t, "GET", path+"/clicks", nil, withToken(reader)), http.StatusForbidden)
		analyst := srv.newKey(t, a, "analytics:read")
		expectStatus(t, srv.do(t, "GET", path+"/clicks", nil, withToken(analyst)), http.StatusOK)
		// RFC 3339 as bodies read it: a lower-case t and z, no offset for UTC.
		for _, q := range []string{"?from=2026-01-01t00:00:00z", "?from=2026-01-01T00:00:00&to=2026-01-02T00:00:00"} {
			expectStatus(t, srv.do(t, "GET", path+"/clicks"+q, nil, withToken(analyst)), http.StatusOK)
		}
		expectValidation(t, srv.do(t, "GET", path+"/clicks?format=", nil, withToken(analyst)), "query.format")
		expectStatus(t, srv.do(t, "GET", "/api/v1/urls/export", nil, withToken(reader)), http.StatusOK)
		expectProblem(t, srv.do(t, "GET", "/api/v1/urls/export", nil, withToken(analyst)), http.StatusForbidden)
	})
}

// TestE2EClickRetention: with CLICK_RETENTION_DAYS the raw clicks older
// than that are deleted in the background (here: at the start of the
// next instance), while the summary of their period is unchanged.
func TestE2EClickRetention(t *testing.T) {
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		a := srv.newAccount(t)
		l := srv.createLink(t, a.access, map[string]any{"original_url": "https://example.com/clicked"})
		code := str(l["short_code"])
		today := time.Now().UTC().Truncate(24 * time.Hour)
		seedClicks(t, srv, pastClicks(str(l["id"]), today.AddDate(0, 0, -70).Add(time.Hour),
			today.AddDate(0, 0, -40).Add(time.Hour), today.AddDate(0, 0, -20).Add(time.Hour), today.AddDate(0, 0, -2).Add(time.Hour)))
		rangeQ := "?from=" + today.AddDate(0, 0, -80).Format(time.DateOnly) + "&to=" + today.Format(time.DateOnly)
		before := srv.summary(t, a.access, code, rangeQ)
		all := "?from=" + today.AddDate(0, 0, -80).Format(time.RFC3339) + "&to=" + today.AddDate(0, 0, 1).Format(time.RFC3339)
		if n := strings.Count(srv.clickExport(t, a.access, code, "?format=ndjson&"+all[1:], "application/x-ndjson"), "\n"); n != 4 {
			t.Fatalf("%d raw clicks before retention, want 4", n)
		}

		srv.stop(t)
		srv.env["CLICK_RETENTION_DAYS"] = "30"
		srv = launch(t, srv.backend, srv.env)
		waitFor(t, "raw clicks older than 30 days deleted", func() bool {
			return strings.Count(srv.clickExport(t, a.access, code, "?format=ndjson&"+all[1:], "application/x-ndjson"), "\n") == 2
		})
		after := srv.summary(t, a.access, code, rangeQ)
		for _, k := range []string{"total_clicks", "unique_visitors", "period_days"} {
			if integer(t, k, after[k]) != integer(t, k, before[k]) {
				t.Errorf("summary %s %v after retention, was %v", k, after[k], before[k])
			}
		}
		if integer(t, "total_clicks", after["total_clicks"]) != 4 {
			t.Errorf("summary counts %v clicks, want all 4 (rollups stay)", after["total_clicks"])
		}
	})
}
