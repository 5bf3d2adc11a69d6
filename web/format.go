package web

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// How numbers, dates and long text read on every page (UI.md: numbers are
// the content). All dates are UTC and say so where a time of day shows.

// thousands formats n with comma thousands separators: 12345 → "12,345".
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	if len(s) <= 3 {
		return sign + s
	}
	var b strings.Builder
	b.Grow(len(sign) + len(s) + len(s)/3)
	b.WriteString(sign)
	head := len(s) % 3
	if head > 0 {
		b.WriteString(s[:head])
	}
	for i := head; i < len(s); i += 3 {
		if b.Len() > len(sign) {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// percent formats a percentage with one decimal: 41.66 → "41.7%".
func percent(p float64) string {
	if math.IsNaN(p) || math.IsInf(p, 0) {
		return "–"
	}
	return strconv.FormatFloat(p, 'f', 1, 64) + "%"
}

// formatDay formats the UTC day of t as "1 Dec 2026".
func formatDay(t time.Time) string { return t.UTC().Format("2 Jan 2006") }

// formatDateTime formats t as "1 Dec 2026, 14:05 UTC": the app has no
// idea of the reader's zone, so it says which one it uses.
func formatDateTime(t time.Time) string { return t.UTC().Format("2 Jan 2006, 15:04") + " UTC" }

// plural returns "1 click" or "41 clicks", with the count formatted.
func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}

// middleEllipsis shortens s to at most max characters by cutting out its
// middle: the start of a URL says where it goes and the end which page,
// so both are kept. Counts characters, never cuts one in two.
func middleEllipsis(s string, max int) string {
	n := utf8.RuneCountInString(s)
	if n <= max || max < 3 {
		return s
	}
	r := []rune(s)
	keep := max - 1 // room for the ellipsis
	head := (keep + 1) / 2
	tail := keep - head
	return string(r[:head]) + "…" + string(r[n-tail:])
}

// withoutScheme drops "https://" or "http://" from a short URL for display
// (the copy button and the link keep the full URL).
func withoutScheme(u string) string {
	if rest, ok := strings.CutPrefix(u, "https://"); ok {
		return rest
	}
	if rest, ok := strings.CutPrefix(u, "http://"); ok {
		return rest
	}
	return u
}

// datetime-local inputs send minutes, or seconds when the browser adds
// them; both are read as UTC, as the labels say.
const (
	inputMinutes = "2006-01-02T15:04"
	inputSeconds = "2006-01-02T15:04:05"
)

// inputDateTime formats t for a datetime-local input's value, in UTC; ""
// for nil.
func inputDateTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(inputMinutes)
}

// parseInputDateTime reads a datetime-local value as UTC.
func parseInputDateTime(s string) (time.Time, error) {
	t, err := time.ParseInLocation(inputMinutes, s, time.UTC)
	if err != nil {
		t, err = time.ParseInLocation(inputSeconds, s, time.UTC)
	}
	return t, err
}
