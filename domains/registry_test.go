package domains_test

import (
	"context"
	"errors"
	"testing"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/domains"
	"github.com/shortener-dev/shortener/internal/testdb"
	"github.com/shortener-dev/shortener/storetest"
)

func TestRegistryAndService(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		ctx := context.Background()
		reg := domains.NewRegistry(s.Domains, "sho.rt", nil)
		notified := 0
		reg.Notify = func(context.Context) error { notified++; return nil }
		svc := domains.NewService(s.Domains, reg, nil)
		if err := svc.SyncDefault(ctx, "old.example", nil); err != nil {
			t.Fatal(err)
		}
		// BASE_URL's host changed: written, and logged (here: nowhere).
		if err := svc.SyncDefault(ctx, "sho.rt", nil); err != nil {
			t.Fatal(err)
		}
		if got := reg.Default().Host; got != "sho.rt" {
			t.Fatalf("default domain host %q, want sho.rt", got)
		}
		admin := &shortener.User{ID: shortener.NewID(), Role: shortener.RoleAdmin}
		user := &shortener.User{ID: shortener.NewID(), Role: shortener.RoleUser}

		if _, err := svc.Create(ctx, user, domains.Input{Host: "go.example"}); shortener.ErrorCode(err) != shortener.EFORBIDDEN {
			t.Fatalf("create as a user: %v, want EFORBIDDEN", err)
		}
		d, err := svc.Create(ctx, admin, domains.Input{Host: "Go.Example."})
		if err != nil {
			t.Fatal(err)
		}
		if notified != 1 {
			t.Errorf("notified %d times after a create, want 1", notified)
		}
		// A host taken is a conflict at the host, for a form to show there;
		// an empty one is required.
		_, err = svc.Create(ctx, admin, domains.Input{Host: "go.example"})
		var e *shortener.Error
		if !errors.As(err, &e) || e.Code != shortener.ECONFLICT || len(e.Fields) != 1 || e.Fields[0].Location != "body.host" {
			t.Errorf("a host taken: %v, want ECONFLICT at body.host", err)
		}
		if _, err := svc.Create(ctx, admin, domains.Input{Host: " "}); !errors.As(err, &e) || e.Fields[0].Message != "host is required" {
			t.Errorf("no host: %v, want host is required", err)
		}
		// The registry sees the change at once.
		for host, want := range map[string]string{
			"go.example": d.ID, "GO.example.:443": d.ID, "sho.rt": shortener.DefaultDomainID,
			"127.0.0.1:8000": shortener.DefaultDomainID, "": shortener.DefaultDomainID,
		} {
			if got := reg.ForHost(host).ID; got != want {
				t.Errorf("ForHost(%q) = %s, want %s", host, got, want)
			}
		}
		if hosts := reg.Hosts(); len(hosts) != 2 {
			t.Errorf("Hosts = %v", hosts)
		}
		if _, err := svc.Update(ctx, admin, shortener.DefaultDomainID, domains.Patch{Host: ptr("x.example")}); shortener.ErrorCode(err) != shortener.ECONFLICT {
			t.Errorf("changing the default domain's host: %v, want ECONFLICT", err)
		}
		if _, err := svc.Update(ctx, admin, d.ID, domains.Patch{NotFoundURL: ptr("https://go.example/x")}); shortener.ErrorCode(err) != shortener.EINVALID {
			t.Errorf("a not_found_url on the domain itself: %v, want EINVALID", err)
		}
		// On another configured domain, in any spelling, or on BASE_URL's
		// host: A's not_found_url on B and B's on A would loop.
		books, err := svc.Create(ctx, admin, domains.Input{Host: "bücher.example"})
		if err != nil {
			t.Fatal(err)
		}
		for _, target := range []string{"https://go.example/x", "https://BÜCHER.example./", "https://xn--bcher-kva.example/", "https://sho.rt/"} {
			if _, err := svc.Create(ctx, admin, domains.Input{Host: "loop.example", NotFoundURL: ptr(target)}); shortener.ErrorCode(err) != shortener.EINVALID {
				t.Errorf("a new domain's not_found_url %s: %v, want EINVALID", target, err)
			}
			if _, err := svc.Update(ctx, admin, d.ID, domains.Patch{RootURL: ptr(target)}); shortener.ErrorCode(err) != shortener.EINVALID {
				t.Errorf("a root_url %s: %v, want EINVALID", target, err)
			}
		}
		// Renamed to the host its own URLs point at, the domain would answer
		// itself: refused; renamed elsewhere, or with the URL cleared, taken.
		ww, err := svc.Create(ctx, admin, domains.Input{Host: "bb.example", NotFoundURL: ptr("https://ww.example/nf"),
			RootURL: ptr("https://ww.example/")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Update(ctx, admin, ww.ID, domains.Patch{Host: ptr("ww.example")}); shortener.ErrorCode(err) != shortener.EINVALID {
			t.Errorf("renamed to its own URLs' host: %v, want EINVALID", err)
		}
		if _, err := svc.Update(ctx, admin, ww.ID, domains.Patch{Host: ptr("ww.example"), ClearNotFoundURL: true, ClearRootURL: true}); err != nil {
			t.Errorf("renamed with its URLs cleared: %v", err)
		}
		if err := svc.Delete(ctx, admin, ww.ID); err != nil {
			t.Fatal(err)
		}
		if got, ok := reg.ByHost("Bücher.Example."); !ok || got.ID != books.ID {
			t.Errorf("ByHost of the Unicode spelling = %v, %v; want %s", got, ok, books.ID)
		}
		if err := svc.Delete(ctx, admin, books.ID); err != nil {
			t.Fatal(err)
		}
		if err := svc.Delete(ctx, admin, shortener.DefaultDomainID); shortener.ErrorCode(err) != shortener.ECONFLICT {
			t.Errorf("deleting the default domain: %v, want ECONFLICT", err)
		}
		if err := svc.Delete(ctx, admin, d.ID); err != nil {
			t.Fatal(err)
		}
		if got := reg.ForHost("go.example").ID; got != shortener.DefaultDomainID {
			t.Errorf("a deleted domain's host is served as %s, want the default", got)
		}
	})
}

func ptr[T any](v T) *T { return &v }
