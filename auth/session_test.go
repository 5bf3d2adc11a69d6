package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/auth"
	"github.com/shortener-dev/shortener/internal/testdb"
	"github.com/shortener-dev/shortener/storetest"
)

func newGraceService(s storetest.Stores, clock interface{ Now() time.Time }) *auth.Service {
	return auth.NewService(auth.Config{
		Users: s.Users, Tokens: s.Tokens, Secret: secret, BcryptCost: 4, Clock: clock.Now,
		AccessTTL: 30 * time.Minute, RefreshTTL: 30 * 24 * time.Hour, ReuseGrace: 5 * time.Second,
	})
}

// A web session resumes from its token, rotates it after a while (a
// parallel request with the old token still resumes), detects a replay of
// a rotated token later, and ends at logout.
func TestSessions(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		ctx := context.Background()
		clock := newFakeClock()
		svc := newGraceService(s, clock)
		u, err := svc.Register(ctx, "web@example.com", "Correct7Horse", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Start(ctx, "web@example.com", "Wrong7Horse", client); shortener.ErrorCode(err) != shortener.EUNAUTHORIZED {
			t.Fatalf("start with a wrong password: %v", err)
		}
		token, err := svc.Start(ctx, "web@example.com", "Correct7Horse", client)
		if err != nil {
			t.Fatal(err)
		}
		got, next, err := svc.Resume(ctx, token, client)
		if err != nil || got.ID != u.ID || next != "" {
			t.Fatalf("fresh session: %v, %q, %v", got, next, err)
		}

		clock.Advance(16 * time.Minute)
		got, next, err = svc.Resume(ctx, token, client)
		if err != nil || got.ID != u.ID || next == "" || next == token {
			t.Fatalf("old session not rotated: %v, %q, %v", got, next, err)
		}
		// A request that left the browser with the old cookie before the
		// rotation arrived still resumes, and rotates nothing.
		clock.Advance(time.Second)
		if got, again, err := svc.Resume(ctx, token, client); err != nil || got.ID != u.ID || again != "" {
			t.Fatalf("parallel request within the grace: %v, %q, %v", got, again, err)
		}
		// The old cookie replayed later is a stolen copy: the session ends.
		clock.Advance(10 * time.Second)
		if _, _, err := svc.Resume(ctx, token, client); shortener.ErrorCode(err) != shortener.EUNAUTHORIZED {
			t.Fatalf("replayed rotated token: %v", err)
		}
		if _, _, err := svc.Resume(ctx, next, client); shortener.ErrorCode(err) != shortener.EUNAUTHORIZED {
			t.Fatalf("session survived the replay of its old token: %v", err)
		}

		fresh, err := svc.Start(ctx, "web@example.com", "Correct7Horse", client)
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.End(ctx, fresh); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Resume(ctx, fresh, client); shortener.ErrorCode(err) != shortener.EUNAUTHORIZED {
			t.Fatalf("session resumed after logout: %v", err)
		}
		if err := svc.End(ctx, "unknown"); err != nil {
			t.Fatalf("ending an unknown session: %v", err)
		}
	})
}

// A password change needs the current password and ends the user's other
// logins, API and web alike, but keeps the one it was made from.
func TestUpdateProfile(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		ctx := context.Background()
		svc := newGraceService(s, newFakeClock())
		pair := registerAndLogin(t, svc)
		other, err := svc.Login(ctx, "ada@example.com", "Correct7Horse", client)
		if err != nil {
			t.Fatal(err)
		}
		session, err := svc.Start(ctx, "ada@example.com", "Correct7Horse", client)
		if err != nil {
			t.Fatal(err)
		}

		name := "  Ada King  "
		u, err := svc.UpdateProfile(ctx, pair.AccessToken, auth.ProfileUpdate{FullName: &name})
		if err != nil || u.FullName != "Ada King" {
			t.Fatalf("name change: %+v, %v", u, err)
		}
		bad := "Ada\u202eKing"
		_, err = svc.UpdateProfile(ctx, pair.AccessToken, auth.ProfileUpdate{FullName: &bad})
		wantCode(t, err, shortener.EINVALID)
		// A current password sent with a name change alone is checked too.
		renamed := "Grace Hopper"
		_, err = svc.UpdateProfile(ctx, pair.AccessToken, auth.ProfileUpdate{FullName: &renamed, CurrentPassword: "Wrong7Horse"})
		wantCode(t, err, shortener.EFORBIDDEN)
		if u, err := svc.UpdateProfile(ctx, pair.AccessToken, auth.ProfileUpdate{FullName: &renamed, CurrentPassword: "Correct7Horse"}); err != nil || u.FullName != renamed {
			t.Fatalf("name change with the right current password: %+v, %v", u, err)
		}

		pw := "Newer8Horse"
		_, err = svc.UpdateProfile(ctx, pair.AccessToken, auth.ProfileUpdate{Password: &pw})
		wantCode(t, err, shortener.EINVALID) // the current password is required
		_, err = svc.UpdateProfile(ctx, pair.AccessToken, auth.ProfileUpdate{Password: &pw, CurrentPassword: "Wrong7Horse"})
		wantCode(t, err, shortener.EFORBIDDEN)
		weak := "short"
		_, err = svc.UpdateProfile(ctx, pair.AccessToken, auth.ProfileUpdate{Password: &weak, CurrentPassword: "Correct7Horse"})
		wantCode(t, err, shortener.EINVALID)

		if _, err := svc.UpdateProfile(ctx, pair.AccessToken, auth.ProfileUpdate{Password: &pw, CurrentPassword: "Correct7Horse"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Refresh(ctx, pair.RefreshToken, client); err != nil {
			t.Fatalf("the login that changed the password was ended: %v", err)
		}
		_, err = svc.Refresh(ctx, other.RefreshToken, client)
		wantCode(t, err, shortener.EUNAUTHORIZED)
		_, _, err = svc.Resume(ctx, session, client)
		wantCode(t, err, shortener.EUNAUTHORIZED)
		if _, err := svc.Login(ctx, "ada@example.com", pw, client); err != nil {
			t.Fatalf("login with the new password: %v", err)
		}

		// From the web app (a caller it authenticated): every login ends,
		// the web app starts a fresh session with the new password.
		web, err := svc.Start(ctx, "ada@example.com", pw, client)
		if err != nil {
			t.Fatal(err)
		}
		u, _, err = svc.Resume(ctx, web, client)
		if err != nil {
			t.Fatal(err)
		}
		back := "Correct7Horse"
		if _, err := svc.UpdateProfileOf(ctx, u, "", auth.ProfileUpdate{Password: &back, CurrentPassword: "Wrong7Horse"}); shortener.ErrorCode(err) != shortener.EFORBIDDEN {
			t.Fatalf("wrong current password from the web app: %v", err)
		}
		if _, err := svc.UpdateProfileOf(ctx, u, "", auth.ProfileUpdate{Password: &back, CurrentPassword: pw}); err != nil {
			t.Fatal(err)
		}
		_, _, err = svc.Resume(ctx, web, client)
		wantCode(t, err, shortener.EUNAUTHORIZED)
	})
}
