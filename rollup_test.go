package shortener_test

import (
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

func TestUTCDay(t *testing.T) {
	tests := []struct {
		name string
		at   time.Time
		want string
	}{
		{"utc", time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC), "2026-11-28"},
		{"ahead of utc, still the day before", time.Date(2026, 11, 2, 0, 30, 0, 0, time.FixedZone("CET", 3600)), "2026-11-01"},
		{"behind utc, already the next day", time.Date(2026, 12, 31, 23, 0, 0, 0, time.FixedZone("EST", -5*3600)), "2027-01-01"},
		{"last nanosecond of a day", time.Date(2026, 2, 28, 23, 59, 59, 999999999, time.UTC), "2026-02-28"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := shortener.UTCDay(tt.at); got != tt.want {
				t.Errorf("UTCDay(%v) = %q, want %q", tt.at, got, tt.want)
			}
			if got := string(shortener.AppendUTCDay([]byte("day "), tt.at)); got != "day "+tt.want {
				t.Errorf("AppendUTCDay(%v) = %q, want %q", tt.at, got, "day "+tt.want)
			}
		})
	}
}
