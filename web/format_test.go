package web

import (
	"math"
	"testing"
	"time"
)

func TestThousands(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {12345, "12,345"},
		{123456, "123,456"}, {1234567, "1,234,567"}, {-1234, "-1,234"}, {-999, "-999"},
		{math.MaxInt64, "9,223,372,036,854,775,807"},
	}
	for _, tt := range tests {
		if got := thousands(tt.in); got != tt.want {
			t.Errorf("thousands(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPercent(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0.0%"}, {41.66, "41.7%"}, {100, "100.0%"}, {33.333, "33.3%"}, {math.NaN(), "–"},
	}
	for _, tt := range tests {
		if got := percent(tt.in); got != tt.want {
			t.Errorf("percent(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDates(t *testing.T) {
	zone := time.FixedZone("CET", 3600)
	// 00:30 on 2 Dec in CET is still 1 Dec in UTC: the day shown is UTC's.
	at := time.Date(2026, 12, 2, 0, 30, 0, 0, zone)
	if got, want := formatDay(at), "1 Dec 2026"; got != want {
		t.Errorf("formatDay = %q, want %q", got, want)
	}
	if got, want := formatDateTime(at), "1 Dec 2026, 23:30 UTC"; got != want {
		t.Errorf("formatDateTime = %q, want %q", got, want)
	}
	if got, want := inputDateTime(&at), "2026-12-01T23:30"; got != want {
		t.Errorf("inputDateTime = %q, want %q", got, want)
	}
	if got := inputDateTime(nil); got != "" {
		t.Errorf("inputDateTime(nil) = %q, want empty", got)
	}
	for _, in := range []string{"2026-12-01T23:30", "2026-12-01T23:30:00"} {
		got, err := parseInputDateTime(in)
		if err != nil || !got.Equal(at) || got.Location() != time.UTC {
			t.Errorf("parseInputDateTime(%q) = %v, %v; want %v in UTC", in, got, err, at.UTC())
		}
	}
	if _, err := parseInputDateTime("tomorrow"); err == nil {
		t.Error("parseInputDateTime(tomorrow) succeeded")
	}
}

func TestMiddleEllipsis(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"https://example.com", 40, "https://example.com"},
		{"abcdefghij", 10, "abcdefghij"},
		{"abcdefghijk", 10, "abcde…hijk"},
		{"https://example.com/a/very/long/path/to/page.html", 20, "https://ex…page.html"},
		// Characters, not bytes: never half a rune.
		{"ééééééééééüüüüüüüüüü", 5, "éé…üü"},
	}
	for _, tt := range tests {
		got := middleEllipsis(tt.in, tt.max)
		if got != tt.want {
			t.Errorf("middleEllipsis(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
		if n := len([]rune(got)); n > tt.max {
			t.Errorf("middleEllipsis(%q, %d) has %d characters", tt.in, tt.max, n)
		}
	}
}

func TestPluralAndScheme(t *testing.T) {
	if got := plural(1, "click", "clicks"); got != "1 click" {
		t.Errorf("plural(1) = %q", got)
	}
	if got := plural(1234, "click", "clicks"); got != "1,234 clicks" {
		t.Errorf("plural(1234) = %q", got)
	}
	if got := withoutScheme("https://sho.rt/abc"); got != "sho.rt/abc" {
		t.Errorf("withoutScheme = %q", got)
	}
}
