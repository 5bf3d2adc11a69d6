package web

import (
	"encoding/xml"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// svgElem is one element of a drawn chart, as a test reads it.
type svgElem struct {
	Name  string
	Class string
	Attr  map[string]string
	Text  string // character data directly inside
}

// parseSVG reads every element of svg; it fails the test when the chart is
// not well-formed XML.
func parseSVG(t *testing.T, svg string) []svgElem {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	var out []svgElem
	var stack []int
	for {
		tok, err := dec.Token()
		if err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("chart is not well-formed: %v\n%s", err, svg)
			}
			return out
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := svgElem{Name: tok.Name.Local, Attr: map[string]string{}}
			for _, a := range tok.Attr {
				e.Attr[a.Name.Local] = a.Value
			}
			e.Class = e.Attr["class"]
			out = append(out, e)
			stack = append(stack, len(out)-1)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				out[stack[len(stack)-1]].Text += string(tok)
			}
		}
	}
}

func elems(all []svgElem, name, class string) []svgElem {
	var out []svgElem
	for _, e := range all {
		if e.Name == name && (class == "" || e.Class == class) {
			out = append(out, e)
		}
	}
	return out
}

// period returns n days of stats ending on last, clicks from fn.
func period(last string, n int, fn func(day time.Time) (clicks, visitors int64)) []DailyStat {
	end, _ := time.Parse(time.DateOnly, last)
	out := make([]DailyStat, n)
	for i := range out {
		day := end.AddDate(0, 0, i-n+1)
		c, v := fn(day)
		out[i] = DailyStat{Date: day.Format(time.DateOnly), Clicks: c, UniqueVisitors: v}
	}
	return out
}

func TestDailyChartAcrossMonths(t *testing.T) {
	// 30 days from 15 Nov to 14 Dec 2026; 20 Nov has no clicks.
	stats := period("2026-12-14", 30, func(day time.Time) (int64, int64) {
		switch day.Format(time.DateOnly) {
		case "2026-12-03":
			return 41, 29
		case "2026-11-20":
			return 0, 0
		}
		return 5, 3
	})
	for _, size := range []chartSize{narrowChart, wideChart} {
		t.Run(size.Name, func(t *testing.T) {
			all := parseSVG(t, string(dailyChart(chartDays(stats), size)))
			if got := len(elems(all, "g", "day")); got != 30 {
				t.Errorf("%d day groups, want 30", got)
			}
			bars := append(elems(all, "rect", "bar"), elems(all, "rect", "bar zero")...)
			if len(bars) != 30 {
				t.Fatalf("%d bars, want one per day (30)", len(bars))
			}
			zero := elems(all, "rect", "bar zero")
			if len(zero) != 1 || zero[0].Attr["height"] != num(zeroTick) {
				t.Errorf("zero days drawn as %+v, want one tick of height %v", zero, zeroTick)
			}
			var titles []string
			for _, e := range elems(all, "title", "") {
				titles = append(titles, e.Text)
			}
			if !slices.Contains(titles, "3 Dec 2026: 41 clicks, 29 visitors") {
				t.Errorf("no tooltip for 3 Dec among %q", titles)
			}
			if !slices.Contains(titles, "20 Nov 2026: 0 clicks, 0 visitors") {
				t.Errorf("no tooltip for the zero day among %q", titles)
			}
			months := elems(all, "text", "xlabel month")
			if len(months) != 1 || months[0].Text != "1 Dec" {
				t.Errorf("month labels %+v, want one \"1 Dec\"", months)
			}
			var ylabels []string
			for _, e := range elems(all, "text", "ylabel") {
				ylabels = append(ylabels, e.Text)
			}
			if want := []string{"0", "20", "40", "60"}; !slices.Equal(ylabels, want) {
				t.Errorf("y labels %q, want %q", ylabels, want)
			}
			checkLabelsApart(t, all, size)
		})
	}
}

