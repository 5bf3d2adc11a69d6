package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

// testLinkKeys: LinkKeys lists every link's key exactly once (the bare
// code on the default domain, domain ID and code on another) and stops at
// the callback's error.
func testLinkKeys(t *testing.T, open func(t *testing.T) Stores) {
	s := open(t)
	ctx := context.Background()
	codes := []string{"Abc", "abc", "zz-top_1"}
	for i, code := range codes {
		if err := s.Links.CreateLink(ctx, newLink(code, nil, t0.Add(time.Duration(i)))); err != nil {
			t.Fatal(err)
		}
	}
	d := mustDomain(t, s, "go.example")
	other := newLink("abc", nil, t0)
	other.DomainID = d.ID
	noErr(t, s.Links.CreateLink(ctx, other))
	want := append(slices.Clone(codes), d.ID+"/abc")
	var got []string
	if err := s.Links.LinkKeys(ctx, func(c string) error { got = append(got, c); return nil }); err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("LinkKeys = %v, want %v", got, want)
	}
	stop := errors.New("stop")
	n := 0
	err := s.Links.LinkKeys(ctx, func(string) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Fatalf("LinkKeys after the callback failed: err %v after %d calls, want stop after 1", err, n)
	}
	if k := shortener.LinkKey(shortener.DefaultDomainID, "x"); k != "x" {
		t.Fatalf("LinkKey on the default domain = %q", k)
	}
}
