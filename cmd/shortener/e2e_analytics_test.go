package main

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	uaChrome    = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
	uaIPhone    = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
	uaGooglebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
)

// summary fetches the analytics summary of code.
func (s *testServer) summary(t *testing.T, token, code, query string) map[string]any {
	t.Helper()
	r := s.do(t, "GET", "/api/v1/analytics/"+code+"/summary"+query, nil, withToken(token))
	expectJSON(t, r, http.StatusOK)
	return r.object(t)
}

// checkSummaryShape checks the invariants of every summary and returns
// the top lists as label -> count.
func checkSummaryShape(t *testing.T, sum map[string]any, code string, days int) map[string]map[string]int {
	t.Helper()
	if sum["short_code"] != code {
		t.Errorf("short_code %v, want %s", sum["short_code"], code)
	}
	if integer(t, "period_days", sum["period_days"]) != days {
		t.Errorf("period_days %v, want %d", sum["period_days"], days)
	}
	total := integer(t, "total_clicks", sum["total_clicks"])
	unique := integer(t, "unique_visitors", sum["unique_visitors"])
	integer(t, "bot_clicks", sum["bot_clicks"])

	rows, ok := sum["daily_stats"].([]any)
	if !ok || len(rows) != days {
		t.Fatalf("daily_stats has %d rows (%T), want %d", len(rows), sum["daily_stats"], days)
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	first := today.AddDate(0, 0, -(days - 1))
	dailyClicks, dailyUnique := 0, 0
	for i, row := range rows {
		m := row.(map[string]any)
		want := first.AddDate(0, 0, i).Format(time.DateOnly)
		if m["date"] != want {
			t.Errorf("daily_stats[%d].date = %v, want %s (one row per UTC day, oldest first, ending today)", i, m["date"], want)
		}
		dailyClicks += integer(t, "daily clicks", m["clicks"])
		dailyUnique += integer(t, "daily unique_visitors", m["unique_visitors"])
	}
	if dailyClicks != total || dailyUnique != unique {
		t.Errorf("daily_stats sum to %d clicks / %d visitors, totals say %d / %d", dailyClicks, dailyUnique, total, unique)
	}

	tops := map[string]map[string]int{}
	for _, k := range []string{"top_referrers", "top_countries", "top_browsers", "top_os", "top_devices"} {
		list, ok := sum[k].([]any)
		if !ok {
			t.Errorf("%s = %#v, want an array", k, sum[k])
			continue
		}
		if len(list) > 10 {
			t.Errorf("%s has %d rows, at most 10", k, len(list))
		}
		counts := map[string]int{}
		sumCount, sumPct, prev := 0, 0.0, math.MaxInt
		for _, it := range list {
			m := it.(map[string]any)
			label := str(m["label"])
			c := integer(t, k+" count", m["count"])
			p := num(t, k+" percentage", m["percentage"])
			if label == "" {
				t.Errorf("%s row without a label: %v", k, m)
			}
			if c > prev {
				t.Errorf("%s not largest first: %v", k, list)
			}
			prev = c
			if want := math.Round(float64(c)*1000/float64(total)) / 10; math.Abs(p-want) > 0.051 {
				t.Errorf("%s %s: percentage %v, want %.1f (of total_clicks, one decimal)", k, label, p, want)
			}
			if math.Abs(p*10-math.Round(p*10)) > 1e-9 {
				t.Errorf("%s %s: percentage %v has more than one decimal", k, label, p)
			}
			counts[label] = c
			sumCount += c
			sumPct += p
		}
		if len(list) > 0 && len(list) < 10 {
			if sumCount != total {
				t.Errorf("%s counts sum to %d, want total_clicks %d", k, sumCount, total)
			}
			if math.Abs(sumPct-100) > 0.5 {
				t.Errorf("%s percentages sum to %.1f, want about 100", k, sumPct)
			}
		}
		tops[k] = counts
	}
	return tops
}

func expectCounts(t *testing.T, what string, got, want map[string]int) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s = %v, want %v", what, got, want)
		return
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", what, got, want)
			return
		}
	}
}

