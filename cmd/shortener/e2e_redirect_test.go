package main

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// expectHTMLPage checks the small HTML page browsers get for 404 and 410.
func expectHTMLPage(t *testing.T, r *result, status int) {
	t.Helper()
	expectStatus(t, r, status)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("%s: Content-Type %q, want text/html", r, ct)
	}
	if !strings.Contains(strings.ToLower(string(r.Body)), "<html") {
		t.Errorf("%s: not an HTML page", r)
	}
}

var browser = withHeader("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")

// TestE2ERedirect covers GET and HEAD /{short_code}.
func TestE2ERedirect(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		acct := srv.newAccount(t)

		t.Run("302 with headers, GET and HEAD", func(t *testing.T) {
			target := "https://example.com/landing?q=1&r=%C3%A9#frag"
			l := srv.link(t, acct.access, target)
			code := str(l["short_code"])
			expectRedirect(t, srv.redirect(t, code), target)
			expectRedirect(t, srv.redirect(t, code, browser), target)
			h := srv.do(t, "HEAD", "/"+code, nil)
			expectRedirect(t, h, target)
			if len(h.Body) != 0 {
				t.Errorf("HEAD with a body: %s", h)
			}
			// A query string on the short link is not part of the code.
			expectRedirect(t, srv.redirect(t, code+"?utm=x"), target)
		})
		t.Run("Location is ASCII: IDN host in xn--, other bytes percent-encoded", func(t *testing.T) {
			l := srv.link(t, acct.access, "https://bücher.example/straße?q=ä")
			if got := str(l["original_url"]); got != "https://bücher.example/straße?q=ä" {
				t.Errorf("original_url %q, want it as given", got)
			}
			expectRedirect(t, srv.redirect(t, str(l["short_code"])), "https://xn--bcher-kva.example/stra%C3%9Fe?q=%C3%A4")
		})
		t.Run("unknown code is 404, HTML for browsers", func(t *testing.T) {
			expectProblem(t, srv.redirect(t, "NoSuchCode1"), http.StatusNotFound)
			expectHTMLPage(t, srv.redirect(t, "NoSuchCode1", browser), http.StatusNotFound)
			expectProblem(t, srv.redirect(t, "NoSuchCode1"), http.StatusNotFound)
			h := srv.do(t, "HEAD", "/NoSuchCode1", nil)
			expectStatus(t, h, http.StatusNotFound)
		})
		t.Run("expired is 410, HTML for browsers", func(t *testing.T) {
			exp := time.Now().Add(3 * time.Second).UTC().Truncate(time.Second)
			l := srv.createLink(t, acct.access, map[string]any{"original_url": "https://example.com/soon", "expires_at": exp.Format(time.RFC3339)})
			code := str(l["short_code"])
			// Redirect before the expiry so that every cache holds the link.
			expectRedirect(t, srv.redirect(t, code), "https://example.com/soon")
			time.Sleep(time.Until(exp) + 300*time.Millisecond)
			expectProblem(t, srv.redirect(t, code), http.StatusGone)
			expectHTMLPage(t, srv.redirect(t, code, browser), http.StatusGone)
			expectStatus(t, srv.do(t, "HEAD", "/"+code, nil), http.StatusGone)
			// Clearing the expiry brings it back at once.
			r := srv.do(t, "PATCH", "/api/v1/urls/"+str(l["id"]), rawBody(`{"expires_at": null}`), withToken(acct.access))
			expectJSON(t, r, http.StatusOK)
			expectRedirect(t, srv.redirect(t, code), "https://example.com/soon")
		})
		t.Run("disabled is 404, HTML for browsers", func(t *testing.T) {
			l := srv.link(t, acct.access, "https://example.com/off")
			code := str(l["short_code"])
			expectRedirect(t, srv.redirect(t, code), "https://example.com/off")
			expectJSON(t, srv.do(t, "PATCH", "/api/v1/urls/"+str(l["id"]), map[string]any{"is_active": false}, withToken(acct.access)), http.StatusOK)
			expectProblem(t, srv.redirect(t, code), http.StatusNotFound)
			expectHTMLPage(t, srv.redirect(t, code, browser), http.StatusNotFound)
		})
		t.Run("private links still redirect", func(t *testing.T) {
			l := srv.createLink(t, acct.access, map[string]any{"original_url": "https://example.com/private", "is_public": false})
			expectRedirect(t, srv.redirect(t, str(l["short_code"])), "https://example.com/private")
		})
		t.Run("reserved paths are not codes", func(t *testing.T) {
			r := srv.do(t, "GET", "/docs", nil)
			expectStatus(t, r, http.StatusOK)
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("/docs Content-Type %q", ct)
			}
			r = srv.do(t, "GET", "/openapi.json", nil)
			expectStatus(t, r, http.StatusOK)
			if r.object(t)["openapi"] == nil {
				t.Errorf("/openapi.json is not the OpenAPI document")
			}
			expectStatus(t, srv.do(t, "GET", "/healthz", nil), http.StatusOK)
			expectStatus(t, srv.do(t, "GET", "/metrics", nil), http.StatusOK)
		})
		t.Run("a code created after a cached 404 redirects at once", func(t *testing.T) {
			a := alias("newalias")
			expectProblem(t, srv.redirect(t, a), http.StatusNotFound)
			expectProblem(t, srv.redirect(t, a), http.StatusNotFound)
			srv.createLink(t, acct.access, map[string]any{"original_url": "https://example.com/new", "custom_alias": a})
			expectRedirect(t, srv.redirect(t, a), "https://example.com/new")
		})
		t.Run("deleted code answers 404 at once after being cached", func(t *testing.T) {
			l := srv.link(t, acct.access, "https://example.com/gone")
			code := str(l["short_code"])
			for range 3 {
				expectRedirect(t, srv.redirect(t, code), "https://example.com/gone")
			}
			expectStatus(t, srv.do(t, "DELETE", "/api/v1/urls/"+str(l["id"]), nil, withToken(acct.access)), http.StatusNoContent)
			expectProblem(t, srv.redirect(t, code), http.StatusNotFound)
			expectHTMLPage(t, srv.redirect(t, code, browser), http.StatusNotFound)
		})
	})
}
