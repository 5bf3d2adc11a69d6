package shortener_test

import (
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

func TestCheckTimestamp(t *testing.T) {
	east := time.FixedZone("east", 3600)
	west := time.FixedZone("west", -5*3600)
	for _, tt := range []struct {
		name string
		t    time.Time
		ok   bool
	}{
		{"ordinary", time.Date(2026, 11, 7, 12, 0, 0, 0, time.UTC), true},
		{"first instant", time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{"last instant", time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), true},
		{"last instant east of UTC", time.Date(10000, 1, 1, 0, 59, 59, 0, east), true},
		{"year 10000 in UTC", time.Date(9999, 12, 31, 23, 59, 59, 0, west), false},
		{"year 0 in UTC", time.Date(1, 1, 1, 0, 30, 0, 0, east), false},
		{"year 10000", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{"negative year", time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC), false},
	} {
		err := shortener.CheckTimestamp("body.expires_at", "expires_at", tt.t)
		if (err == nil) != tt.ok {
			t.Errorf("%s: %v, want ok %v", tt.name, err, tt.ok)
		}
		if err != nil && shortener.ErrorCode(err) != shortener.EINVALID {
			t.Errorf("%s: code %s, want EINVALID", tt.name, shortener.ErrorCode(err))
		}
	}
}
