package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A form without a valid token changes nothing and says it expired.
func TestCSRF(t *testing.T) {
	form := func() url.Values { return url.Values{"original_url": {"https://example.com/"}} }
	t.Run("signed in", func(t *testing.T) {
		e := newEnv(t)
		b := e.signedIn(alice)
		b.get("/app")
		aliceToken := csrfOf(b.last)

		for name, token := range map[string]string{"missing": "", "wrong": "bm90LWEtdG9rZW4", "garbage": "%%%"} {
			f := form()
			if token != "" {
				f.Set(csrfField, token)
			}
			p := b.do(http.MethodPost, "/app/links", f)
			wantStatus(t, p, http.StatusForbidden)
			wantBody(t, p, "This form has expired; reload the page and try again.")
			if n := e.links.count("Create"); n != 0 {
				t.Fatalf("%s token: Create called %d times", name, n)
			}
		}

		// A form over the limit is 413 (as in the API), and changes nothing.
		f := form()
		f.Set("title", strings.Repeat("x", maxFormBytes))
		p := b.submit("/app/links", f)
		wantStatus(t, p, http.StatusRequestEntityTooLarge)
		wantBody(t, p, "This form is larger than 64 KiB")
		if n := e.links.count("Create"); n != 0 {
			t.Fatalf("an oversized form: Create called %d times", n)
		}

		// Bob's valid pair (his seed, his token) planted in Alice's
		// browser does not work for Alice: the token is bound to the user.
		bobBrowser := e.signedIn(bob)
		bobBrowser.get("/app")
		b.cookies[csrfCookie] = bobBrowser.cookies[csrfCookie]
		f = form()
		f.Set(csrfField, csrfOf(bobBrowser.last))
		wantStatus(t, b.do(http.MethodPost, "/app/links", f), http.StatusForbidden)

		// Alice's token without her seed cookie fails too.
		delete(b.cookies, csrfCookie)
		f.Set(csrfField, aliceToken)
		wantStatus(t, b.do(http.MethodPost, "/app/links", f), http.StatusForbidden)
		if n := e.links.count("Create"); n != 0 {
			t.Fatalf("Create called %d times", n)
		}

		b.get("/app")
		wantStatus(t, b.submit("/app/links", form()), http.StatusSeeOther)
		if n := e.links.count("Create"); n != 1 {
			t.Errorf("Create called %d times with the right token, want 1", n)
		}
	})
	t.Run("signed out", func(t *testing.T) {
		e := newEnv(t)
		b := e.browser()
		wantStatus(t, b.do(http.MethodPost, "/", form()), http.StatusForbidden)
		p := b.do(http.MethodPost, "/app/login", url.Values{"email": {alice.Email}, "password": {"Secret123"}})
		wantStatus(t, p, http.StatusForbidden)
		if e.links.count("Create")+e.sessions.count("Start") != 0 {
			t.Fatal("a forged form reached a service")
		}
		b.get("/")
		wantStatus(t, b.submit("/", form()), http.StatusSeeOther)
		if n := e.links.count("Create"); n != 1 {
			t.Errorf("Create called %d times with the right token, want 1", n)
		}
	})
	t.Run("every signed-in form", func(t *testing.T) {
		e := newEnv(t)
		e.addLink(alice, linkID, "abc", "https://example.com/")
		b := e.signedIn(alice)
		b.get("/app")
		for _, target := range []string{"/app/links", "/app/links/" + linkID + "/edit", "/app/links/" + linkID + "/toggle",
			"/app/links/" + linkID + "/delete", "/app/account/name", "/app/account/password", "/app/logout"} {
			f := url.Values{"confirmed": {"yes"}, "is_active": {"false"}, csrfField: {"bm90LWEtdG9rZW4"}}
			wantStatus(t, b.do(http.MethodPost, target, f), http.StatusForbidden)
		}
		if e.links.count("Update")+e.links.count("Delete")+e.accounts.count("UpdateProfile")+e.sessions.count("End") != 0 {
			t.Error("a forged form reached a service")
		}
	})
}
