package analytics

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

func day(s string) time.Time {
	t, err := time.Parse(shortener.DayLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestPeriod(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	tests := []struct {
		name        string
		now         time.Time
		days        int
		first, last string
	}{
		{"one day", time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC), 1, "2026-11-01", "2026-11-01"},
		{"midnight is the new day", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), 1, "2026-11-01", "2026-11-01"},
		{"last nanosecond is the old day", time.Date(2026, 11, 1, 23, 59, 59, 999999999, time.UTC), 1, "2026-11-01", "2026-11-01"},
		{"local date ahead of UTC", time.Date(2026, 11, 2, 8, 0, 0, 0, tokyo), 1, "2026-11-01", "2026-11-01"},
		{"week across a month", time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC), 7, "2026-02-25", "2026-03-03"},
		{"thirty days", time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC), 30, "2026-11-01", "2026-11-30"},
		{"a year with Feb 29", time.Date(2028, 12, 30, 10, 0, 0, 0, time.UTC), 365, "2028-01-01", "2028-12-30"},
		{"a year across new year", time.Date(2027, 1, 5, 10, 0, 0, 0, time.UTC), 365, "2026-01-06", "2027-01-05"},
		{"zero days is one", time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC), 0, "2026-11-01", "2026-11-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first, last := Period(tt.now, tt.days)
			if !first.Equal(day(tt.first)) || !last.Equal(day(tt.last)) {
				t.Errorf("Period(%v, %d) = %v, %v; want %s, %s", tt.now, tt.days, first, last, tt.first, tt.last)
			}
			if first.Location() != time.UTC || last.Location() != time.UTC {
				t.Errorf("Period returned non-UTC times %v, %v", first, last)
			}
		})
	}
}

func TestBuildSummaryDays(t *testing.T) {
	now := time.Date(2026, 11, 7, 0, 10, 0, 0, time.UTC) // just after midnight
	stats := &shortener.ClickStats{Days: []shortener.DayStats{
		{Day: day("2026-10-31"), Clicks: 100, UniqueVisitors: 90, BotClicks: 50}, // before the period
		{Day: day("2026-11-01"), Clicks: 3, UniqueVisitors: 2, BotClicks: 1},
		{Day: day("2026-11-04"), Clicks: 5, UniqueVisitors: 5},
		// Same UTC day given in another zone: must land on 2026-11-06.
		{Day: time.Date(2026, 11, 6, 9, 0, 0, 0, time.FixedZone("JST", 9*3600)), Clicks: 4, UniqueVisitors: 1, BotClicks: 7},
		{Day: day("2026-11-07"), Clicks: 1, UniqueVisitors: 1},
		{Day: day("2026-11-08"), Clicks: 100, UniqueVisitors: 100}, // after: a skewed clock elsewhere
	}}
	s := BuildSummary("abc1234", 7, now, stats)

	want := []shortener.DailyStat{
		{Date: "2026-11-01", Clicks: 3, UniqueVisitors: 2},
		{Date: "2026-11-02", Clicks: 0, UniqueVisitors: 0},
		{Date: "2026-11-03", Clicks: 0, UniqueVisitors: 0},
		{Date: "2026-11-04", Clicks: 5, UniqueVisitors: 5},
		{Date: "2026-11-05", Clicks: 0, UniqueVisitors: 0},
		{Date: "2026-11-06", Clicks: 4, UniqueVisitors: 1},
		{Date: "2026-11-07", Clicks: 1, UniqueVisitors: 1},
	}
	if fmt.Sprint(s.DailyStats) != fmt.Sprint(want) {
		t.Errorf("DailyStats =\n%v\nwant\n%v", s.DailyStats, want)
	}
	if s.ShortCode != "abc1234" || s.PeriodDays != 7 {
		t.Errorf("ShortCode, PeriodDays = %q, %d", s.ShortCode, s.PeriodDays)
	}
	if s.TotalClicks != 13 || s.UniqueVisitors != 9 || s.BotClicks != 8 {
		t.Errorf("totals = %d clicks, %d visitors, %d bots; want 13, 9, 8", s.TotalClicks, s.UniqueVisitors, s.BotClicks)
	}
}

