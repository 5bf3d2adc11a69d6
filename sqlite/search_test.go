package sqlite_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/sqlite"
)

// TestSearchIndexTakesLinksInBatches: new links wait for the search index
// (migration 00052) and are indexed in batches, yet a search finds every
// link as it is now: links changed or deleted while waiting and after
// being indexed, created alone and in bulk. FTS5's integrity check then
// compares the index with short_urls, row by row.
func TestSearchIndexTakesLinksInBatches(t *testing.T) {
	ctx := context.Background()
	db := openMigrated(t)
	links := sqlite.NewLinkStore(db)
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	newLink := func(i int) *shortener.Link {
		title := fmt.Sprintf("walrus %03d", i)
		return &shortener.Link{ID: shortener.NewID(), ShortCode: fmt.Sprintf("c%03d", i),
			OriginalURL: fmt.Sprintf("https://example.com/%03d", i), Title: &title,
			IsActive: true, IsPublic: true, CreatedAt: now, UpdatedAt: now, RedirectType: 302}
	}
	pending := func() int64 {
		return sqlite.CountForTest(t, db, `SELECT count(*) FROM short_urls_search_pending`)
	}
	search := func(s string) []string {
		t.Helper()
		page, err := links.ListLinks(ctx, shortener.LinkQuery{AllOwners: true, Search: s, Limit: 1000, Sort: shortener.SortOldest})
		if err != nil {
			t.Fatalf("search %q: %v", s, err)
		}
		var codes []string
		for _, l := range page.Links {
			codes = append(codes, l.ShortCode)
		}
		slices.Sort(codes)
		return codes
	}
	retitle := func(l *shortener.Link, title string) {
		t.Helper()
		if _, err := links.UpdateLink(ctx, l.ID, shortener.LinkUpdate{Title: &title}, now); err != nil {
			t.Fatal(err)
		}
	}

	// 100 links one by one: the 64th create indexes the first 64.
	var all []*shortener.Link
	for i := range 100 {
		l := newLink(i)
		if err := links.CreateLink(ctx, l); err != nil {
			t.Fatal(err)
		}
		all = append(all, l)
	}
	if n := pending(); n != 36 {
		t.Fatalf("after 100 creates %d links wait for the index, want 36", n)
	}
	// 50 in bulk: the batch crosses 64 waiting, so the transaction indexes.
	var bulk []*shortener.Link
	for i := 100; i < 150; i++ {
		bulk = append(bulk, newLink(i))
	}
	if _, err := links.CreateLinks(ctx, bulk); err != nil {
		t.Fatal(err)
	}
	all = append(all, bulk...)
	if n := pending(); n != 0 {
		t.Fatalf("after the bulk create %d links wait, want 0", n)
	}
	// Ten more wait; change and delete links on both sides of the index.
	for i := 150; i < 160; i++ {
		l := newLink(i)
		if err := links.CreateLink(ctx, l); err != nil {
			t.Fatal(err)
		}
		all = append(all, l)
	}
	retitle(all[5], "narwhal indexed")   // indexed
	retitle(all[155], "narwhal waiting") // waiting
	for _, i := range []int{7, 157} {
		if err := links.DeleteLink(ctx, all[i].ID); err != nil {
			t.Fatal(err)
		}
	}
	if n := pending(); n != 9 {
		t.Fatalf("%d links wait, want 9 (ten created, one deleted)", n)
	}

	if got := search("narwhal"); !slices.Equal(got, []string{"c005", "c155"}) {
		t.Errorf("narwhal found %v, want c005 and c155", got)
	}
	if n := pending(); n != 0 {
		t.Errorf("after a search %d links wait, want 0", n)
	}
	want := []string{}
	for i := range 160 {
		if !slices.Contains([]int{5, 7, 155, 157}, i) {
			want = append(want, fmt.Sprintf("c%03d", i))
		}
	}
	if got := search("WALRUS"); !slices.Equal(got, want) {
		t.Errorf("walrus found %d links (%v), want %d", len(got), got, len(want))
	}
	if got := search("example.com/157"); len(got) != 0 {
		t.Errorf("the deleted waiting link is found: %v", got)
	}
	sqlite.ExecForTest(t, db, `INSERT INTO short_urls_search (short_urls_search, rank) VALUES ('integrity-check', 1)`)

	// The check can fail: a title changed behind the index's back.
	sqlite.ExecForTest(t, db, `DROP TRIGGER short_urls_search_update`)
	sqlite.ExecForTest(t, db, `UPDATE short_urls SET title = 'changed' WHERE short_code = 'c010'`)
	if err := sqlite.ExecErrForTest(db, `INSERT INTO short_urls_search (short_urls_search, rank) VALUES ('integrity-check', 1)`); err == nil {
		t.Error("the integrity check passed an index that does not match short_urls")
	}
}
