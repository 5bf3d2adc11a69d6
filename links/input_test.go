package links_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/testdb"
	"github.com/shortener-dev/shortener/links"
	"github.com/shortener-dev/shortener/storetest"
)

// A time outside years 1-9999 in UTC is refused before it is stored: it
// could never be answered again.
func TestTimesOutsideTheYearsOfRFC3339(t *testing.T) {
	s := testdb.SQLite(t)
	ctx := context.Background()
	svc := newService(s, &recordingInvalidator{})
	owner := user(t, s, shortener.RoleUser)
	year10000 := time.Date(9999, 12, 31, 23, 59, 59, 0, time.FixedZone("EST", -5*3600))
	_, err := svc.Create(ctx, owner, links.CreateInput{OriginalURL: "https://example.com/y", ExpiresAt: &year10000})
	expectInvalidAt(t, err, "body.expires_at")
	_, err = svc.Create(ctx, owner, links.CreateInput{OriginalURL: "https://example.com/y", Options: links.Options{ValidSince: &year10000}})
	expectInvalidAt(t, err, "body.valid_since")
	l, err := svc.Create(ctx, owner, links.CreateInput{OriginalURL: "https://example.com/y"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.Update(ctx, owner, l.ID, links.UpdateInput{ExpiresAt: &year10000})
	expectInvalidAt(t, err, "body.expires_at")
	_, err = svc.Update(ctx, owner, l.ID, links.UpdateInput{Options: links.Options{ValidSince: &year10000}})
	expectInvalidAt(t, err, "body.valid_since")
	page, err := svc.List(ctx, owner, links.ListQuery{Page: 1, Size: 10})
	if err != nil || len(page.Links) != 1 || page.Links[0].ExpiresAt != nil || page.Links[0].ValidSince != nil {
		t.Fatalf("after the refusals: %+v, %v; want the one link without expiry or start", page, err)
	}
}

// expectInvalidAt checks an EINVALID error with a field error at location.
func expectInvalidAt(t *testing.T, err error, location string) {
	t.Helper()
	var e *shortener.Error
	if !errors.As(err, &e) || e.Code != shortener.EINVALID {
		t.Fatalf("%v, want EINVALID", err)
	}
	for _, f := range e.Fields {
		if f.Location == location {
			return
		}
	}
	t.Fatalf("%v: no field error at %s", err, location)
}

// A page past the end is empty, however far past: (page-1)*size must not
// wrap around to an early page.
func TestListHugePage(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		ctx := context.Background()
		svc := newService(s, &recordingInvalidator{})
		owner := user(t, s, shortener.RoleUser)
		for i := range 3 {
			if _, err := svc.Create(ctx, owner, links.CreateInput{OriginalURL: fmt.Sprintf("https://example.com/%d", i)}); err != nil {
				t.Fatal(err)
			}
		}
		for _, size := range []int{1, 2, 3, 7, 20, 100} {
			for _, page := range []int{math.MaxInt, math.MaxInt - 1, math.MaxInt / 2, math.MaxInt / size, 1<<62 + 1, 4} {
				p, err := svc.List(ctx, owner, links.ListQuery{Page: page, Size: size})
				if err != nil {
					t.Fatal(err)
				}
				if len(p.Links) != 0 || p.Total != 3 {
					t.Errorf("page %d of size %d: %d links of %d, want none of 3", page, size, len(p.Links), p.Total)
				}
			}
		}
	})
}