func TestBuildSummaryPeriodLengths(t *testing.T) {
	now := time.Date(2026, 11, 30, 23, 59, 59, 0, time.UTC)
	for _, days := range []int{1, 7, 30, 365} {
		t.Run(fmt.Sprint(days), func(t *testing.T) {
			stats := &shortener.ClickStats{Days: []shortener.DayStats{
				{Day: day("2026-11-30"), Clicks: 2, UniqueVisitors: 1},
				{Day: day("2026-11-24"), Clicks: 3, UniqueVisitors: 3}, // day 7 back
				{Day: day("2026-11-01"), Clicks: 5, UniqueVisitors: 4}, // day 30 back
				{Day: day("2025-12-01"), Clicks: 7, UniqueVisitors: 6}, // day 365 back
			}}
			s := BuildSummary("code", days, now, stats)
			if len(s.DailyStats) != days {
				t.Fatalf("%d daily rows, want %d", len(s.DailyStats), days)
			}
			first, _ := Period(now, days)
			for i, row := range s.DailyStats {
				if want := first.AddDate(0, 0, i).Format(shortener.DayLayout); row.Date != want {
					t.Fatalf("row %d date %s, want %s", i, row.Date, want)
				}
			}
			if last := s.DailyStats[days-1]; last.Date != "2026-11-30" || last.Clicks != 2 {
				t.Errorf("last row = %+v, want 2026-11-30 with 2 clicks", last)
			}
			wantTotal := map[int]int64{1: 2, 7: 5, 30: 10, 365: 17}[days]
			wantVisitors := map[int]int64{1: 1, 7: 4, 30: 8, 365: 14}[days]
			if s.TotalClicks != wantTotal || s.UniqueVisitors != wantVisitors {
				t.Errorf("totals = %d clicks, %d visitors; want %d, %d", s.TotalClicks, s.UniqueVisitors, wantTotal, wantVisitors)
			}
		})
	}
}

// item is a row of a top list.
func item(label string, count int64, percentage float64) shortener.TopItem {
	return shortener.TopItem{Label: label, Count: count, Percentage: percentage}
}

func TestBuildSummaryTopLists(t *testing.T) {
	now := time.Date(2026, 11, 7, 12, 0, 0, 0, time.UTC)
	var browsers []shortener.LabelCount
	for i := range 12 { // more than the limit, smallest first
		browsers = append(browsers, shortener.LabelCount{Label: fmt.Sprintf("b%02d", i), Count: int64(i)})
	}
	stats := &shortener.ClickStats{
		Days: []shortener.DayStats{{Day: day("2026-11-07"), Clicks: 12, UniqueVisitors: 10}},
		Top: map[string][]shortener.LabelCount{
			shortener.DimReferrer: {{Label: "news.ycombinator.com", Count: 5}, {Label: shortener.LabelDirect, Count: 4}, {Label: "t.co", Count: 3}},
			shortener.DimCountry:  {{Label: "GB", Count: 6}, {Label: "DE", Count: 6}},
			shortener.DimOS:       {{Label: "iOS", Count: 1}, {Label: "Android", Count: 2}},
			shortener.DimDevice:   {{Label: shortener.DeviceDesktop, Count: 12}},
			shortener.DimBrowser:  browsers,
		},
	}
	s := BuildSummary("code", 7, now, stats)

	tests := []struct {
		name string
		got  []shortener.TopItem
		want []shortener.TopItem
	}{
		{"referrers", s.TopReferrers, []shortener.TopItem{item("news.ycombinator.com", 5, 41.7), item("(direct)", 4, 33.3), item("t.co", 3, 25)}},
		{"countries tie by label", s.TopCountries, []shortener.TopItem{item("DE", 6, 50), item("GB", 6, 50)}},
		{"os sorted", s.TopOS, []shortener.TopItem{item("Android", 2, 16.7), item("iOS", 1, 8.3)}},
		{"devices", s.TopDevices, []shortener.TopItem{item("desktop", 12, 100)}},
		{"browsers cut at ten, zero dropped", s.TopBrowsers, []shortener.TopItem{
			item("b11", 11, 91.7), item("b10", 10, 83.3), item("b09", 9, 75), item("b08", 8, 66.7),
			item("b07", 7, 58.3), item("b06", 6, 50), item("b05", 5, 41.7), item("b04", 4, 33.3),
			item("b03", 3, 25), item("b02", 2, 16.7),
		}},
	}
	for _, tt := range tests {
		if fmt.Sprint(tt.got) != fmt.Sprint(tt.want) {
			t.Errorf("%s =\n%v\nwant\n%v", tt.name, tt.got, tt.want)
		}
	}
	// The caller's slices are not reordered.
	if stats.Top[shortener.DimOS][0].Label != "iOS" {
		t.Error("BuildSummary reordered the caller's stats")
	}
}