// checkLabelsApart fails when two x labels would overlap.
func checkLabelsApart(t *testing.T, all []svgElem, size chartSize) {
	t.Helper()
	var xs []float64
	for _, e := range elems(all, "text", "") {
		if strings.HasPrefix(e.Class, "xlabel") {
			x, _ := strconv.ParseFloat(e.Attr["x"], 64)
			xs = append(xs, x)
		}
	}
	sort.Float64s(xs)
	if len(xs) < 2 {
		t.Errorf("only %d x labels", len(xs))
	}
	for i := 1; i < len(xs); i++ {
		if xs[i]-xs[i-1] < 3.6*size.Font {
			t.Errorf("x labels at %v and %v overlap", xs[i-1], xs[i])
		}
	}
}

func TestDailyChartLabelsFit(t *testing.T) {
	for _, n := range []int{7, 30, 90} {
		for _, size := range []chartSize{narrowChart, wideChart} {
			t.Run(fmt.Sprintf("%s/%d", size.Name, n), func(t *testing.T) {
				stats := period("2027-01-10", n, func(time.Time) (int64, int64) { return 1, 1 })
				all := parseSVG(t, string(dailyChart(chartDays(stats), size)))
				if got := len(elems(all, "g", "day")); got != n {
					t.Errorf("%d bars, want %d", got, n)
				}
				checkLabelsApart(t, all, size)
				// Today is labelled, unless the first of a month is too
				// close and took its place.
				texts := elems(all, "text", "")
				if last := texts[len(texts)-1]; last.Text != "10 Jan" && last.Class != "xlabel month" {
					t.Errorf("last label %q, want today (10 Jan) or a month start", last.Text)
				}
			})
		}
	}
}

func TestBarHeights(t *testing.T) {
	stats := period("2026-12-03", 3, func(day time.Time) (int64, int64) {
		return map[int]int64{1: 1, 2: 1234, 3: 600}[day.Day()], 1
	})
	all := parseSVG(t, string(dailyChart(chartDays(stats), wideChart)))
	bars := elems(all, "rect", "bar")
	h := func(i int) float64 { v, _ := strconv.ParseFloat(bars[i].Attr["height"], 64); return v }
	// Top gridline 1,500: 1,234 fills 82% of the plot, 600 40%, and one
	// click gets the minimum height rather than a sliver.
	if r := h(2) / h(1); math.Abs(r-600.0/1234) > 0.01 {
		t.Errorf("bar ratio %v, want %v", r, 600.0/1234)
	}
	if h(0) != minBar {
		t.Errorf("one click drawn %v tall, want %v", h(0), minBar)
	}
}

func TestNiceTicks(t *testing.T) {
	tests := []struct {
		max  int64
		want []int64
	}{
		{0, []int64{0, 1, 2}},
		{1, []int64{0, 1, 2}},
		{4, []int64{0, 1, 2, 3, 4}},
		{7, []int64{0, 2, 4, 6, 8}},
		{10, []int64{0, 5, 10}},
		{41, []int64{0, 20, 40, 60}},
		{1234, []int64{0, 500, 1000, 1500}},
		{99999, []int64{0, 50000, 100000}},
	}
	for _, tt := range tests {
		got := niceTicks(tt.max)
		if !slices.Equal(got, tt.want) {
			t.Errorf("niceTicks(%d) = %v, want %v", tt.max, got, tt.want)
		}
		if n := len(got); n < 3 || n > 5 {
			t.Errorf("niceTicks(%d) has %d gridlines, want 3-5", tt.max, n)
		}
	}
}

func TestChartDaysFillsGaps(t *testing.T) {
	days := chartDays([]DailyStat{
		{Date: "2026-11-29", Clicks: 2},
		{Date: "2026-12-02", Clicks: 5},
		{Date: "garbage", Clicks: 100},
	})
	var got []string
	for _, d := range days {
		got = append(got, fmt.Sprintf("%s=%d", d.Day.Format("2 Jan"), d.Clicks))
	}
	want := []string{"29 Nov=2", "30 Nov=0", "1 Dec=0", "2 Dec=5"}
	if !slices.Equal(got, want) {
		t.Errorf("chartDays = %v, want %v", got, want)
	}
	if chartDays(nil) != nil {
		t.Error("chartDays(nil) is not empty")
	}
}
