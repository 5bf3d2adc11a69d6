package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

// testShortCodes: ShortCodes lists every code exactly once and stops at
// the callback's error.
func testShortCodes(t *testing.T, open func(t *testing.T) Stores) {
	s := open(t)
	ctx := context.Background()
	want := []string{"Abc", "abc", "zz-top_1"}
	for i, code := range want {
		if err := s.Links.CreateLink(ctx, newLink(code, nil, t0.Add(time.Duration(i)))); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	if err := s.Links.ShortCodes(ctx, func(c string) error { got = append(got, c); return nil }); err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("ShortCodes = %v, want %v", got, want)
	}
	stop := errors.New("stop")
	n := 0
	err := s.Links.ShortCodes(ctx, func(string) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Fatalf("ShortCodes after the callback failed: err %v after %d calls, want stop after 1", err, n)
	}
}