func TestPercentage(t *testing.T) {
	tests := []struct {
		count, total int64
		want         float64
	}{
		{5, 12, 41.7},
		{1, 3, 33.3},
		{2, 3, 66.7},
		{1, 16, 6.3}, // 6.25 rounds half away from zero
		{1, 8, 12.5},
		{1, 1000, 0.1},
		{1, 3000, 0},
		{7, 7, 100},
		{0, 7, 0},
		{3, 0, 0},
	}
	for _, tt := range tests {
		if got := percentage(tt.count, tt.total); got != tt.want {
			t.Errorf("percentage(%d, %d) = %v, want %v", tt.count, tt.total, got, tt.want)
		}
	}
}

func TestBuildSummaryEmpty(t *testing.T) {
	now := time.Date(2026, 11, 7, 12, 0, 0, 0, time.UTC)
	for _, stats := range []*shortener.ClickStats{nil, {}, {Top: map[string][]shortener.LabelCount{}}} {
		s := BuildSummary("empty", 3, now, stats)
		// DeepEqual tells nil from empty: every list must be non-nil.
		want := shortener.ClickSummary{ShortCode: "empty", PeriodDays: 3,
			DailyStats:   []shortener.DailyStat{{Date: "2026-11-05"}, {Date: "2026-11-06"}, {Date: "2026-11-07"}},
			TopReferrers: []shortener.TopItem{}, TopCountries: []shortener.TopItem{}, TopBrowsers: []shortener.TopItem{},
			TopOS: []shortener.TopItem{}, TopDevices: []shortener.TopItem{}, TopTargets: []shortener.TopItem{}}
		if !reflect.DeepEqual(s, want) {
			t.Errorf("summary =\n%#v\nwant\n%#v", s, want)
		}
	}
}

// Bot clicks alone leave total_clicks at 0, so percentages must not divide
// by it.
func TestBuildSummaryOnlyBots(t *testing.T) {
	now := time.Date(2026, 11, 7, 12, 0, 0, 0, time.UTC)
	stats := &shortener.ClickStats{
		Days: []shortener.DayStats{{Day: day("2026-11-07"), BotClicks: 4}},
		Top:  map[string][]shortener.LabelCount{shortener.DimReferrer: {{Label: "x.com", Count: 1}}},
	}
	s := BuildSummary("bots", 1, now, stats)
	if s.TotalClicks != 0 || s.BotClicks != 4 {
		t.Errorf("totals = %d clicks, %d bots; want 0, 4", s.TotalClicks, s.BotClicks)
	}
	if len(s.TopReferrers) != 1 || s.TopReferrers[0].Percentage != 0 {
		t.Errorf("top referrers %v, want x.com at 0 percent", s.TopReferrers)
	}
}
