package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/sqlite"
)

// seedMonth writes 30 days of clicks on a link, ending now, and returns
// the human and bot clicks written. A redirect can only record a click
// at the time it happens, so the month before today goes in through the
// SQLite click store of the embedded backend: the store the click
// pipeline writes to, with its daily rollups, opened beside the running
// server (SQLite serialises the two writers), and the link's creation is
// dated back to the first day. The clicks are made up but shaped like a
// launch: growth on weekdays, quiet weekends, a spike on the day the link
// made the front page of a news site.
func seedMonth(t *testing.T, srv *testServer, linkID, target string) (human, bots int64) {
	t.Helper()
	if srv.backend != "embedded" {
		t.Fatalf("seedMonth writes to the embedded backend's SQLite file, not %s", srv.backend)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	path := filepath.Join(srv.env["DATA_DIR"], "shortener.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("open the server's SQLite database: %v", err)
	}
	defer db.Close()

	rng := rand.New(rand.NewPCG(2026, 12))
	pickIndex := func(weights []int) int {
		total := 0
		for _, w := range weights {
			total += w
		}
		n := rng.IntN(total)
		for i, w := range weights {
			if n < w {
				return i
			}
			n -= w
		}
		return len(weights) - 1
	}
	pick := func(choices []string, weights []int) string { return choices[pickIndex(weights)] }
	referrers := []string{shortener.LabelDirect, "news.ycombinator.com", "t.co", "www.google.com", "www.linkedin.com", "github.com", "lobste.rs"}
	refWeights := []int{30, 22, 14, 12, 8, 6, 3}
	countries := []string{"US", "DE", "GB", "FR", "IN", "CA", "NL", "BR", "JP", shortener.LabelUnknown}
	countryWeights := []int{34, 14, 10, 7, 7, 6, 5, 4, 3, 4}
	type agent struct{ browser, os, device string }
	agents := []agent{
		{"Chrome", "Windows", shortener.DeviceDesktop}, {"Chrome", "macOS", shortener.DeviceDesktop},
		{"Safari", "iOS", shortener.DeviceMobile}, {"Chrome", "Android", shortener.DeviceMobile},
		{"Firefox", "Linux", shortener.DeviceDesktop}, {"Safari", "macOS", shortener.DeviceDesktop},
		{"Edge", "Windows", shortener.DeviceDesktop}, {"Safari", "iPadOS", shortener.DeviceTablet},
	}
	agentWeights := []int{26, 14, 18, 14, 6, 8, 6, 3}

	now := time.Now().UTC()
	today := now.Truncate(24 * time.Hour)
	var clicks []shortener.ClickEvent
	for i := range 30 {
		day := today.AddDate(0, 0, i-29)
		n := 24 + 3*i
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			n /= 3
		}
		switch i {
		case 17:
			n += 260 // the front page
		case 18:
			n += 90
		case 19:
			n += 30
		}
		span := 24 * time.Hour
		if day.Equal(today) {
			span = max(now.Sub(today), time.Minute)
			n = max(n*int(span/time.Hour)/24, 3)
		}
		visitors := max(n*3/4, 1)
		for range n {
			at := day.Add(time.Duration(rng.Int64N(int64(span))))
			if at.After(now) {
				at = now
			}
			a := agents[pickIndex(agentWeights)]
			c := shortener.ClickEvent{
				ID: shortener.NewIDAt(at), LinkID: linkID, OccurredAt: at,
				Referrer: pick(referrers, refWeights), Browser: a.browser, OS: a.os, Device: a.device,
				Country:     pick(countries, countryWeights),
				VisitorHash: fmt.Sprintf("%064x", i*100000+rng.IntN(visitors)),
				Target:      target,
			}
			if rng.IntN(25) == 0 {
				c.IsBot, c.Browser, c.OS, c.Device = true, "Googlebot", shortener.LabelUnknown, shortener.DeviceBot
				bots++
			} else {
				human++
			}
			clicks = append(clicks, c)
		}
	}
	if err := sqlite.NewClickStore(db).WriteClicks(ctx, clicks); err != nil {
		t.Fatalf("write a month of clicks: %v", err)
	}
	// And the link was made when its clicks began, not today.
	raw, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatalf("open the server's SQLite database: %v", err)
	}
	defer raw.Close()
	created := today.AddDate(0, 0, -29).Add(9 * time.Hour)
	if _, err := raw.ExecContext(ctx, `UPDATE short_urls SET created_at = ? WHERE id = ?`, created.UnixMicro(), linkID); err != nil {
		t.Fatalf("date the link back: %v", err)
	}
	return human, bots
}

