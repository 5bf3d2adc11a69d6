package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestHomeShortensWithoutAccount(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	p := b.get("/")
	wantStatus(t, p, http.StatusOK)
	wantBody(t, p, `<html lang="en">`, ` autofocus`, `action="/"`, `href="/app/signup"`, `href="/app/login"`)
	if got := p.Header.Get("Cache-Control"); got != "no-cache" {
		t.Errorf("home Cache-Control %q, want no-cache", got)
	}
	p = b.submit("/", url.Values{"original_url": {"https://example.com/a/long/page"}})
	wantStatus(t, p, http.StatusSeeOther)
	if e.links.links[0].OwnerID != nil {
		t.Error("an anonymous link got an owner")
	}
	if c := e.limiter.calls(); len(c) != 1 || c[0].Class != classUser || c[0].User != "" {
		t.Errorf("limiter asked %+v, want the anonymous bucket", c)
	}
	p = b.get("/")
	wantBody(t, p, `href="https://sho.rt/new1234">sho.rt/new1234</a>`, `data-copy="https://sho.rt/new1234"`,
		`src="/app/qr/new1234.svg"`, `value="https://example.com/a/long/page"`)
	if got := p.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("result Cache-Control %q, want no-store", got)
	}
	if strings.Contains(p.Body, " autofocus") {
		t.Error("the result page steals focus back to the field")
	}
}

func TestHomeErrorsAndSignedIn(t *testing.T) {
	e := newEnv(t)
	e.links.createErr = invalid("body.original_url", "URL must use http or https")
	b := e.browser()
	b.get("/")
	p := b.submit("/", url.Values{"original_url": {"ftp://example.com/"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantBody(t, p, `id="original_url-error">URL must use http or https.</p>`, `value="ftp://example.com/"`)

	e.links.createErr = nil
	e.limiter.refuse[classUser] = time.Second
	p = b.submit("/", url.Values{"original_url": {"https://example.com/"}})
	wantStatus(t, p, http.StatusTooManyRequests)
	wantBody(t, p, "Too many requests; try again in 1 second.", `value="https://example.com/"`)

	// Signed in, the home page makes the user's own link.
	delete(e.limiter.refuse, classUser)
	s := e.signedIn(alice)
	wantBody(t, s.get("/"), `href="/app/account"`)
	s.submit("/", url.Values{"original_url": {"https://example.com/"}})
	if o := e.links.links[0].OwnerID; o == nil || *o != alice.ID {
		t.Error("the signed-in user's link is not theirs")
	}
}

func TestWithScheme(t *testing.T) {
	for in, want := range map[string]string{
		"example.com": "https://example.com", "http://x.org": "http://x.org", "": "",
		"example.com:8080/x": "https://example.com:8080/x", "localhost:3000": "https://localhost:3000",
		"javascript:alert(1)": "javascript:alert(1)", "mailto:a@example.com": "mailto:a@example.com",
		"example.com/a:b": "https://example.com/a:b",
	} {
		if got := withScheme(in); got != want {
			t.Errorf("withScheme(%q) = %q", in, got)
		}
	}
}

// The brand leads a signed-in user to the links, and others to the home
// page: / may be the default domain's root_url, outside the app.
func TestBrandLink(t *testing.T) {
	e := newEnv(t)
	wantBody(t, e.signedIn(alice).get("/app"), `<a class="brand" href="/app">`)
	wantBody(t, e.browser().get("/app/login"), `<a class="brand" href="/">`)
}
