package storetest

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

func testLinks(t *testing.T, open func(t *testing.T) Stores) {
	ctx := context.Background()

	t.Run("CreateAndRead", func(t *testing.T) {
		s := open(t)
		u := mustUser(t, s, "owner@example.com")
		full := newLink("my-alias", &u.ID, t0)
		full.CustomAlias = ptr("my-alias")
		full.Title = ptr("A title")
		full.IsPublic = false
		full.ExpiresAt = ptr(t0.Add(48 * time.Hour))
		noErr(t, s.Links.CreateLink(ctx, full))
		anon := newLink("aB3dE9x", nil, t0.Add(time.Second))
		noErr(t, s.Links.CreateLink(ctx, anon))

		for _, want := range []*shortener.Link{full, anon} {
			got, err := s.Links.LinkByID(ctx, want.ID)
			noErr(t, err)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("LinkByID = %+v, want %+v", got, want)
			}
			got, err = s.Links.LinkByCode(ctx, shortener.DefaultDomainID, want.ShortCode)
			noErr(t, err)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("LinkByCode = %+v, want %+v", got, want)
			}
		}
	})

	t.Run("CodesAreCaseSensitive", func(t *testing.T) {
		s := open(t)
		upper := mustLink(t, s, "Abc")
		lower := mustLink(t, s, "abc")
		wantCode(t, s.Links.CreateLink(ctx, newLink("Abc", nil, t0)), shortener.ECONFLICT)

		for code, id := range map[string]string{"Abc": upper.ID, "abc": lower.ID} {
			got, err := s.Links.LinkByCode(ctx, shortener.DefaultDomainID, code)
			noErr(t, err)
			if got.ID != id {
				t.Errorf("LinkByCode(%q) = link %s, want %s", code, got.ID, id)
			}
		}
		_, err := s.Links.LinkByCode(ctx, shortener.DefaultDomainID, "ABC")
		wantCode(t, err, shortener.ENOTFOUND)
	})

	t.Run("NotFound", func(t *testing.T) {
		s := open(t)
		mustLink(t, s, "exists")
		_, err := s.Links.LinkByID(ctx, shortener.NewID())
		wantCode(t, err, shortener.ENOTFOUND)
		_, err = s.Links.LinkByCode(ctx, shortener.DefaultDomainID, "missing")
		wantCode(t, err, shortener.ENOTFOUND)
		_, err = s.Links.UpdateLink(ctx, shortener.NewID(), shortener.LinkUpdate{Title: ptr("x")}, t0)
		wantCode(t, err, shortener.ENOTFOUND)
		wantCode(t, s.Links.DeleteLink(ctx, shortener.NewID()), shortener.ENOTFOUND)
	})

	t.Run("ListLinks", func(t *testing.T) { testListLinks(t, open(t)) })

	t.Run("Update", func(t *testing.T) {
		s := open(t)
		u := mustUser(t, s, "upd@example.com")
		l := newLink("upd", &u.ID, t0)
		l.Title = ptr("old")
		noErr(t, s.Links.CreateLink(ctx, l))

		later := t0.Add(time.Minute)
		got, err := s.Links.UpdateLink(ctx, l.ID, shortener.LinkUpdate{
			OriginalURL: ptr("https://example.org/new"), Title: ptr("new"), ExpiresAt: ptr(t0.Add(time.Hour)),
			IsActive: ptr(false), IsPublic: ptr(false),
		}, later)
		noErr(t, err)
		want := *l
		want.OriginalURL, want.Title, want.ExpiresAt = "https://example.org/new", ptr("new"), ptr(t0.Add(time.Hour))
		want.IsActive, want.IsPublic, want.UpdatedAt = false, false, later
		if !reflect.DeepEqual(got, &want) {
			t.Errorf("update returned %+v, want %+v", got, &want)
		}
		stored, err := s.Links.LinkByID(ctx, l.ID)
		noErr(t, err)
		if !reflect.DeepEqual(stored, &want) {
			t.Errorf("after update = %+v, want %+v", stored, &want)
		}

		// A field the update does not name keeps what another update wrote.
		got, err = s.Links.UpdateLink(ctx, l.ID, shortener.LinkUpdate{IsActive: ptr(true)}, later)
		noErr(t, err)
		if got.Title == nil || *got.Title != "new" || got.OriginalURL != "https://example.org/new" || !got.IsActive || got.IsPublic {
			t.Errorf("an update of is_active changed other fields: %+v", got)
		}

		// An update that read the clock before the last one committed
		// leaves updated_at where it is: it never goes back.
		got, err = s.Links.UpdateLink(ctx, l.ID, shortener.LinkUpdate{IsPublic: ptr(false)}, later.Add(-time.Second))
		noErr(t, err)
		wantTime(t, "UpdatedAt after an update with an earlier clock", got.UpdatedAt, later)

		// Clearing the optional fields.
		got, err = s.Links.UpdateLink(ctx, l.ID, shortener.LinkUpdate{ClearTitle: true, ClearExpiry: true}, later)
		noErr(t, err)
		if got.Title != nil || got.ExpiresAt != nil || !got.IsActive {
			t.Errorf("after clearing: %+v, want no title, no expiry, still active", got)
		}
	})

	t.Run("DeleteCascadesAnalytics", func(t *testing.T) { testDeleteCascades(t, open(t)) })
	t.Run("Resolve", func(t *testing.T) { testResolve(t, open(t)) })
}

