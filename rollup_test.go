package shortener_test

import (
	"fmt"
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

// TestRollupRowsPerThousandClicks counts the rows the click writers send
// for 1,000 clicks in batches of 100 (ANALYTICS_BATCH_SIZE): the raw
// clicks, then per batch one daily row per (link, day), one dimension row
// per (link, day, dimension, value) and one click_count update per link
// (visitor rows, one per new visitor, come on top). A hot link's batch
// folds into a handful of rows; clicks spread over 100,000 links cannot.
// (The stores keep the bounded dimensions' values in the daily row
// instead of rows of their own, SplitDims: a spread click there is a daily
// row, a referrer row and an update.)
func TestRollupRowsPerThousandClicks(t *testing.T) {
	at := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	click := func(i int, link string) shortener.ClickEvent {
		return shortener.ClickEvent{ID: shortener.NewIDAt(at), LinkID: link, OccurredAt: at.Add(time.Duration(i) * time.Millisecond),
			Referrer: fmt.Sprintf("ref%d.example", i%5), Browser: []string{"Chrome", "Firefox", "Safari"}[i%3],
			OS: []string{"Windows", "macOS", "Linux", "Android"}[i%4], Device: []string{"desktop", "mobile"}[i%2],
			Country: []string{"DE", "US", "FR", "GB", "JP", "BR"}[i%6], VisitorHash: fmt.Sprintf("v%d", i)}
	}
	rows := func(linkOf func(int) string) (rollupRows int) {
		for b := 0; b < 10; b++ {
			batch := make([]shortener.ClickEvent, 100)
			for i := range batch {
				batch[i] = click(b*100+i, linkOf(b*100+i))
			}
			r := shortener.NewClickRollup(batch)
			rollupRows += len(r.Days) + len(r.Dims) + len(r.LinkClicks)
		}
		return rollupRows
	}
	hot := rows(func(int) string { return "hot" })
	spread := rows(func(i int) string { return fmt.Sprintf("link%06d", i*97%100000) })
	t.Logf("per 1,000 clicks: 1,000 raw rows plus rollup rows: hot link %d, spread over 100,000 links %d", hot, spread)
	// Hot: per batch 1 day row, 1 click_count update and at most
	// 5+3+4+2+6+1 dimension values (referrers, browsers, systems, devices,
	// countries, the one target).
	if hot > 10*(1+1+5+3+4+2+6+1) {
		t.Errorf("a hot link's 1,000 clicks make %d rollup rows; a batch is not folded", hot)
	}
	// Spread: every click its own link, so 1 day row, 1 update and 6
	// dimension rows each.
	if spread != 1000*(1+1+6) {
		t.Errorf("1,000 clicks on 1,000 links make %d rollup rows, want %d", spread, 1000*8)
	}
}

// TestSplitDims checks how the dimension counts reach the stores: the
// unbounded dimension's values as rows, the others as one object per link
// and day, and an empty object for a day of bots only.
func TestSplitDims(t *testing.T) {
	at := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	c := shortener.ClickEvent{LinkID: "l", OccurredAt: at, Referrer: "r.example", Country: "FR", Browser: "Firefox",
		OS: "Linux", Device: "desktop", Target: `https://t.example/"x"`}
	bot := shortener.ClickEvent{LinkID: "l", OccurredAt: at.Add(24 * time.Hour), IsBot: true}
	rows, objects := shortener.NewClickRollup([]shortener.ClickEvent{c, c, bot}).SplitDims()
	if want := "[{l 2026-12-01 referrer r.example}]"; fmt.Sprint(rows) != want {
		t.Errorf("rows = %v, want %s", rows, want)
	}
	want := map[shortener.DayKey]string{{Link: "l", Day: "2026-12-01"}: `{"browser:Firefox":2,"country:FR":2,"device:desktop":2,"os:Linux":2,"target:https://t.example/\"x\"":2}`,
		{Link: "l", Day: "2026-12-02"}: "{}"}
	if fmt.Sprint(objects) != fmt.Sprint(want) {
		t.Errorf("objects = %v, want %v", objects, want)
	}
}
