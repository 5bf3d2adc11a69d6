package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestSignedOutGoesToLogin(t *testing.T) {
	e := newEnv(t)
	tests := []struct{ target, want string }{
		{"/app", "/app/login?next=%2Fapp"},
		{"/app/", "/app/login?next=%2Fapp%2F"},
		{"/app/account", "/app/login?next=%2Fapp%2Faccount"},
		{"/app/links/" + linkID + "?days=7", "/app/login?next=%2Fapp%2Flinks%2F" + linkID + "%3Fdays%3D7"},
		{"/app/nope", "/app/login?next=%2Fapp%2Fnope"},
	}
	for _, tt := range tests {
		p := e.browser().get(tt.target)
		wantStatus(t, p, http.StatusSeeOther)
		if got := p.Header.Get("Location"); got != tt.want {
			t.Errorf("GET %s → %q, want %q", tt.target, got, tt.want)
		}
	}
	// Signed in, /app/ is the list at its one address.
	p := e.signedIn(alice).get("/app/")
	if got := p.Header.Get("Location"); p.StatusCode != http.StatusMovedPermanently || got != "/app" {
		t.Errorf("GET /app/ signed in → %d %q, want 301 to /app", p.StatusCode, got)
	}
	// A form posted without a session comes back to the list, not to
	// the form's target.
	p = e.browser().do(http.MethodPost, "/app/links", url.Values{})
	if got := p.Header.Get("Location"); p.StatusCode != http.StatusSeeOther || got != "/app/login" {
		t.Errorf("POST without session → %d %q", p.StatusCode, got)
	}
}

func TestLoginNextIsSameSiteOnly(t *testing.T) {
	e := newEnv(t)
	for _, next := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example", "/\t/evil.example", "javascript:alert(1)", "app"} {
		b := e.browser()
		p := b.get("/app/login?next=" + url.QueryEscape(next))
		wantBody(t, p, `<input type="hidden" name="next" value="">`)
		p = b.submit("/app/login", url.Values{"email": {alice.Email}, "password": {"Secret123"}, "next": {next}})
		if got := p.Header.Get("Location"); got != "/app" {
			t.Errorf("next=%q: redirected to %q, want /app", next, got)
		}
	}
	b := e.browser()
	b.get("/app/login?next=%2Fapp%2Faccount")
	p := b.submit("/app/login", url.Values{"email": {alice.Email}, "password": {"Secret123"}, "next": {"/app/account"}})
	if got := p.Header.Get("Location"); got != "/app/account" {
		t.Errorf("next=/app/account: redirected to %q", got)
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/app": "/app", "/app/links/x?days=7": "/app/links/x?days=7", "/": "/",
		"": "", "app": "", "//evil.com": "", "///evil.com": "", "/\\evil.com": "", "/\\/evil.com": "",
		"https://evil.com": "", "/ /evil.com": "", "/\n/evil.com": "", "/app\x00": "",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"/app?page=2": "/app?page=2", "/account": "/app", "/application": "/app", "/app/account": "/app/account"} {
		if got := safeReturn(in); got != want {
			t.Errorf("safeReturn(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSessionRotationAndExpiry(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn(alice)
	e.sessions.rotate["sess-u-alice"] = "sess-rotated"
	p := b.get("/app")
	wantStatus(t, p, http.StatusOK)
	if got := b.cookies[sessionCookie]; got != "sess-rotated" {
		t.Errorf("session cookie %q after rotation, want the new token", got)
	}
	// Forms of a page rendered before the rotation still work: the token
	// is bound to the browser and the user, not to the rotating session.
	before := b.last
	e.sessions.rotate["sess-rotated"] = "sess-rotated-again"
	b.get("/app/account")
	b.last = before
	p = b.submit("/app/links", url.Values{"original_url": {"https://example.com/"}})
	wantStatus(t, p, http.StatusSeeOther)

	// A session the service refuses is cleared and sent to log in.
	delete(e.sessions.tokens, b.cookies[sessionCookie])
	p = b.get("/app")
	wantStatus(t, p, http.StatusSeeOther)
	if _, ok := b.cookies[sessionCookie]; ok {
		t.Error("refused session cookie kept")
	}
	if !strings.Contains(p.Header.Values("Set-Cookie")[0], "Max-Age=0") {
		t.Errorf("cookie not deleted: %q", p.Header.Values("Set-Cookie"))
	}
	// The login page says why, once.
	wantBody(t, b.get(p.Header.Get("Location")), "Your session has ended")
	if strings.Contains(b.get("/app/login").Body, "session has ended") {
		t.Error("the notice shown twice")
	}

	// A form sent once the session has ended: the login says it was not
	// saved, and comes back to the page the form was on.
	b = e.signedIn(alice)
	b.get("/app/links/" + linkID)
	delete(e.sessions.tokens, b.cookies[sessionCookie])
	b.referer = "http://example.com/app/links/" + linkID
	p = b.submit("/app/links/"+linkID+"/edit", url.Values{"original_url": {"https://example.com/typed"}})
	if got := p.Header.Get("Location"); p.StatusCode != http.StatusSeeOther || got != "/app/login?next=%2Fapp%2Flinks%2F"+linkID {
		t.Errorf("a form without its session → %d %q", p.StatusCode, got)
	}
	wantBody(t, b.get(p.Header.Get("Location")), "what you sent was not saved")
	// A Referer of another site is no way back.
	b = e.signedIn(alice)
	b.get("/app")
	delete(e.sessions.tokens, b.cookies[sessionCookie])
	b.referer = "https://evil.example/app/links/" + linkID
	if got := b.submit("/app/links", url.Values{}).Header.Get("Location"); got != "/app/login" {
		t.Errorf("a form from another site's page → %q, want /app/login", got)
	}
}

func TestUncleanPathsAreNotRedirected(t *testing.T) {
	e := newEnv(t)
	for _, target := range []string{"//app", "/app//links", "/app/./account", "/static/../app"} {
		p := e.browser().get(target)
		if p.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d %q, want 404", target, p.StatusCode, p.Header.Get("Location"))
		}
	}
}
