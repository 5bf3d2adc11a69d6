package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

func testClickStats(t *testing.T, open func(t *testing.T) Stores) {
	ctx := context.Background()

	t.Run("Range", func(t *testing.T) {
		s := open(t)
		l := mustLink(t, s, "range")
		var batch []shortener.ClickEvent
		for _, d := range []int{10, 12, 12, 14, 16} {
			batch = append(batch, click(l.ID, time.Date(2026, 3, d, 12, 0, 0, 0, time.UTC), fmt.Sprint(d)))
		}
		noErr(t, s.Clicks.WriteClicks(ctx, batch))

		plus5 := time.FixedZone("UTC+5", 5*3600)
		tests := []struct {
			name        string
			first, last time.Time
			want        []string
		}{
			{"all", day(2026, 3, 1), day(2026, 3, 31), []string{
				"2026-03-10 1 1 0", "2026-03-12 2 1 0", "2026-03-14 1 1 0", "2026-03-16 1 1 0"}},
			{"inclusive bounds", day(2026, 3, 12), day(2026, 3, 14), []string{
				"2026-03-12 2 1 0", "2026-03-14 1 1 0"}},
			{"times within the days", time.Date(2026, 3, 12, 23, 59, 0, 0, time.UTC),
				time.Date(2026, 3, 14, 0, 0, 1, 0, time.UTC), []string{"2026-03-12 2 1 0", "2026-03-14 1 1 0"}},
			// 03:00 on the 13th at UTC+5 is the 12th in UTC.
			{"bounds in another zone", time.Date(2026, 3, 13, 3, 0, 0, 0, plus5),
				time.Date(2026, 3, 15, 3, 0, 0, 0, plus5), []string{"2026-03-12 2 1 0", "2026-03-14 1 1 0"}},
			{"one day", day(2026, 3, 16), day(2026, 3, 16), []string{"2026-03-16 1 1 0"}},
			{"no clicks in range", day(2026, 3, 17), day(2026, 4, 30), nil},
			{"first after last", day(2026, 3, 16), day(2026, 3, 10), nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				st := stats(t, s, l.ID, tt.first, tt.last, 5)
				wantDays(t, st.Days, tt.want...)
				var sum int64
				for _, lc := range st.Top[shortener.DimCountry] {
					sum += lc.Count
				}
				var clicks int64
				for _, d := range st.Days {
					clicks += d.Clicks
				}
				if sum != clicks {
					t.Errorf("top countries sum to %d, days to %d", sum, clicks)
				}
			})
		}
	})

	t.Run("TopLimitAndTies", func(t *testing.T) {
		s := open(t)
		l := mustLink(t, s, "top")
		d1 := time.Date(2026, 3, 14, 8, 0, 0, 0, time.UTC)
		d2 := d1.Add(24 * time.Hour)
		ref := func(at time.Time, referrer string) shortener.ClickEvent {
			c := click(l.ID, at, "v")
			c.Referrer = referrer
			return c
		}
		// Over both days: b 3, alpha 2, Zeta 2, c 2, (direct) 1. In byte
		// order "Zeta" sorts before "alpha" and "c".
		noErr(t, s.Clicks.WriteClicks(ctx, []shortener.ClickEvent{
			ref(d1, "b"), ref(d1, "b"), ref(d1, "alpha"), ref(d1, "c"), ref(d1, "c"), ref(d1, shortener.LabelDirect),
			ref(d2, "b"), ref(d2, "alpha"), ref(d2, "Zeta"), ref(d2, "Zeta"),
		}))
		tests := []struct {
			name        string
			first, last time.Time
			top         int
			want        string
		}{
			{"top 3 ties by label", d1, d2, 3, "[{b 3} {Zeta 2} {alpha 2}]"},
			{"top 10 lists all", d1, d2, 10, "[{b 3} {Zeta 2} {alpha 2} {c 2} {(direct) 1}]"},
			{"top 1", d1, d2, 1, "[{b 3}]"},
			{"range changes the ranking", d2, d2, 2, "[{Zeta 2} {alpha 1}]"},
		}
		for _, tt := range tests {
			st := stats(t, s, l.ID, tt.first, tt.last, tt.top)
			if got := fmt.Sprint(st.Top[shortener.DimReferrer]); got != tt.want {
				t.Errorf("%s: top referrers = %s, want %s", tt.name, got, tt.want)
			}
			if got := len(st.Top[shortener.DimCountry]); got != 1 {
				t.Errorf("%s: %d countries, want 1", tt.name, got)
			}
		}
	})

	// Each dimension counts its values across batches and days, and
	// breaks ties in byte order, whichever way an engine stores it.
	t.Run("TopOfEveryDimensionAcrossBatches", func(t *testing.T) {
		s := open(t)
		d1 := time.Date(2026, 3, 14, 8, 0, 0, 0, time.UTC)
		d2 := d1.Add(24 * time.Hour)
		for _, dim := range shortener.Dimensions {
			l := mustLink(t, s, "top-"+dim)
			with := func(at time.Time, value string) shortener.ClickEvent {
				c := click(l.ID, at, "v")
				*map[string]*string{
					shortener.DimReferrer: &c.Referrer, shortener.DimCountry: &c.Country, shortener.DimBrowser: &c.Browser,
					shortener.DimOS: &c.OS, shortener.DimDevice: &c.Device, shortener.DimTarget: &c.Target,
				}[dim] = value
				return c
			}
			// b 3 (over two batches and two days); Zeta 2 and a:"x" 2 tie,
			// and "Zeta" sorts before `a:"x"` in byte order.
			noErr(t, s.Clicks.WriteClicks(ctx, []shortener.ClickEvent{with(d1, "b"), with(d1, `a:"x"`)}))
			noErr(t, s.Clicks.WriteClicks(ctx, []shortener.ClickEvent{with(d1, "b"), with(d1, "Zeta")}))
			noErr(t, s.Clicks.WriteClicks(ctx, []shortener.ClickEvent{with(d2, "b"), with(d2, `a:"x"`), with(d2, "Zeta"), with(d2, "c")}))
			want := `[{b 3} {Zeta 2} {a:"x" 2}]`
			if got := fmt.Sprint(stats(t, s, l.ID, d1, d2, 3).Top[dim]); got != want {
				t.Errorf("top %s = %s, want %s", dim, got, want)
			}
			want = `[{Zeta 1} {a:"x" 1} {b 1} {c 1}]`
			if got := fmt.Sprint(stats(t, s, l.ID, d2, d2, 10).Top[dim]); got != want {
				t.Errorf("top %s of the second day = %s, want %s", dim, got, want)
			}
		}
	})

	t.Run("EveryDimension", func(t *testing.T) {
		s := open(t)
		l := mustLink(t, s, "dims")
		c := click(l.ID, t0, "v")
		c.Referrer, c.Country, c.Browser, c.OS, c.Device = "r.example", "FR", "Firefox", "Linux", shortener.DeviceMobile
		c.Target = "https://example.com/variant-b"
		noErr(t, s.Clicks.WriteClicks(ctx, []shortener.ClickEvent{c}))
		st := stats(t, s, l.ID, t0, t0, 10)
		want := map[string]string{
			shortener.DimReferrer: "r.example", shortener.DimCountry: "FR", shortener.DimBrowser: "Firefox",
			shortener.DimOS: "Linux", shortener.DimDevice: shortener.DeviceMobile,
			shortener.DimTarget: "https://example.com/variant-b",
		}
		for dim, label := range want {
			if got := st.Top[dim]; len(got) != 1 || got[0] != (shortener.LabelCount{Label: label, Count: 1}) {
				t.Errorf("top %s = %+v, want [%s 1]", dim, got, label)
			}
		}
	})

	t.Run("NoClicks", func(t *testing.T) {
		s := open(t)
		l := mustLink(t, s, "none")
		for _, id := range []string{l.ID, shortener.NewID()} {
			st := stats(t, s, id, t0.Add(-30*24*time.Hour), t0, 10)
			if len(st.Days) != 0 {
				t.Errorf("days = %+v, want none", st.Days)
			}
			for _, dim := range shortener.Dimensions {
				if got, ok := st.Top[dim]; !ok || len(got) != 0 {
					t.Errorf("top %s = %+v (present %v), want present and empty", dim, got, ok)
				}
			}
		}
	})
}