// TestE2EAnalytics clicks a link with browsers and a bot and checks the
// summary.
func TestE2EAnalytics(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		owner := srv.newAccount(t)
		other := srv.newAccount(t)
		l := srv.link(t, owner.access, "https://example.com/stats")
		code, id := str(l["short_code"]), str(l["id"])

		t.Run("access", func(t *testing.T) {
			expectUnauthorized(t, srv.do(t, "GET", "/api/v1/analytics/"+code+"/summary", nil))
			expectProblem(t, srv.do(t, "GET", "/api/v1/analytics/"+code+"/summary", nil, withToken(other.access)), http.StatusNotFound)
			expectProblem(t, srv.do(t, "GET", "/api/v1/analytics/NoSuchCode7/summary", nil, withToken(owner.access)), http.StatusNotFound)
			anon := srv.link(t, "", "https://example.com/anon-stats")
			expectProblem(t, srv.do(t, "GET", "/api/v1/analytics/"+str(anon["short_code"])+"/summary", nil, withToken(other.access)), http.StatusNotFound)
			gone := srv.link(t, owner.access, "https://example.com/gone-stats")
			expectStatus(t, srv.do(t, "DELETE", "/api/v1/urls/"+str(gone["id"]), nil, withToken(owner.access)), http.StatusNoContent)
			expectProblem(t, srv.do(t, "GET", "/api/v1/analytics/"+str(gone["short_code"])+"/summary", nil, withToken(owner.access)), http.StatusNotFound)
			for _, q := range []string{"?days=0", "?days=366", "?days=abc"} {
				expectProblem(t, srv.do(t, "GET", "/api/v1/analytics/"+code+"/summary"+q, nil, withToken(owner.access)), http.StatusUnprocessableEntity)
			}
		})
		t.Run("empty link", func(t *testing.T) {
			empty := srv.link(t, owner.access, "https://example.com/empty")
			ec := str(empty["short_code"])
			sum := srv.summary(t, owner.access, ec, "")
			tops := checkSummaryShape(t, sum, ec, 30)
			for k, v := range tops {
				if len(v) != 0 {
					t.Errorf("%s = %v for a link without clicks", k, v)
				}
			}
			checkSummaryShape(t, srv.summary(t, owner.access, ec, "?days=1"), ec, 1)
			checkSummaryShape(t, srv.summary(t, owner.access, ec, "?days=365"), ec, 365)
		})
		t.Run("clicks", func(t *testing.T) {
			day := time.Now().UTC().Format(time.DateOnly)
			click := func(method, ua, referer string) {
				opts := []reqOpt{withHeader("User-Agent", ua)}
				if referer != "" {
					opts = append(opts, withHeader("Referer", referer))
				}
				expectRedirect(t, srv.do(t, method, "/"+code, nil, opts...), "https://example.com/stats")
			}
			// The bot and the HEAD requests go first, so that by the time
			// the last human click is counted they have been processed too.
			click("GET", uaGooglebot, "https://www.google.com/")
			click("HEAD", uaChrome, "https://news.ycombinator.com/")
			click("HEAD", uaIPhone, "")
			for range 3 {
				click("GET", uaChrome, "https://news.ycombinator.com/item?id=1")
			}
			for range 2 {
				click("GET", uaIPhone, "")
			}
			const humans = 5
			var count int
			waitFor(t, "click_count to reach 5", func() bool {
				r := srv.do(t, "GET", "/api/v1/urls/"+id, nil, withToken(owner.access))
				expectJSON(t, r, http.StatusOK)
				count = integer(t, "click_count", r.object(t)["click_count"])
				if count > humans {
					t.Fatalf("click_count %d, want %d: bots or HEAD requests were counted", count, humans)
				}
				return count == humans
			})
			if time.Now().UTC().Format(time.DateOnly) != day {
				t.Skip("the UTC day changed during the test; the per-day expectations do not hold")
			}
			sum := srv.summary(t, owner.access, code, "")
			tops := checkSummaryShape(t, sum, code, 30)
			if got := integer(t, "total_clicks", sum["total_clicks"]); got != humans {
				t.Errorf("total_clicks %d, want %d (humans only)", got, humans)
			}
			if got := integer(t, "bot_clicks", sum["bot_clicks"]); got != 1 {
				t.Errorf("bot_clicks %d, want 1", got)
			}
			if got := integer(t, "unique_visitors", sum["unique_visitors"]); got != 2 {
				t.Errorf("unique_visitors %d, want 2 (two user agents from one IP)", got)
			}
			rows := sum["daily_stats"].([]any)
			last := rows[len(rows)-1].(map[string]any)
			if last["date"] != day || integer(t, "clicks", last["clicks"]) != humans || integer(t, "unique_visitors", last["unique_visitors"]) != 2 {
				t.Errorf("today's row %v, want date %s, 5 clicks, 2 visitors", last, day)
			}
			expectCounts(t, "top_referrers", tops["top_referrers"], map[string]int{"news.ycombinator.com": 3, "(direct)": 2})
			expectCounts(t, "top_devices", tops["top_devices"], map[string]int{"desktop": 3, "mobile": 2})
			expectCounts(t, "top_browsers", tops["top_browsers"], map[string]int{"Chrome": 3, "Safari": 2})
			expectCounts(t, "top_os", tops["top_os"], map[string]int{"Windows": 3, "iOS": 2})
			expectCounts(t, "top_countries", tops["top_countries"], map[string]int{"unknown": 5})

			week := srv.summary(t, owner.access, code, "?days=7")
			checkSummaryShape(t, week, code, 7)
			if integer(t, "total_clicks", week["total_clicks"]) != humans {
				t.Errorf("7-day total_clicks %v", week["total_clicks"])
			}
			// HEAD requests and bots never reach click_count, even later.
			time.Sleep(2 * time.Second)
			r := srv.do(t, "GET", "/api/v1/urls/"+id, nil, withToken(owner.access))
			if got := integer(t, "click_count", r.object(t)["click_count"]); got != humans {
				t.Errorf("click_count %d later, want %d", got, humans)
			}
		})
	})
}

