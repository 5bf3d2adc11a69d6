package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

// click returns a human click on link at the given time by visitor.
func click(linkID string, at time.Time, visitor string) shortener.ClickEvent {
	return shortener.ClickEvent{
		ID:          shortener.NewIDAt(at),
		LinkID:      linkID,
		OccurredAt:  at,
		Referrer:    "news.example.com",
		Browser:     "Chrome",
		OS:          "Windows",
		Device:      shortener.DeviceDesktop,
		Country:     "DE",
		VisitorHash: visitor,
	}
}

func bot(linkID string, at time.Time) shortener.ClickEvent {
	c := click(linkID, at, "bot-visitor")
	c.IsBot, c.Device, c.Browser = true, shortener.DeviceBot, "Googlebot"
	return c
}

func stats(t *testing.T, s Stores, linkID string, first, last time.Time, top int) *shortener.ClickStats {
	t.Helper()
	st, err := s.Clicks.ClickStats(context.Background(), linkID, first, last, top)
	noErr(t, err)
	return st
}

func clickCount(t *testing.T, s Stores, linkID string) int64 {
	t.Helper()
	l, err := s.Links.LinkByID(context.Background(), linkID)
	noErr(t, err)
	return l.ClickCount
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// wantDays compares days to want, given as "date clicks unique bots".
func wantDays(t *testing.T, got []shortener.DayStats, want ...string) {
	t.Helper()
	var gotS []string
	for _, d := range got {
		if d.Day.Location() != time.UTC || !d.Day.Equal(d.Day.Truncate(24*time.Hour)) {
			t.Errorf("day %v is not midnight UTC", d.Day)
		}
		gotS = append(gotS, fmt.Sprintf("%s %d %d %d", d.Day.Format("2006-01-02"), d.Clicks, d.UniqueVisitors, d.BotClicks))
	}
	if fmt.Sprint(gotS) != fmt.Sprint(want) {
		t.Errorf("days = %q, want %q", gotS, want)
	}
}

func testClicks(t *testing.T, open func(t *testing.T) Stores) {
	ctx := context.Background()
	d1 := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)

	t.Run("CountsAndRollups", func(t *testing.T) {
		s := open(t)
		a, b := mustLink(t, s, "a"), mustLink(t, s, "b")
		batch := []shortener.ClickEvent{
			click(a.ID, d1, "v1"), click(a.ID, d1.Add(time.Hour), "v2"), click(a.ID, d1, "v1"),
			click(a.ID, d1.Add(24*time.Hour), "v1"), click(b.ID, d1, "v9"),
		}
		noErr(t, s.Clicks.WriteClicks(ctx, batch))
		if got := clickCount(t, s, a.ID); got != 4 {
			t.Errorf("click_count of a = %d, want 4", got)
		}
		if got := clickCount(t, s, b.ID); got != 1 {
			t.Errorf("click_count of b = %d, want 1", got)
		}
		st := stats(t, s, a.ID, d1, d1.Add(24*time.Hour), 10)
		wantDays(t, st.Days, "2026-03-14 3 2 0", "2026-03-15 1 1 0")
		for _, dim := range shortener.Dimensions {
			if len(st.Top[dim]) != 1 || st.Top[dim][0].Count != 4 {
				t.Errorf("top %s = %+v, want one value with 4 clicks", dim, st.Top[dim])
			}
		}
	})

	t.Run("Idempotent", func(t *testing.T) {
		s := open(t)
		l := mustLink(t, s, "idem")
		batch := []shortener.ClickEvent{click(l.ID, d1, "v1"), click(l.ID, d1, "v2"), bot(l.ID, d1)}
		noErr(t, s.Clicks.WriteClicks(ctx, batch))
		noErr(t, s.Clicks.WriteClicks(ctx, batch))
		// A redelivery overlapping the first batch counts only the new click,
		// and a click repeated within one batch counts once.
		extra := click(l.ID, d1, "v3")
		noErr(t, s.Clicks.WriteClicks(ctx, append([]shortener.ClickEvent{extra, extra}, batch...)))
		if got := clickCount(t, s, l.ID); got != 3 {
			t.Errorf("click_count = %d, want 3", got)
		}
		st := stats(t, s, l.ID, d1, d1, 10)
		wantDays(t, st.Days, "2026-03-14 3 3 1")
		if got := st.Top[shortener.DimBrowser]; len(got) != 1 || got[0].Count != 3 {
			t.Errorf("top browsers = %+v, want Chrome 3", got)
		}
	})

	t.Run("BotsApart", func(t *testing.T) {
		s := open(t)
		l := mustLink(t, s, "bots")
		noErr(t, s.Clicks.WriteClicks(ctx, []shortener.ClickEvent{bot(l.ID, d1), bot(l.ID, d1), click(l.ID, d1, "v1")}))
		if got := clickCount(t, s, l.ID); got != 1 {
			t.Errorf("click_count = %d, want 1 (bots not counted)", got)
		}
		st := stats(t, s, l.ID, d1, d1, 10)
		wantDays(t, st.Days, "2026-03-14 1 1 2")
		want := []shortener.LabelCount{{Label: shortener.DeviceDesktop, Count: 1}}
		if got := st.Top[shortener.DimDevice]; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("top devices = %+v, want %+v (bots left out)", got, want)
		}
		// A day with bots only still has a row.
		noErr(t, s.Clicks.WriteClicks(ctx, []shortener.ClickEvent{bot(l.ID, d1.Add(24*time.Hour))}))
		wantDays(t, stats(t, s, l.ID, d1, d1.Add(24*time.Hour), 10).Days,
			"2026-03-14 1 1 2", "2026-03-15 0 0 1")
	})

	t.Run("UniqueVisitorsPerDay", func(t *testing.T) {
		s := open(t)
		l, other := mustLink(t, s, "uniq"), mustLink(t, s, "other")
		noErr(t, s.Clicks.WriteClicks(ctx, []shortener.ClickEvent{
			click(l.ID, d1, "v1"), click(l.ID, d1, "v1"), click(l.ID, d1, "v2"),
			click(other.ID, d1, "v1"),
		}))
		// Later batches: v1 again the same day is no new visitor; v1 the
		// next day is; the other link's visitors are its own.
		noErr(t, s.Clicks.WriteClicks(ctx, []shortener.ClickEvent{
			click(l.ID, d1.Add(time.Hour), "v1"), click(l.ID, d1.Add(24*time.Hour), "v1"),
		}))
		wantDays(t, stats(t, s, l.ID, d1, d1.Add(24*time.Hour), 10).Days,
			"2026-03-14 4 2 0", "2026-03-15 1 1 0")
		wantDays(t, stats(t, s, other.ID, d1, d1, 10).Days, "2026-03-14 1 1 0")

		// A click without a visitor hash is a click, not a visitor.
		noErr(t, s.Clicks.WriteClicks(ctx, []shortener.ClickEvent{click(other.ID, d1, "")}))
		wantDays(t, stats(t, s, other.ID, d1, d1, 10).Days, "2026-03-14 2 1 0")
	})

	t.Run("DeletedLinkSkipped", func(t *testing.T) {
		s := open(t)
		live, dead := mustLink(t, s, "live"), mustLink(t, s, "dead")
		noErr(t, s.Links.DeleteLink(ctx, dead.ID))
		noErr(t, s.Clicks.WriteClicks(ctx, []shortener.ClickEvent{
			click(dead.ID, d1, "v1"), click(live.ID, d1, "v1"), click(shortener.NewID(), d1, "v2"),
		}))
		if got := clickCount(t, s, live.ID); got != 1 {
			t.Errorf("click_count = %d, want 1", got)
		}
		if got := stats(t, s, dead.ID, d1, d1, 10); len(got.Days) != 0 {
			t.Errorf("deleted link has rollups %+v", got.Days)
		}
		// A batch of only dead links is fine too.
		noErr(t, s.Clicks.WriteClicks(ctx, []shortener.ClickEvent{click(dead.ID, d1, "v1")}))
		noErr(t, s.Clicks.WriteClicks(ctx, nil))
	})

	t.Run("DayBoundaries", func(t *testing.T) {
		s := open(t)
		l := mustLink(t, s, "days")
		plus5 := time.FixedZone("UTC+5", 5*3600)
		noErr(t, s.Clicks.WriteClicks(ctx, []shortener.ClickEvent{
			click(l.ID, time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC), "a"),
			click(l.ID, time.Date(2026, 3, 14, 23, 59, 59, 999999000, time.UTC), "b"),
			click(l.ID, time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC), "c"),
			// 02:00 at UTC+5 is 21:00 UTC the day before.
			click(l.ID, time.Date(2026, 3, 16, 2, 0, 0, 0, plus5), "d"),
			click(l.ID, time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC), "e"),
			click(l.ID, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), "f"),
		}))
		wantDays(t, stats(t, s, l.ID, day(2026, 1, 1), day(2027, 12, 31), 10).Days,
			"2026-03-14 2 2 0", "2026-03-15 2 2 0", "2026-12-31 1 1 0", "2027-01-01 1 1 0")
	})

	t.Run("LargeBatch", func(t *testing.T) {
		s := open(t)
		links := []*shortener.Link{mustLink(t, s, "l0"), mustLink(t, s, "l1"), mustLink(t, s, "l2")}
		var batch []shortener.ClickEvent
		countries := []string{"DE", "FR", "US", "JP"}
		for i := range 2500 {
			c := click(links[i%3].ID, d1.Add(time.Duration(i)*time.Minute), fmt.Sprintf("v%d", i%50))
			c.Country = countries[i%4]
			if i%10 == 0 {
				c = bot(links[i%3].ID, c.OccurredAt)
			}
			batch = append(batch, c)
		}
		noErr(t, s.Clicks.WriteClicks(ctx, batch))
		noErr(t, s.Clicks.WriteClicks(ctx, batch[:1000]))
		var total, bots int64
		for _, l := range links {
			total += clickCount(t, s, l.ID)
			for _, d := range stats(t, s, l.ID, d1, d1.Add(3*24*time.Hour), 10).Days {
				bots += d.BotClicks
			}
		}
		if total != 2250 || bots != 250 {
			t.Errorf("human %d, bots %d; want 2250 and 250", total, bots)
		}
	})
}