// testContext checks that a cancelled context stops every method.
func testContext(t *testing.T, open func(t *testing.T) Stores) {
	s := open(t)
	u := mustUser(t, s, "ctx@example.com")
	tok := mustToken(t, s, u.ID, shortener.NewID())
	l := mustLink(t, s, "ctx")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	calls := map[string]func() error{
		"CreateUser":         func() error { return s.Users.CreateUser(ctx, newUser("x@example.com", t0)) },
		"UserByID":           func() error { _, err := s.Users.UserByID(ctx, u.ID); return err },
		"UserByEmail":        func() error { _, err := s.Users.UserByEmail(ctx, u.Email); return err },
		"SetUserRole":        func() error { return s.Users.SetUserRole(ctx, u.Email, shortener.RoleAdmin, t0) },
		"CreateRefreshToken": func() error { return s.Tokens.CreateRefreshToken(ctx, newToken(u.ID, tok.FamilyID, t0)) },
		"RefreshTokenByHash": func() error { _, err := s.Tokens.RefreshTokenByHash(ctx, tok.TokenHash); return err },
		"RotateRefreshToken": func() error {
			return s.Tokens.RotateRefreshToken(ctx, tok.ID, newToken(u.ID, tok.FamilyID, t0), t0)
		},
		"RevokeTokenFamily": func() error { return s.Tokens.RevokeTokenFamily(ctx, tok.FamilyID, t0) },
		"CreateLink":        func() error { return s.Links.CreateLink(ctx, newLink("ctx2", nil, t0)) },
		"LinkByID":          func() error { _, err := s.Links.LinkByID(ctx, l.ID); return err },
		"LinkByCode":        func() error { _, err := s.Links.LinkByCode(ctx, shortener.DefaultDomainID, l.ShortCode); return err },
		"ListLinks": func() error {
			_, err := s.Links.ListLinks(ctx, shortener.LinkQuery{OwnerID: u.ID, Offset: 0, Limit: 10})
			return err
		},
		"UpdateLink": func() error {
			_, err := s.Links.UpdateLink(ctx, l.ID, shortener.LinkUpdate{IsActive: ptr(false)}, t0)
			return err
		},
		"DeleteLink": func() error { return s.Links.DeleteLink(ctx, l.ID) },
		"WriteClicks": func() error {
			return s.Clicks.WriteClicks(ctx, []shortener.ClickEvent{click(l.ID, t0, "v")})
		},
		"ClickStats": func() error { _, err := s.Clicks.ClickStats(ctx, l.ID, t0, t0, 10); return err },
	}
	for name, call := range calls {
		if err := call(); err == nil {
			t.Errorf("%s with a cancelled context succeeded", name)
		} else if code := shortener.ErrorCode(err); code != shortener.EINTERNAL {
			t.Errorf("%s with a cancelled context: code %q, want an internal error", name, code)
		}
	}
	// Nothing was written.
	if got, err := s.Links.LinkByID(context.Background(), l.ID); err != nil || got.ClickCount != 0 {
		t.Errorf("after cancelled calls: link %+v, %v; want it intact with no clicks", got, err)
	}
	if got := tokenByHash(t, s, tok.TokenHash); got.ConsumedAt != nil || got.RevokedAt != nil {
		t.Errorf("after cancelled calls: token %+v, want untouched", got)
	}
}
