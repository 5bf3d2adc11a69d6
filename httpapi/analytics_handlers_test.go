package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/shortener-dev/shortener"
)

// The summary's JSON names are snake_case and an empty list is [] even
// when the service leaves it nil.
func TestSummaryJSON(t *testing.T) {
	f := newFakes()
	f.summaries.sum = &shortener.ClickSummary{
		ShortCode: "abc", PeriodDays: 2, TotalClicks: 3, UniqueVisitors: 2, BotClicks: 1,
		DailyStats:   []shortener.DailyStat{{Date: "2026-11-06"}, {Date: "2026-11-07", Clicks: 3, UniqueVisitors: 2}},
		TopReferrers: []shortener.TopItem{{Label: "(direct)", Count: 2, Percentage: 66.7}, {Label: "t.co", Count: 1, Percentage: 33.3}},
		TopCountries: []shortener.TopItem{},
	}
	w := serve(t, f.server(), "GET", "/api/v1/analytics/abc/summary?days=2", "", bearer(adaToken)...)
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("status %d, Content-Type %q", w.Code, w.Header().Get("Content-Type"))
	}
	want := `{"short_code":"abc","period_days":2,"total_clicks":3,"unique_visitors":2,"bot_clicks":1,` +
		`"daily_stats":[{"date":"2026-11-06","clicks":0,"unique_visitors":0},{"date":"2026-11-07","clicks":3,"unique_visitors":2}],` +
		`"top_referrers":[{"label":"(direct)","count":2,"percentage":66.7},{"label":"t.co","count":1,"percentage":33.3}],` +
		`"top_countries":[],"top_browsers":[],"top_os":[],"top_devices":[],"top_targets":[]}` + "\n"
	if w.Body.String() != want {
		t.Errorf("body\n%s\nwant\n%s", w.Body, want)
	}
	if f.summaries.caller != ada || f.summaries.code != "abc" || f.summaries.days != 2 {
		t.Errorf("asked for %v %q %d, want ada, abc, 2", f.summaries.caller, f.summaries.code, f.summaries.days)
	}
}

func TestSummaryDefaultsAndErrors(t *testing.T) {
	f := newFakes()
	f.summaries.err = shortener.ErrLinkNotFound
	decodeProblem(t, serve(t, f.server(), "GET", "/api/v1/analytics/abc/summary", "", bearer(adaToken)...), http.StatusNotFound)
	if f.summaries.days != 30 {
		t.Errorf("days %d, want the default 30", f.summaries.days)
	}

	for _, days := range []string{"0", "366", "x", ""} {
		f := newFakes()
		decodeProblem(t, serve(t, f.server(), "GET", "/api/v1/analytics/abc/summary?days="+days, "", bearer(adaToken)...),
			http.StatusUnprocessableEntity)
		if f.summaries.caller != nil {
			t.Errorf("days=%s reached the service", days)
		}
	}
}