// TestE2EAnalyticsLabels: common names for browsers, OS and devices, and
// at most 10 rows per top list.
func TestE2EAnalyticsLabels(t *testing.T) {
	t.Parallel()
	const (
		uaIPad    = "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1"
		uaAndroid = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36"
		uaFirefox = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
		uaEdge    = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51"
		uaMac     = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15"
	)
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		acct := srv.newAccount(t)
		l := srv.link(t, acct.access, "https://example.com/labels")
		code := str(l["short_code"])
		uas := []string{uaIPad, uaIPad, uaAndroid, uaAndroid, uaAndroid, uaFirefox, uaFirefox, uaEdge, uaEdge, uaMac, uaMac, uaMac}
		for i, ua := range uas {
			ref := "https://r" + strconv.Itoa(i) + ".example.org/page"
			expectRedirect(t, srv.redirect(t, code, withHeader("User-Agent", ua), withHeader("Referer", ref)), "https://example.com/labels")
		}
		waitFor(t, "click_count 12", func() bool {
			r := srv.do(t, "GET", "/api/v1/urls/"+str(l["id"]), nil, withToken(acct.access))
			expectJSON(t, r, http.StatusOK)
			return integer(t, "click_count", r.object(t)["click_count"]) == len(uas)
		})
		sum := srv.summary(t, acct.access, code, "?days=2")
		tops := checkSummaryShape(t, sum, code, 2)
		if got := integer(t, "unique_visitors", sum["unique_visitors"]); got != 5 {
			t.Errorf("unique_visitors %d, want 5 (five user agents)", got)
		}
		refs := tops["top_referrers"]
		if len(refs) != 10 {
			t.Errorf("top_referrers has %d rows, want 10 of the 12 hosts", len(refs))
		}
		for label, c := range refs {
			if c != 1 || !strings.HasSuffix(label, ".example.org") {
				t.Errorf("top_referrers %q: %d (want hosts, each once)", label, c)
			}
		}
		expectCounts(t, "top_devices", tops["top_devices"], map[string]int{"desktop": 7, "mobile": 3, "tablet": 2})
		expectCounts(t, "top_browsers", tops["top_browsers"], map[string]int{"Safari": 5, "Chrome": 3, "Firefox": 2, "Edge": 2})
		expectCounts(t, "top_os", tops["top_os"], map[string]int{"iOS": 2, "Android": 3, "Linux": 2, "Windows": 2, "macOS": 3})
	})
}
