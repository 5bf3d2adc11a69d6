package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

// DefaultHost is the default domain's host in a freshly migrated
// database, until the service writes BASE_URL's.
const DefaultHost = "default.invalid"

func mustDomain(t *testing.T, s Stores, host string) *shortener.Domain {
	t.Helper()
	d := &shortener.Domain{ID: shortener.NewID(), Host: host, CreatedAt: t0}
	noErr(t, s.Domains.CreateDomain(context.Background(), d))
	return d
}

func testDomains(t *testing.T, open func(t *testing.T) Stores) {
	ctx := context.Background()

	t.Run("DefaultIsThereAndFollowsBaseURL", func(t *testing.T) {
		s := open(t)
		list, err := s.Domains.ListDomains(ctx)
		noErr(t, err)
		if len(list) != 1 || !list[0].IsDefault() || list[0].Host != DefaultHost {
			t.Fatalf("domains of a fresh database = %+v", list)
		}
		prev, err := s.Domains.SetDefaultDomainHost(ctx, "sho.rt")
		noErr(t, err)
		if prev != DefaultHost {
			t.Errorf("previous host = %q, want %q", prev, DefaultHost)
		}
		prev, err = s.Domains.SetDefaultDomainHost(ctx, "sho.rt")
		noErr(t, err)
		if prev != "" {
			t.Errorf("previous host when unchanged = %q, want empty", prev)
		}
		mustDomain(t, s, "go.example")
		_, err = s.Domains.SetDefaultDomainHost(ctx, "go.example")
		wantCode(t, err, shortener.ECONFLICT)
	})

	t.Run("CreateReadUpdateDelete", func(t *testing.T) {
		s := open(t)
		d := &shortener.Domain{ID: shortener.NewID(), Host: "go.example", NotFoundURL: ptr("https://example.com/404"),
			CreatedAt: t0}
		noErr(t, s.Domains.CreateDomain(ctx, d))
		got, err := s.Domains.DomainByID(ctx, d.ID)
		noErr(t, err)
		if !reflect.DeepEqual(got, d) {
			t.Errorf("DomainByID = %+v, want %+v", got, d)
		}
		wantCode(t, s.Domains.CreateDomain(ctx, &shortener.Domain{ID: shortener.NewID(), Host: "go.example", CreatedAt: t0}),
			shortener.ECONFLICT)
		later := &shortener.Domain{ID: shortener.NewID(), Host: "b.example", CreatedAt: t0.Add(time.Second)}
		noErr(t, s.Domains.CreateDomain(ctx, later))
		list, err := s.Domains.ListDomains(ctx)
		noErr(t, err)
		if len(list) != 3 || !list[0].IsDefault() || list[1].ID != d.ID || list[2].ID != later.ID {
			t.Errorf("ListDomains = %+v", list)
		}

		up, err := s.Domains.UpdateDomain(ctx, d.ID, shortener.DomainUpdate{ClearNotFoundURL: true, RootURL: ptr("https://example.com/")})
		noErr(t, err)
		if up.NotFoundURL != nil || up.RootURL == nil || *up.RootURL != "https://example.com/" || up.Host != "go.example" {
			t.Errorf("UpdateDomain = %+v", up)
		}
		_, err = s.Domains.UpdateDomain(ctx, d.ID, shortener.DomainUpdate{Host: ptr("b.example")})
		wantCode(t, err, shortener.ECONFLICT)
		_, err = s.Domains.UpdateDomain(ctx, shortener.NewID(), shortener.DomainUpdate{Host: ptr("c.example")})
		wantCode(t, err, shortener.ENOTFOUND)

		l := newLink("abc", nil, t0)
		l.DomainID = d.ID
		noErr(t, s.Links.CreateLink(ctx, l))
		wantCode(t, s.Domains.DeleteDomain(ctx, d.ID), shortener.ECONFLICT)
		noErr(t, s.Links.DeleteLink(ctx, l.ID))
		noErr(t, s.Domains.DeleteDomain(ctx, d.ID))
		_, err = s.Domains.DomainByID(ctx, d.ID)
		wantCode(t, err, shortener.ENOTFOUND)
		wantCode(t, s.Domains.DeleteDomain(ctx, d.ID), shortener.ENOTFOUND)
		wantCode(t, s.Domains.DeleteDomain(ctx, "nope"), shortener.ENOTFOUND)
	})
}

