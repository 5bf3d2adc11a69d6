package web

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/shortener-dev/shortener"
)

func TestAccountName(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn(alice)
	wantBody(t, b.get("/app/account"), `value="Alice"`, "alice@example.com")
	p := b.submit("/app/account/name", url.Values{"full_name": {"  Alice B.  "}})
	wantStatus(t, p, http.StatusSeeOther)
	if got := *e.accounts.updates[0].FullName; got != "Alice B." {
		t.Errorf("name saved as %q", got)
	}
	wantBody(t, b.get("/app/account"), "Your name is saved.")

	e.accounts.updateErr = shortener.Invalid("body.full_name", "full_name must not contain control characters", nil)
	p = b.submit("/app/account/name", url.Values{"full_name": {"A\u202eB"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantBody(t, p, `id="full_name-error">Name must not contain control characters.</p>`, "value=\"A\u202eB\"")
}

func TestAccountPassword(t *testing.T) {
	e := newEnv(t)
	e.sessions.passwords[alice.Email] = "NewSecret9"
	b := e.signedIn(alice)
	b.get("/app/account")

	p := b.submit("/app/account/password", url.Values{"current_password": {"Secret123"}, "password": {"NewSecret9"}, "password_confirm": {"NewSecret8"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantBody(t, p, `id="password_confirm-error">The two new passwords differ`)
	if n := e.accounts.count("UpdateProfile"); n != 0 {
		t.Fatal("mismatched passwords were sent")
	}

	e.accounts.updateErr = shortener.Errorf(shortener.EFORBIDDEN, "Current password is wrong.")
	p = b.submit("/app/account/password", url.Values{"current_password": {"nope"}, "password": {"NewSecret9"}, "password_confirm": {"NewSecret9"}})
	wantStatus(t, p, http.StatusForbidden)
	wantBody(t, p, `id="current_password-error">This is not your current password.</p>`)

	e.accounts.updateErr = shortener.Invalid("body.password", "password must contain a digit", nil)
	p = b.submit("/app/account/password", url.Values{"current_password": {"Secret123"}, "password": {"weakweak"}, "password_confirm": {"weakweak"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantBody(t, p, `id="password-error">Password must contain a digit.</p>`)

	// Success: the other sessions end in the service; this browser gets a
	// session of the new password and the old one is ended.
	e.accounts.updateErr = nil
	p = b.submit("/app/account/password", url.Values{"current_password": {"Secret123"}, "password": {"NewSecret9"}, "password_confirm": {"NewSecret9"}})
	wantStatus(t, p, http.StatusSeeOther)
	in := e.accounts.updates[len(e.accounts.updates)-1]
	if *in.Password != "NewSecret9" || in.CurrentPassword != "Secret123" {
		t.Errorf("profile update %+v", in)
	}
	if !slices.Equal(e.sessions.ended, []string{"sess-u-alice"}) || b.cookies[sessionCookie] != "tok-1" {
		t.Errorf("ended %q, cookie %q: want the old session ended and a new one set", e.sessions.ended, b.cookies[sessionCookie])
	}
	wantBody(t, b.get("/app/account"), "Password changed.")
}
