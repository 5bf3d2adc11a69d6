package storetest

import (
	"context"
	"testing"

	"github.com/shortener-dev/shortener"
)

// testMalformedIDs checks that a value that is not a UUID is treated as an
// unknown ID everywhere, whatever the engine's column type.
func testMalformedIDs(t *testing.T, open func(t *testing.T) Stores) {
	ctx := context.Background()
	s := open(t)
	u := mustUser(t, s, "ids@example.com")
	l := mustLink(t, s, "ids")
	const bad = "not-a-uuid"

	_, err := s.Users.UserByID(ctx, bad)
	wantCode(t, err, shortener.ENOTFOUND)
	_, err = s.Links.LinkByID(ctx, bad)
	wantCode(t, err, shortener.ENOTFOUND)
	_, err = s.Links.UpdateLink(ctx, bad, shortener.LinkUpdate{IsActive: ptr(false)}, t0)
	wantCode(t, err, shortener.ENOTFOUND)
	wantCode(t, s.Links.DeleteLink(ctx, bad), shortener.ENOTFOUND)
	wantCode(t, s.Tokens.RotateRefreshToken(ctx, bad, newToken(u.ID, shortener.NewID(), t0), t0), shortener.ECONFLICT)
	noErr(t, s.Tokens.RevokeTokenFamily(ctx, bad, t0))

	page, err := s.Links.ListLinks(ctx, shortener.LinkQuery{OwnerID: bad, Offset: 0, Limit: 10})
	noErr(t, err)
	if page.Total != 0 || len(page.Links) != 0 {
		t.Errorf("ListLinks(%q) = %+v, want empty", bad, page)
	}
	st, err := s.Clicks.ClickStats(ctx, bad, t0, t0, 10)
	noErr(t, err)
	if len(st.Days) != 0 {
		t.Errorf("ClickStats(%q) = %+v, want empty", bad, st)
	}

	// Clicks with a malformed ID or link ID are dropped; the rest of the
	// batch is stored.
	badID, badLink := click(l.ID, t0, "v1"), click(bad, t0, "v2")
	badID.ID = bad
	noErr(t, s.Clicks.WriteClicks(ctx, []shortener.ClickEvent{badID, badLink, click(l.ID, t0, "v3")}))
	if got := clickCount(t, s, l.ID); got != 1 {
		t.Errorf("click_count = %d, want 1", got)
	}
}