func testListLinks(t *testing.T, s Stores) {
	ctx := context.Background()
	a, b := mustUser(t, s, "a@example.com"), mustUser(t, s, "b@example.com")
	// Seven links of a: five at distinct times, the last two sharing one
	// created_at, so the ID breaks the tie. Created out of order.
	var want []*shortener.Link // newest first
	for i := 4; i >= 0; i-- {
		l := newLink(fmt.Sprintf("a%d", i), &a.ID, t0.Add(time.Duration(i)*time.Minute))
		want = append(want, l)
	}
	twinOld := newLink("twin1", &a.ID, t0.Add(time.Hour))
	twinNew := newLink("twin2", &a.ID, t0.Add(time.Hour)) // larger UUIDv7
	want = append([]*shortener.Link{twinNew, twinOld}, want...)
	for _, i := range []int{3, 1, 0, 6, 2, 5, 4} {
		noErr(t, s.Links.CreateLink(ctx, want[i]))
	}
	noErr(t, s.Links.CreateLink(ctx, newLink("b0", &b.ID, t0.Add(2*time.Hour))))
	noErr(t, s.Links.CreateLink(ctx, newLink("anon", nil, t0.Add(2*time.Hour))))

	tests := []struct {
		name          string
		offset, limit int
		want          []*shortener.Link
	}{
		{"first page", 0, 3, want[0:3]},
		{"second page", 3, 3, want[3:6]},
		{"last page partial", 6, 3, want[6:]},
		{"past the end", 7, 3, nil},
		{"all", 0, 100, want},
	}
	for _, tt := range tests {
		page, err := s.Links.ListLinks(ctx, shortener.LinkQuery{OwnerID: a.ID, Offset: tt.offset, Limit: tt.limit})
		noErr(t, err)
		if page.Total != 7 {
			t.Errorf("%s: Total = %d, want 7", tt.name, page.Total)
		}
		if len(page.Links) != len(tt.want) {
			t.Fatalf("%s: %d links, want %d", tt.name, len(page.Links), len(tt.want))
		}
		for i := range tt.want {
			if !reflect.DeepEqual(page.Links[i], tt.want[i]) {
				t.Errorf("%s: link %d = %+v, want %+v", tt.name, i, page.Links[i], tt.want[i])
			}
		}
	}

	page, err := s.Links.ListLinks(ctx, shortener.LinkQuery{OwnerID: shortener.NewID(), Offset: 0, Limit: 10})
	noErr(t, err)
	if page.Total != 0 || len(page.Links) != 0 {
		t.Errorf("unknown owner: %d links, total %d; want none", len(page.Links), page.Total)
	}

	// Every owner's links, anonymous ones included, newest first.
	page, err = s.Links.ListLinks(ctx, shortener.LinkQuery{AllOwners: true, OwnerID: a.ID, Limit: 3})
	noErr(t, err)
	if page.Total != 9 || len(page.Links) != 3 || page.Links[0].CreatedAt != t0.Add(2*time.Hour) || page.Links[2].ShortCode != "twin2" {
		t.Errorf("all owners: total %d, first page %v", page.Total, codesOf(page.Links))
	}
}

func codesOf(ls []*shortener.Link) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.ShortCode)
	}
	return out
}

func testDeleteCascades(t *testing.T, s Stores) {
	ctx := context.Background()
	l := mustLink(t, s, "gone")
	keep := mustLink(t, s, "kept")
	batch := []shortener.ClickEvent{click(l.ID, t0, "v1"), click(l.ID, t0, "v2"), click(keep.ID, t0, "v1")}
	noErr(t, s.Clicks.WriteClicks(ctx, batch))

	noErr(t, s.Links.DeleteLink(ctx, l.ID))
	_, err := s.Links.LinkByID(ctx, l.ID)
	wantCode(t, err, shortener.ENOTFOUND)
	_, err = s.Links.LinkByCode(ctx, shortener.DefaultDomainID, "gone")
	wantCode(t, err, shortener.ENOTFOUND)
	wantCode(t, s.Links.DeleteLink(ctx, l.ID), shortener.ENOTFOUND)

	st := stats(t, s, l.ID, t0, t0, 10)
	if len(st.Days) != 0 || len(st.Top[shortener.DimCountry]) != 0 {
		t.Errorf("rollups survive the delete: %+v", st)
	}
	// The click rows went too: a link recreated with the same ID counts
	// the same click IDs again instead of skipping them as duplicates.
	again := newLink("gone", nil, t0)
	again.ID = l.ID
	noErr(t, s.Links.CreateLink(ctx, again))
	noErr(t, s.Clicks.WriteClicks(ctx, batch))
	if got := clickCount(t, s, l.ID); got != 2 {
		t.Errorf("click_count after re-creating the link = %d, want 2 (click rows not deleted?)", got)
	}
	if got := clickCount(t, s, keep.ID); got != 1 {
		t.Errorf("other link's click_count = %d, want 1", got)
	}
}

func testResolve(t *testing.T, s Stores) {
	r, ok := s.Links.(shortener.Resolver)
	if !ok {
		t.Skip("LinkStore is not a Resolver")
	}
	ctx := context.Background()
	l := newLink("res", nil, t0)
	l.ExpiresAt = ptr(t0.Add(time.Hour))
	l.IsActive = false
	noErr(t, s.Links.CreateLink(ctx, l))
	got, err := r.Resolve(ctx, "res")
	noErr(t, err)
	if want := shortener.TargetOf(l); !reflect.DeepEqual(got, want) {
		t.Errorf("Resolve = %+v, want %+v", got, want)
	}
	got, err = r.Resolve(ctx, "RES")
	noErr(t, err)
	if got.Found {
		t.Errorf("Resolve of an unknown code = %+v, want not found", got)
	}
}
