package analytics

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/shortener-dev/shortener"
)

// TopLimit is how many values each top list of the summary shows.
const TopLimit = 10

// Period returns the first and last UTC day (midnight) of a period of days
// days ending with the UTC day of now, which is included. A days below 1 is
// taken as 1.
func Period(now time.Time, days int) (first, last time.Time) {
	days = max(days, 1)
	y, m, d := now.UTC().Date()
	last = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	first = last.AddDate(0, 0, -(days - 1))
	return first, last
}

// BuildSummary builds the summary of the link with short code code from its
// rollup over the period Period(now, days). stats may be nil (no clicks);
// days outside the period are ignored. Totals count human clicks only, bots
// have their own total, and every list is non-nil.
func BuildSummary(code string, days int, now time.Time, stats *shortener.ClickStats) shortener.ClickSummary {
	first, last := Period(now, days)
	return BuildRangeSummary(code, first, last, stats)
}

// BuildRangeSummary builds the summary of the link with short code code
// from its rollup over the UTC days from first to last (midnights, both
// included); PeriodDays is the number of days in the range.
func BuildRangeSummary(code string, first, last time.Time, stats *shortener.ClickStats) shortener.ClickSummary {
	days := int(dayNumber(last)-dayNumber(first)) + 1
	if stats == nil {
		stats = &shortener.ClickStats{}
	}

	s := shortener.ClickSummary{ShortCode: code, PeriodDays: days, DailyStats: make([]shortener.DailyStat, days)}
	// Keyed by day number rather than time.Time, whose == also compares
	// locations.
	byDay := make(map[int64]shortener.DayStats, len(stats.Days))
	for _, d := range stats.Days {
		day := dayNumber(d.Day)
		if day < dayNumber(first) || day > dayNumber(last) {
			continue
		}
		acc := byDay[day]
		acc.Clicks += d.Clicks
		acc.UniqueVisitors += d.UniqueVisitors
		acc.BotClicks += d.BotClicks
		byDay[day] = acc
	}
	for i := range days {
		day := first.AddDate(0, 0, i)
		d := byDay[dayNumber(day)]
		s.DailyStats[i] = shortener.DailyStat{Date: shortener.UTCDay(day), Clicks: d.Clicks, UniqueVisitors: d.UniqueVisitors}
		s.TotalClicks += d.Clicks
		// The visitor hash changes every UTC day, so a period's visitors
		// can only be the sum of its days' visitors.
		s.UniqueVisitors += d.UniqueVisitors
		s.BotClicks += d.BotClicks
	}

	s.TopReferrers = topItems(stats.Top[shortener.DimReferrer], s.TotalClicks)
	s.TopCountries = topItems(stats.Top[shortener.DimCountry], s.TotalClicks)
	s.TopBrowsers = topItems(stats.Top[shortener.DimBrowser], s.TotalClicks)
	s.TopOS = topItems(stats.Top[shortener.DimOS], s.TotalClicks)
	s.TopDevices = topItems(stats.Top[shortener.DimDevice], s.TotalClicks)
	s.TopTargets = topItems(stats.Top[shortener.DimTarget], s.TotalClicks)
	return s
}

// dayNumber is the number of the UTC day of t since the Unix epoch.
func dayNumber(t time.Time) int64 {
	secs := t.Unix()
	day := secs / 86400
	if secs%86400 < 0 {
		day-- // floor, not truncation, before 1970
	}
	return day
}

// topItems orders the counts largest first (ties by label, so the order is
// stable between calls), keeps TopLimit of them and adds percentages.
func topItems(counts []shortener.LabelCount, total int64) []shortener.TopItem {
	sorted := make([]shortener.LabelCount, 0, len(counts))
	for _, c := range counts {
		if c.Count > 0 {
			sorted = append(sorted, c)
		}
	}
	slices.SortFunc(sorted, func(a, b shortener.LabelCount) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Label, b.Label)
	})
	sorted = sorted[:min(len(sorted), TopLimit)]

	items := make([]shortener.TopItem, len(sorted))
	for i, c := range sorted {
		items[i] = shortener.TopItem{Label: c.Label, Count: c.Count, Percentage: percentage(c.Count, total)}
	}
	return items
}

// percentage is count as a percentage of total, rounded to one decimal
// (half away from zero), and 0 when total is 0.
func percentage(count, total int64) float64 {
	if total <= 0 {
		return 0
	}
	return math.Round(float64(count)*1000/float64(total)) / 10
}