// TestBrowserPhoneListAndMonthChart: a signed-in user with a handful of
// links (one with a 40-character alias) and a month of clicks on one of
// them, at 1280 and 390 px (and the list at 800). Nothing scrolls
// sideways (not the page, not the list's table);
// on the phone the list is a column of cards and the link page shows the
// narrow chart. The link page's totals and its chart agree with the
// clicks written. Screenshots of both pages at both widths.
func TestBrowserPhoneListAndMonthChart(t *testing.T) {
	t.Parallel()
	srv := startWebServer(t, "embedded")
	b := newTab(t, srv.url)
	email := randomEmail()
	b.signUp(email, "Ada Lovelace", e2ePassword)
	access, _ := srv.login(t, email, e2ePassword)

	launch := srv.createLink(t, access, map[string]any{
		"original_url": "https://www.example.com/blog/2026/11/introducing-our-new-product?utm_source=launch&utm_medium=social",
		"custom_alias": "launch", "title": "Product launch post",
	})
	srv.createLink(t, access, map[string]any{"original_url": "https://docs.example.org/getting-started/installation", "title": "Docs: installation"})
	old := srv.createLink(t, access, map[string]any{"original_url": "https://example.com/campaigns/black-friday-2025", "custom_alias": "bf-2025", "title": "Black Friday 2025"})
	r := srv.do(t, "PATCH", "/api/v1/urls/"+str(old["id"]), map[string]any{"is_active": false}, withToken(access))
	expectJSON(t, r, http.StatusOK)
	srv.createLink(t, access, map[string]any{
		"original_url": "https://shop.example.net/checkout/cart?promo=WINTER26&ref=newsletter-december",
		"custom_alias": "winter-promo-2026-newsletter-subscribers",
		"title":        "Winter promo (newsletter)", "is_public": false,
		"expires_at": time.Now().UTC().AddDate(0, 1, 0).Truncate(time.Hour).Format(time.RFC3339),
	})
	srv.createLink(t, access, map[string]any{"original_url": "https://github.com/shortener-dev/shortener/releases/tag/v1.4.0"})
	human, bots := seedMonth(t, srv, str(launch["id"]), str(launch["original_url"]))

	// 660 px: wider than a phone, too narrow for the table's columns.
	for _, width := range []int64{desktopWidth, tabletWidth, 660, phoneWidth} {
		b.viewport(width)
		b.open("/app", http.StatusOK)
		if n := b.count("table.links tbody tr"); n != 5 {
			b.fatalf("the list has %d rows, want 5", n)
		}
		b.noHorizontalScroll("the link list")
		if n := eval[int](b, `[...document.querySelectorAll(".links .link-title")].filter(e => getComputedStyle(e).color !== getComputedStyle(document.body).color).length`); n > 0 {
			b.fatalf("at %d px %d link titles are not in the text colour", width, n)
		}
		if w := eval[[]int](b, `(w => [w.scrollWidth, w.clientWidth])(document.querySelector(".table-wrap"))`); w[0] > w[1] {
			b.fatalf("at %d px the link table scrolls sideways in its box: %d > %d", width, w[0], w[1])
		}
		if width == phoneWidth {
			cards := eval[string](b, `(() => {
				const rows = [...document.querySelectorAll("table.links tbody tr")];
				const bad = rows.filter(tr => getComputedStyle(tr).display !== "block" || tr.getBoundingClientRect().right > innerWidth);
				const head = document.querySelector("table.links thead").getBoundingClientRect();
				// Title and target follow the short link under no label of their own.
				const labelled = rows.filter(tr => getComputedStyle(tr.querySelector(".target-col"), "::before").content !== "none");
				return bad.length + " rows not cards; head " + head.width + "x" + head.height + "; " + labelled.length + " titles under a label";
			})()`)
			if cards != "0 rows not cards; head 1x1; 0 titles under a label" {
				b.fatalf("at %d px the list is not a column of cards: %s", width, cards)
			}
		}
		if width == tabletWidth {
			b.reviewShot(fmt.Sprintf("links-%d", width))
		} else {
			b.screenshot(fmt.Sprintf("links-%d", width))
		}
	}

	linkPage := "/app/links/" + str(launch["id"])
	b.viewport(desktopWidth)
	b.open(linkPage, http.StatusOK)
	want := []string{"Clicks=" + thousandsOf(human), "Bots=" + thousandsOf(bots)}
	for _, w := range want {
		if !slices.Contains(b.totals(), w) {
			b.fatalf("the link page's totals %q lack %s", b.totals(), w)
		}
	}
	bars := eval[[]int](b, `[".chart-wide", ".chart-narrow"].map(c => document.querySelectorAll(c + " g.day rect.bar:not(.zero)").length)`)
	if bars[0] != 30 || bars[1] != 30 {
		b.fatalf("the charts have %v bars with clicks, want 30 days each", bars)
	}
	if got := b.topRows("countries"); len(got) == 0 || !strings.HasPrefix(got[0], "United States ") {
		b.fatalf("the countries list starts %q, want United States by name", got)
	}
	for _, width := range []int64{desktopWidth, phoneWidth} {
		b.viewport(width)
		b.open(linkPage, http.StatusOK)
		b.noHorizontalScroll("the link page")
		shown := eval[string](b, `[".chart-wide", ".chart-narrow"].filter(c => getComputedStyle(document.querySelector(c)).display !== "none").join()`)
		if want := map[int64]string{desktopWidth: ".chart-wide", phoneWidth: ".chart-narrow"}[width]; shown != want {
			b.fatalf("at %d px the page shows the chart %q, want %s", width, shown, want)
		}
		b.screenshot(fmt.Sprintf("link-month-%d", width))
	}
}

// thousandsOf formats n as the pages do: 12345 → "12,345".
func thousandsOf(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
