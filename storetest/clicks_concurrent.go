package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/shortener-dev/shortener"
)

// testConcurrentClicks runs WriteClicks from several goroutines at once, as
// several instances consuming the click stream do.
func testConcurrentClicks(t *testing.T, open func(t *testing.T) Stores) {
	ctx := context.Background()
	d1 := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)

	t.Run("SameBatchConcurrently", func(t *testing.T) {
		s := open(t)
		a, b := mustLink(t, s, "a"), mustLink(t, s, "b")
		var batch []shortener.ClickEvent
		for i := range 50 {
			batch = append(batch, click([]string{a.ID, b.ID}[i%2], d1, fmt.Sprintf("v%d", i%7)))
		}
		var g errgroup.Group
		for range 4 {
			g.Go(func() error { return s.Clicks.WriteClicks(ctx, batch) })
		}
		noErr(t, g.Wait())
		if ca, cb := clickCount(t, s, a.ID), clickCount(t, s, b.ID); ca != 25 || cb != 25 {
			t.Errorf("click counts %d and %d, want 25 each (a redelivered batch counted once)", ca, cb)
		}
		wantDays(t, stats(t, s, a.ID, d1, d1, 10).Days, "2026-03-14 25 7 0")
	})

	t.Run("OverlappingBatchesConcurrently", func(t *testing.T) {
		s := open(t)
		links := []*shortener.Link{mustLink(t, s, "l0"), mustLink(t, s, "l1"), mustLink(t, s, "l2")}
		var g errgroup.Group
		for w := range 4 {
			g.Go(func() error {
				for i := range 10 {
					var batch []shortener.ClickEvent
					// Each writer walks the links in a different order, the
					// pattern that deadlocks when locks are taken unordered.
					for j := range 30 {
						l := links[(w+j+i)%3]
						batch = append(batch, click(l.ID, d1, fmt.Sprintf("w%dv%d", w, j%5)))
					}
					if err := s.Clicks.WriteClicks(ctx, batch); err != nil {
						return err
					}
				}
				return nil
			})
		}
		noErr(t, g.Wait())
		var total, unique int64
		for _, l := range links {
			total += clickCount(t, s, l.ID)
			for _, d := range stats(t, s, l.ID, d1, d1, 10).Days {
				unique += d.UniqueVisitors
			}
		}
		if total != 4*10*30 {
			t.Errorf("total click_count %d, want %d", total, 4*10*30)
		}
		// 4 writers x 5 visitors, each seen on every link.
		if unique != 4*5*3 {
			t.Errorf("unique visitors %d, want %d", unique, 4*5*3)
		}
	})

	t.Run("DeleteDuringWrites", func(t *testing.T) {
		s := open(t)
		doomed, kept := mustLink(t, s, "doomed"), mustLink(t, s, "kept")
		var g errgroup.Group
		for w := range 3 {
			g.Go(func() error {
				for i := range 10 {
					batch := []shortener.ClickEvent{
						click(doomed.ID, d1, "v"), click(kept.ID, d1, fmt.Sprintf("w%d-%d", w, i)),
					}
					if err := s.Clicks.WriteClicks(ctx, batch); err != nil {
						return err
					}
				}
				return nil
			})
		}
		g.Go(func() error { return s.Links.DeleteLink(ctx, doomed.ID) })
		noErr(t, g.Wait())
		if got := clickCount(t, s, kept.ID); got != 30 {
			t.Errorf("click_count of the kept link = %d, want 30", got)
		}
		if got := stats(t, s, doomed.ID, d1, d1, 10); len(got.Days) != 0 {
			t.Errorf("deleted link has rollups %+v", got.Days)
		}
	})
}
