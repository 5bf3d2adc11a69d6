package storetest

import (
	"context"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

// testLinkOptions: every link option is stored, read back, resolved and
// changed field by field, and cleared by its null.
func testLinkOptions(t *testing.T, open func(t *testing.T) Stores) {
	ctx := context.Background()
	s := open(t)
	l := newLink("opts", nil, t0)
	l.RedirectType, l.ForwardQuery = 307, true
	l.ValidSince, l.MaxClicks, l.PasswordHash = ptr(t0.Add(time.Hour)), ptr(int64(5)), "$2a$04$hash"
	l.Rules = []shortener.TargetRule{
		{URL: "https://example.com/ios", Devices: []string{"ios"}, Countries: []string{"DE", "AT"}},
		{URL: "https://example.com/fr", Languages: []string{"fr"}},
	}
	l.Variants = []shortener.Variant{{URL: "https://a.example", Weight: 70}, {URL: "https://b.example", Weight: 30}}
	noErr(t, s.Links.CreateLink(ctx, l))
	got, err := s.Links.LinkByID(ctx, l.ID)
	noErr(t, err)
	if !reflect.DeepEqual(got, l) {
		t.Fatalf("read back %+v\nwant      %+v", got, l)
	}
	if r, ok := s.Links.(shortener.Resolver); ok {
		target, err := r.Resolve(ctx, "opts")
		noErr(t, err)
		if want := shortener.TargetOf(l); !reflect.DeepEqual(target, want) {
			t.Errorf("Resolve = %+v\nwant      %+v", target, want)
		}
	}

	later := t0.Add(time.Minute)
	rules := []shortener.TargetRule{{URL: "https://example.com/m", Devices: []string{"mobile"}}}
	got, err = s.Links.UpdateLink(ctx, l.ID, shortener.LinkUpdate{
		RedirectType: ptr(301), ForwardQuery: ptr(false), MaxClicks: ptr(int64(9)), Rules: &rules,
	}, later)
	noErr(t, err)
	if got.RedirectType != 301 || got.ForwardQuery || *got.MaxClicks != 9 || !reflect.DeepEqual(got.Rules, rules) ||
		got.PasswordHash != l.PasswordHash || !reflect.DeepEqual(got.Variants, l.Variants) || !got.ValidSince.Equal(*l.ValidSince) {
		t.Fatalf("after changing some options: %+v", got)
	}
	none := []shortener.TargetRule{}
	got, err = s.Links.UpdateLink(ctx, l.ID, shortener.LinkUpdate{
		ClearValidSince: true, ClearMaxClicks: true, PasswordHash: ptr(""), Rules: &none, ClearVariants: true,
	}, later)
	noErr(t, err)
	if got.ValidSince != nil || got.MaxClicks != nil || got.PasswordHash != "" || got.Rules != nil || got.Variants != nil {
		t.Fatalf("after clearing the options: %+v", got)
	}
}

// testClickCaps: a capped link gives out exactly max_clicks, also to
// concurrent takers; an uncapped one never runs out; raising the cap gives
// more.
func testClickCaps(t *testing.T, open func(t *testing.T) Stores) {
	ctx := context.Background()
	s := open(t)
	capped := newLink("capped", nil, t0)
	capped.MaxClicks = ptr(int64(10))
	noErr(t, s.Links.CreateLink(ctx, capped))
	plain := mustLink(t, s, "uncapped")

	var taken, refused atomic.Int32
	var wg sync.WaitGroup
	for range 25 {
		wg.Go(func() {
			ok, err := s.Links.TakeLinkClick(ctx, capped.ID)
			if err != nil {
				t.Error(err)
			} else if ok {
				taken.Add(1)
			} else {
				refused.Add(1)
			}
		})
	}
	wg.Wait()
	if taken.Load() != 10 || refused.Load() != 15 {
		t.Fatalf("25 concurrent takes of a cap of 10: %d taken, %d refused", taken.Load(), refused.Load())
	}
	left, err := s.Links.LinkClicksLeft(ctx, capped.ID)
	noErr(t, err)
	if left {
		t.Fatal("a used-up cap reports clicks left")
	}
	if got, err := s.Links.LinkByID(ctx, capped.ID); err != nil || got.ClicksUsed != 10 || !got.UsedUp() {
		t.Fatalf("the link after its cap was used: %+v, %v; want 10 clicks used", got, err)
	}
	_, err = s.Links.UpdateLink(ctx, capped.ID, shortener.LinkUpdate{MaxClicks: ptr(int64(11))}, t0)
	noErr(t, err)
	if ok, err := s.Links.TakeLinkClick(ctx, capped.ID); err != nil || !ok {
		t.Fatalf("after raising the cap: %v, %v", ok, err)
	}
	if ok, _ := s.Links.TakeLinkClick(ctx, capped.ID); ok {
		t.Fatal("took more than the raised cap")
	}
	for range 3 {
		if ok, err := s.Links.TakeLinkClick(ctx, plain.ID); err != nil || !ok {
			t.Fatalf("an uncapped link: %v, %v", ok, err)
		}
	}
	if left, err := s.Links.LinkClicksLeft(ctx, plain.ID); err != nil || !left {
		t.Fatalf("an uncapped link has clicks left: %v, %v", left, err)
	}
	_, err = s.Links.TakeLinkClick(ctx, shortener.NewID())
	wantCode(t, err, shortener.ENOTFOUND)

	// A cap counts the human redirects made before it was set (as far as
	// click_count has them): 3 clicks, then a cap of 3 is used up, and a
	// cap of 5 gives 2 more.
	late := mustLink(t, s, "late-cap")
	at := time.Now().UTC().Add(-time.Hour)
	bot := click(late.ID, at, "b")
	bot.IsBot = true
	noErr(t, s.Clicks.WriteClicks(ctx, []shortener.ClickEvent{
		click(late.ID, at, "v1"), click(late.ID, at.Add(time.Second), "v2"), click(late.ID, at.Add(2*time.Second), "v3"), bot}))
	got, err := s.Links.UpdateLink(ctx, late.ID, shortener.LinkUpdate{MaxClicks: ptr(int64(3))}, t0)
	noErr(t, err)
	if got.ClickCount != 3 || got.ClicksUsed != 3 || !got.UsedUp() {
		t.Fatalf("a cap of 3 set after 3 human clicks: click_count %d, %d used; want both 3, used up", got.ClickCount, got.ClicksUsed)
	}
	if ok, err := s.Links.TakeLinkClick(ctx, late.ID); err != nil || ok {
		t.Fatalf("a cap of 3 set after 3 human clicks gave a click: %v, %v", ok, err)
	}
	_, err = s.Links.UpdateLink(ctx, late.ID, shortener.LinkUpdate{MaxClicks: ptr(int64(5))}, t0)
	noErr(t, err)
	for i := range 3 {
		if ok, err := s.Links.TakeLinkClick(ctx, late.ID); err != nil || ok != (i < 2) {
			t.Fatalf("take %d under a cap of 5 after 3 clicks: %v, %v", i+1, ok, err)
		}
	}
	// Another change leaves the count alone.
	got, err = s.Links.UpdateLink(ctx, late.ID, shortener.LinkUpdate{Title: ptr("renamed")}, t0)
	noErr(t, err)
	if got.ClicksUsed != 5 {
		t.Fatalf("a title change moved the clicks used to %d, want 5", got.ClicksUsed)
	}
}