// testLinksOnDomains: codes are unique per domain, a link reads back with
// its domain's host, moves where its code is free, and the list filters
// by domain.
func testLinksOnDomains(t *testing.T, open func(t *testing.T) Stores) {
	ctx := context.Background()
	s := open(t)
	d := mustDomain(t, s, "go.example")
	def := mustLink(t, s, "same")
	other := newLink("same", nil, t0.Add(time.Second))
	other.DomainID = d.ID
	noErr(t, s.Links.CreateLink(ctx, other))
	dup := newLink("same", nil, t0)
	dup.DomainID = d.ID
	wantCode(t, s.Links.CreateLink(ctx, dup), shortener.ECONFLICT)

	got, err := s.Links.LinkByCode(ctx, d.ID, "same")
	noErr(t, err)
	if got.ID != other.ID || got.DomainID != d.ID || got.Domain != "go.example" {
		t.Errorf("LinkByCode on go.example = %+v", got)
	}
	for key, want := range map[string]string{"same": def.ID, d.ID + "/same": other.ID} {
		tg, err := shortener.StoreResolver{Links: s.Links}.Resolve(ctx, key)
		noErr(t, err)
		if tg.LinkID != want {
			t.Errorf("Resolve(%q) = %s, want %s", key, tg.LinkID, want)
		}
		if r, ok := s.Links.(shortener.Resolver); ok {
			tg, err := r.Resolve(ctx, key)
			noErr(t, err)
			if tg.LinkID != want {
				t.Errorf("store Resolve(%q) = %s, want %s", key, tg.LinkID, want)
			}
		}
	}

	page, err := s.Links.ListLinks(ctx, shortener.LinkQuery{AllOwners: true, DomainID: d.ID, Limit: 10})
	noErr(t, err)
	if page.Total != 1 || page.Links[0].ID != other.ID {
		t.Errorf("ListLinks on go.example = %d links", page.Total)
	}

	// The code is taken on the default domain: no move there.
	_, err = s.Links.UpdateLink(ctx, other.ID, shortener.LinkUpdate{DomainID: ptr(shortener.DefaultDomainID)}, t0)
	wantCode(t, err, shortener.ECONFLICT)
	free := mustLink(t, s, "free")
	moved, err := s.Links.UpdateLink(ctx, free.ID, shortener.LinkUpdate{DomainID: ptr(d.ID)}, t0)
	noErr(t, err)
	if moved.DomainID != d.ID || moved.Domain != "go.example" {
		t.Errorf("moved link = %+v", moved)
	}

	// A domain deleted after the caller looked it up: every write of a
	// link to it is ErrDomainGone, and nothing is stored.
	gone := shortener.NewID()
	orphan := newLink("orphan", nil, t0)
	orphan.DomainID = gone
	if err := s.Links.CreateLink(ctx, orphan); !errors.Is(err, shortener.ErrDomainGone) {
		t.Errorf("CreateLink on a deleted domain: %v, want ErrDomainGone", err)
	}
	if _, err := s.Links.CreateLinks(ctx, []*shortener.Link{newLink("fine", nil, t0), orphan}); !errors.Is(err, shortener.ErrDomainGone) {
		t.Errorf("CreateLinks with a link on a deleted domain: %v, want ErrDomainGone", err)
	}
	for _, code := range []string{"orphan", "fine"} {
		_, err := s.Links.LinkByCode(ctx, shortener.DefaultDomainID, code)
		wantCode(t, err, shortener.ENOTFOUND)
	}
	if _, err := s.Links.UpdateLink(ctx, free.ID, shortener.LinkUpdate{DomainID: &gone}, t0); !errors.Is(err, shortener.ErrDomainGone) {
		t.Errorf("UpdateLink onto a deleted domain: %v, want ErrDomainGone", err)
	}
}
