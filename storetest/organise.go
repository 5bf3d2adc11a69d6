package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

// testOrganise checks the organising calls of the link store: bulk
// inserts with their events, filters, the export's iteration and tag
// counts.
func testOrganise(t *testing.T, open func(t *testing.T) Stores) {
	ctx := context.Background()

	t.Run("CreateLinks", func(t *testing.T) {
		s := open(t)
		u := mustUser(t, s, "bulk@example.com")
		w := mustWebhook(t, s, u.ID, shortener.EventLinkCreated)
		mustLink(t, s, "taken")
		a, b, c := newLink("bulk-a", &u.ID, t0), newLink("taken", &u.ID, t0), newLink("bulk-a", &u.ID, t0)
		d := newLink("bulk-d", &u.ID, t0)
		d.Tags = []string{"x", "y"}
		got, err := s.Links.CreateLinks(ctx, []*shortener.Link{a, b, c, d})
		noErr(t, err)
		if !slices.Equal(got, []bool{true, false, false, true}) {
			t.Fatalf("inserted %v, want [true false false true] (a code taken before or earlier in the call)", got)
		}
		back, err := s.Links.LinkByCode(ctx, shortener.DefaultDomainID, "bulk-d")
		noErr(t, err)
		if back.ID != d.ID || !slices.Equal(back.Tags, []string{"x", "y"}) {
			t.Errorf("bulk-d read back %+v", back)
		}
		var events []string
		for _, dl := range claimAll(t, s, far()) {
			if dl.WebhookID == w.ID && dl.Event == shortener.EventLinkCreated {
				l, err := shortener.DecodeLinkSnapshot(dl.Data)
				noErr(t, err)
				events = append(events, l.ID)
			}
		}
		slices.Sort(events)
		want := []string{a.ID, d.ID}
		slices.Sort(want)
		if !slices.Equal(events, want) {
			t.Errorf("link.created events for %v, want exactly the inserted %v", events, want)
		}
		wantCode(t, s.Links.CreateLink(ctx, newLink("bulk-a", nil, t0)), shortener.ECONFLICT)
	})

	t.Run("FiltersAndTags", func(t *testing.T) {
		s := open(t)
		u, v := mustUser(t, s, "tags@example.com"), mustUser(t, s, "other@example.com")
		mk := func(code string, owner *shortener.User, at time.Time, title string, tags ...string) *shortener.Link {
			l := newLink(code, &owner.ID, at)
			l.Tags = tags
			if title != "" {
				l.Title = &title
			}
			noErr(t, s.Links.CreateLink(ctx, l))
			return l
		}
		mk("f1", u, t0, "Zebra 100%", "a", "b")
		mk("f2", u, t0.Add(time.Minute), "alpha", "b")
		mk("f3", u, t0.Add(2*time.Minute), "")
		mk("f4", v, t0, "zebra", "a")
		// An empty title is no title: one tie with f3's null.
		f5, empty := newLink("f5", &u.ID, t0.Add(3*time.Minute)), ""
		f5.Title = &empty
		noErr(t, s.Links.CreateLink(ctx, f5))
		q := func(mod func(*shortener.LinkQuery)) []string {
			lq := shortener.LinkQuery{OwnerID: u.ID, Limit: 10, Now: t0}
			mod(&lq)
			page, err := s.Links.ListLinks(ctx, lq)
			noErr(t, err)
			var all []string
			noErr(t, s.Links.EachLink(ctx, lq, func(l *shortener.Link) error { all = append(all, l.ShortCode); return nil }))
			if got := codesOf(page.Links); !slices.Equal(got, all) || page.Total != len(all) {
				t.Errorf("ListLinks %v (total %d), EachLink %v: want the same", got, page.Total, all)
			}
			return all
		}
		for _, tt := range []struct {
			name string
			mod  func(*shortener.LinkQuery)
			want []string
		}{
			{"newest first", func(*shortener.LinkQuery) {}, []string{"f5", "f3", "f2", "f1"}},
			{"search any case", func(q *shortener.LinkQuery) { q.Search = "ZEB" }, []string{"f1"}},
			{"search percent literal", func(q *shortener.LinkQuery) { q.Search = "0%" }, []string{"f1"}},
			{"search code", func(q *shortener.LinkQuery) { q.Search = "f2" }, []string{"f2"}},
			{"one tag", func(q *shortener.LinkQuery) { q.Tags = []string{"b"} }, []string{"f2", "f1"}},
			{"all tags", func(q *shortener.LinkQuery) { q.Tags = []string{"a", "b"} }, []string{"f1"}},
			{"title sort", func(q *shortener.LinkQuery) { q.Sort = shortener.SortTitle }, []string{"f2", "f1", "f5", "f3"}},
			{"title sort desc", func(q *shortener.LinkQuery) { q.Sort = shortener.SortTitleDesc }, []string{"f1", "f2", "f5", "f3"}},
			{"oldest", func(q *shortener.LinkQuery) { q.Sort = shortener.SortOldest }, []string{"f1", "f2", "f3", "f5"}},
			{"all owners", func(q *shortener.LinkQuery) { q.AllOwners, q.Search = true, "zebra" }, []string{"f4", "f1"}}, // same created_at: the later ID first
		} {
			if got := q(tt.mod); !slices.Equal(got, tt.want) {
				t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
			}
		}
		tc, err := s.Links.TagCounts(ctx, u.ID)
		noErr(t, err)
		if !slices.Equal(tc, []shortener.TagCount{{Tag: "a", Links: 1}, {Tag: "b", Links: 2}}) {
			t.Errorf("tag counts %v", tc)
		}
		tags := []string{"c"}
		l, err := s.Links.UpdateLink(ctx, s.link(t, "f1").ID, shortener.LinkUpdate{Tags: &tags}, t0)
		noErr(t, err)
		if !slices.Equal(l.Tags, tags) {
			t.Errorf("tags after update %v, want [c]", l.Tags)
		}
	})

	// Titles compare case-insensitively beyond ASCII on both engines: "Éb"
	// after "éa", as "Eb" after "ea"; a search finds either spelling.
	t.Run("UnicodeTitleSort", func(t *testing.T) {
		s := open(t)
		u := mustUser(t, s, "unicode@example.com")
		for i, title := range []string{"Éb", "éa", "Öz", "ob"} {
			l := newLink(fmt.Sprintf("u%d", i), &u.ID, t0.Add(time.Duration(i)*time.Minute))
			l.Title = &title
			noErr(t, s.Links.CreateLink(ctx, l))
		}
		page, err := s.Links.ListLinks(ctx, shortener.LinkQuery{OwnerID: u.ID, Limit: 10, Now: t0, Sort: shortener.SortTitle})
		noErr(t, err)
		if got, want := codesOf(page.Links), []string{"u3", "u1", "u0", "u2"}; !slices.Equal(got, want) {
			t.Errorf("sorted by title: %v, want %v (ob, éa, Éb, Öz)", got, want)
		}
		// A search shorter than a trigram folds them too (SQLite's LIKE
		// folds ASCII only).
		for q, want := range map[string][]string{"é": {"u0", "u1"}, "ÉB": {"u0"}, "ö": {"u2"}, "Z": {"u2"}} {
			page, err := s.Links.ListLinks(ctx, shortener.LinkQuery{OwnerID: u.ID, Limit: 10, Now: t0, Search: q, Sort: shortener.SortOldest})
			noErr(t, err)
			if got := codesOf(page.Links); !slices.Equal(got, want) {
				t.Errorf("search %q: %v, want %v", q, got, want)
			}
		}
	})

	t.Run("ClickExportAndPrune", func(t *testing.T) {
		s := open(t)
		l := mustLink(t, s, "pruned")
		now := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
		// Prepare the months from March as if the service ran then.
		_, err := s.Clicks.PruneClicks(ctx, day(2026, 3, 1), time.Time{})
		noErr(t, err)
		var batch []shortener.ClickEvent
		for _, at := range []time.Time{day(2026, 3, 10), day(2026, 4, 20), day(2026, 5, 2), day(2026, 6, 1), now.Add(-4 * time.Hour)} {
			batch = append(batch, click(l.ID, at.Add(3*time.Hour), at.String()))
		}
		noErr(t, s.Clicks.WriteClicks(ctx, batch))
		times := func(from, to time.Time) []time.Time {
			var out []time.Time
			noErr(t, s.Clicks.EachClick(ctx, l.ID, from, to, func(c shortener.ClickEvent) error {
				if c.VisitorHash != "" {
					t.Errorf("an exported click carries its visitor hash")
				}
				out = append(out, c.OccurredAt)
				return nil
			}))
			return out
		}
		if got := times(day(2026, 1, 1), now); len(got) != 5 || !slices.IsSortedFunc(got, time.Time.Compare) {
			t.Fatalf("clicks before pruning %v, want 5 in time order", got)
		}
		if got := times(day(2026, 4, 20).Add(3*time.Hour), day(2026, 6, 1).Add(3*time.Hour)); len(got) != 2 {
			t.Errorf("[from, to) gave %v, want the clicks of 20 April and 2 May", got)
		}
		before := stats(t, s, l.ID, day(2026, 1, 1), day(2026, 12, 31), 5)
		n, err := s.Clicks.PruneClicks(ctx, now, day(2026, 5, 1))
		noErr(t, err)
		if got := times(day(2026, 1, 1), now); len(got) != 3 || got[0].Before(day(2026, 5, 1)) {
			t.Errorf("clicks after pruning before 1 May: %v (%d deleted), want the 3 since", got, n)
		}
		after := stats(t, s, l.ID, day(2026, 1, 1), day(2026, 12, 31), 5)
		if len(after.Days) != len(before.Days) || after.Days[0] != before.Days[0] || clickCount(t, s, l.ID) != 5 {
			t.Errorf("rollups changed by pruning: %v, was %v", after.Days, before.Days)
		}
		n, err = s.Clicks.PruneClicks(ctx, now, time.Time{})
		noErr(t, err)
		if n != 0 || len(times(day(2026, 1, 1), now)) != 3 {
			t.Errorf("a zero cutoff deleted %d", n)
		}
	})
}

// link returns the link of code.
func (s Stores) link(t *testing.T, code string) *shortener.Link {
	t.Helper()
	l, err := s.Links.LinkByCode(context.Background(), shortener.DefaultDomainID, code)
	noErr(t, err)
	return l
}
