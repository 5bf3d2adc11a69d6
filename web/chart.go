package web

import (
	"html"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The daily clicks chart is inline SVG drawn here on the server: no chart
// library, no canvas, no script. Colours and font sizes come from classes
// in app.css, so the dark scheme needs nothing here.

// chartSize is one layout of the chart. A page carries two, narrow and
// wide, and the stylesheet shows the one that fits its container: SVG text
// scales with the viewBox, so no single drawing has readable axis labels
// both at 360 px and at 1150 px.
type chartSize struct {
	Name          string  // CSS class and id prefix: chart-narrow, chart-wide
	Width, Height float64 // the viewBox
	// Font is the largest label font size (user units) app.css gives this
	// chart; the margins are made for it. Keep the two in step.
	Font      float64
	MaxLabels int // x labels that fit side by side
}

var (
	narrowChart = chartSize{Name: "chart-narrow", Width: 400, Height: 260, Font: 13, MaxLabels: 4}
	wideChart   = chartSize{Name: "chart-wide", Width: 800, Height: 260, Font: 15, MaxLabels: 10}
)

// chartDay is one day of the chart.
type chartDay struct {
	Day      time.Time // UTC midnight
	Clicks   int64
	Visitors int64
}

// chartDays reads the summary's days, oldest first, with every day between
// the first and the last present: the summary promises one row per day,
// but a missing one must show as zero rather than close up the axis.
// Rows with a malformed date are dropped; repeated dates add up.
func chartDays(stats []DailyStat) []chartDay {
	byDay := make(map[time.Time]chartDay, len(stats))
	for _, s := range stats {
		day, err := time.ParseInLocation(time.DateOnly, s.Date, time.UTC)
		if err != nil {
			continue
		}
		d := byDay[day]
		d.Day, d.Clicks, d.Visitors = day, d.Clicks+s.Clicks, d.Visitors+s.UniqueVisitors
		byDay[day] = d
	}
	if len(byDay) == 0 {
		return nil
	}
	keys := make([]time.Time, 0, len(byDay))
	for k := range byDay {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b time.Time) int { return a.Compare(b) })
	var out []chartDay
	for day := keys[0]; !day.After(keys[len(keys)-1]); day = day.AddDate(0, 0, 1) {
		d, ok := byDay[day]
		if !ok {
			d = chartDay{Day: day}
		}
		out = append(out, d)
	}
	return out
}

// niceTicks returns the y gridline values for a largest value of max: 0
// and then 2 to 4 steps of 1, 2 or 5 × 10^n, the last at or above max, so
// that 3 to 5 gridlines with round labels frame the bars.
func niceTicks(max int64) []int64 {
	max = int64(math.Max(float64(max), 0))
	var step, n int64 = 1, 0
	for mag := int64(1); ; mag *= 10 {
		found := false
		for _, m := range []int64{1, 2, 5} {
			step = m * mag
			if n = ceilDiv(max, step); n <= 4 {
				found = true
				break
			}
		}
		if found {
			break
		}
	}
	n = int64(math.Max(float64(n), 2))
	ticks := make([]int64, n+1)
	for i := range ticks {
		ticks[i] = int64(i) * step
	}
	return ticks
}

func ceilDiv(a, b int64) int64 { return (a + b - 1) / b }

// xLabels picks the days that get a label under the bars: every k-th day
// counted back from the last (today is always labelled), plus the first of
// each month, which wins over a regular label too close to it. It returns
// the chosen indexes and whether each starts a month.
func xLabels(days []chartDay, size chartSize, step float64) map[int]bool {
	n := len(days)
	k := 1
	for _, c := range []int{1, 2, 5, 7, 14, 30, 60, 90} {
		k = c
		if (n+c-1)/c <= size.MaxLabels {
			break
		}
	}
	minGap := int(math.Ceil(labelWidth(size.Font) / step))
	labels := map[int]bool{}
	for i, d := range days {
		if d.Day.Day() == 1 {
			labels[i] = true
		}
	}
	for i := n - 1; i >= 0; i -= k {
		if !nearLabel(labels, i, minGap) {
			labels[i] = false
		}
	}
	return labels
}

// labelWidth is the width of a "30 Nov" label with some air around it.
func labelWidth(font float64) float64 { return 4 * font }

func nearLabel(labels map[int]bool, i, gap int) bool {
	for j := range labels {
		if j != i && abs(j-i) < gap {
			return true
		}
	}
	return false
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// num formats a coordinate: one decimal at most, no trailing ".0".
func num(v float64) string {
	return strings.TrimSuffix(strconv.FormatFloat(v, 'f', 1, 64), ".0")
}

// esc escapes text for SVG content or attributes; the chart's text is all
// made here, but escaping keeps that from mattering.
func esc(s string) string { return html.EscapeString(s) }

// dayTitle is a bar's tooltip: "3 Dec 2026: 41 clicks, 29 visitors".
func dayTitle(d chartDay) string {
	return formatDay(d.Day) + ": " + plural(d.Clicks, "click", "clicks") + ", " + plural(d.Visitors, "visitor", "visitors")
}

// chartSummary is the chart's text alternative (its <desc>).
func chartSummary(days []chartDay) string {
	if len(days) == 0 {
		return "No days to show."
	}
	var total int64
	best := days[0]
	for _, d := range days {
		total += d.Clicks
		if d.Clicks > best.Clicks {
			best = d
		}
	}
	s := "Clicks per day from " + formatDay(days[0].Day) + " to " + formatDay(days[len(days)-1].Day) +
		": " + plural(total, "click", "clicks") + " in total"
	if best.Clicks > 0 {
		s += "; the busiest day was " + formatDay(best.Day) + " with " + plural(best.Clicks, "click", "clicks")
	}
	return s + "."
}
