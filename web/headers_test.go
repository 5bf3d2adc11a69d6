package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Every page and asset sends the security headers, the error pages and
// redirects included.
func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	e.addLink(alice, "00000000-0000-7000-8000-000000000001", "abc", "https://example.com/")
	css, _ := e.app.assets.url("app.css")
	tests := []struct {
		name   string
		signed bool
		method string
		target string
	}{
		{"home", false, "GET", "/"},
		{"login", false, "GET", "/app/login"},
		{"signup", false, "GET", "/app/signup"},
		{"redirect to login", false, "GET", "/app"},
		{"links", true, "GET", "/app"},
		{"link", true, "GET", "/app/links/00000000-0000-7000-8000-000000000001"},
		{"account", true, "GET", "/app/account"},
		{"not found", false, "GET", "/nope"},
		{"not found in app", true, "GET", "/app/nope"},
		{"stylesheet", false, "GET", css},
		{"qr", false, "GET", "/app/qr/abc.svg"},
		{"forged form", false, "POST", "/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := e.browser()
			if tt.signed {
				b = e.signedIn(alice)
			}
			var p page
			if tt.method == "POST" {
				p = b.do(http.MethodPost, tt.target, url.Values{"original_url": {"https://example.com"}})
			} else {
				p = b.get(tt.target)
			}
			csp := p.Header.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'",
				"frame-ancestors 'none'", "form-action 'self'", "base-uri 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "http") {
				t.Errorf("CSP %q allows inline code or another origin", csp)
			}
			if got := p.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options %q", got)
			}
			if got := p.Header.Get("Referrer-Policy"); got != "strict-origin-when-cross-origin" {
				t.Errorf("Referrer-Policy %q", got)
			}
		})
	}
}

// The CSP forbids inline script and style, so no page may carry any: a
// style attribute or an inline handler would silently do nothing.
func TestPagesHaveNoInlineCode(t *testing.T) {
	e := newEnv(t)
	e.addLink(alice, "00000000-0000-7000-8000-000000000001", "abc", "https://example.com/")
	e.summaries.summary = sampleSummary()
	for _, target := range []string{"/", "/app/login", "/app/signup", "/nope"} {
		checkNoInlineCode(t, target, e.browser().get(target).Body)
	}
	for _, target := range []string{"/app", "/app/links/00000000-0000-7000-8000-000000000001", "/app/account"} {
		checkNoInlineCode(t, target, e.signedIn(alice).get(target).Body)
	}
}

func checkNoInlineCode(t *testing.T, target, body string) {
	t.Helper()
	lower := strings.ToLower(body)
	for _, bad := range []string{" style=", "<style", " onclick=", " onsubmit=", " onload=", "javascript:"} {
		if strings.Contains(lower, bad) {
			t.Errorf("%s contains %q", target, bad)
		}
	}
	for _, s := range strings.Split(lower, "<script")[1:] {
		if !strings.HasPrefix(strings.TrimSpace(s), "src=") {
			t.Errorf("%s has an inline script", target)
		}
	}
}

// A page's path with a method it does not take is a 405 page with Allow,
// never a redirect; an unknown path stays a 404 whatever the method.
func TestWrongMethods(t *testing.T) {
	e := newEnv(t)
	e.addLink(alice, "00000000-0000-7000-8000-000000000001", "abc", "https://example.com/")
	b := e.signedIn(alice)
	for _, c := range []struct {
		method, target string
		status         int
		allow          string
	}{
		{"PUT", "/app", http.StatusMethodNotAllowed, "GET, HEAD"},
		{"DELETE", "/app", http.StatusMethodNotAllowed, "GET, HEAD"},
		{"OPTIONS", "/app", http.StatusMethodNotAllowed, "GET, HEAD"},
		{"PUT", "/app/account", http.StatusMethodNotAllowed, "GET, HEAD"},
		{"GET", "/app/links/00000000-0000-7000-8000-000000000001/delete", http.StatusMethodNotAllowed, "POST"},
		{"PUT", "/app/nope", http.StatusNotFound, ""},
	} {
		p := b.do(c.method, c.target, nil)
		if p.StatusCode != c.status || p.Header.Get("Allow") != c.allow || p.Header.Get("Location") != "" ||
			p.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("%s %s: %d, Allow %q, Location %q; want %d, Allow %q, a page", c.method, c.target,
				p.StatusCode, p.Header.Get("Allow"), p.Header.Get("Location"), c.status, c.allow)
		}
	}
	// Signed out, the app's paths lead to the login as ever.
	if p := e.browser().do("PUT", "/app", nil); p.StatusCode != http.StatusSeeOther {
		t.Errorf("PUT /app signed out: %d, want the way to the login", p.StatusCode)
	}
}
