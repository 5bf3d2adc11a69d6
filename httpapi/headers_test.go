package httpapi_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/shortener-dev/shortener"
)

// Every answer, whoever writes it (huma, the redirect, the mux, promhttp,
// a refusal before routing), tells browsers not to sniff its type.
func TestEveryResponseSendsNosniff(t *testing.T) {
	f := withAnswers(redirectFakes())
	srv := f.server()
	for _, tt := range []struct{ method, target, body string }{
		{"GET", "/live", ""}, {"HEAD", "/live", ""}, {"GET", "/unknown", ""}, {"GET", "/old", ""},
		{"GET", "/api/v1/health", ""}, {"GET", "/api/v1/urls", ""}, {"GET", linkPath, ""},
		{"POST", "/api/v1/urls", `{"original_url":"https://example.com"}`}, {"POST", "/api/v1/urls", `{`},
		{"GET", "/api/v1/qr/abc", ""}, {"GET", "/api/v1/nope", ""}, {"PUT", "/api/v1/urls", ""},
		{"BREW", "/", ""}, {"GET", "/healthz", ""}, {"GET", "/metrics", ""}, {"GET", "/openapi.json", ""},
		{"GET", "/docs", ""}, {"GET", "//live", ""},
	} {
		for _, accept := range []string{"application/json", "text/html"} {
			w := serve(t, srv, tt.method, tt.target, tt.body, append(bearer(adaToken), "Accept", accept)...)
			if got := w.Header().Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("%s %s (Accept %s): status %d, X-Content-Type-Options %q", tt.method, tt.target, accept, w.Code, got)
			}
		}
	}
	f.limiter.deny = true
	if w := serve(t, f.server(), "GET", "/api/v1/urls", "", bearer(adaToken)...); w.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("429: no nosniff")
	}
	f = withAnswers(newFakes())
	f.links.err = errors.New("boom")
	if w := serve(t, f.server(), "GET", linkPath, ""); w.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("500: no nosniff")
	}
}

// The HTML pages of a missed redirect load nothing but the web app's
// stylesheet, and tell where they came from only to their origin.
func TestMissPagePolicy(t *testing.T) {
	for _, code := range []string{"unknown", "old"} {
		w := serve(t, redirectFakes().server(), "GET", "/"+code, "", "Accept", "text/html")
		body := w.Body.String()
		if !strings.Contains(body, `<link rel="stylesheet" href="`+testStylesheet+`">`) || strings.Contains(body, "<style") || strings.Contains(body, "style=") {
			t.Errorf("%s: the page does not use the app's stylesheet alone: %q", code, body)
		}
		csp := w.Header().Get("Content-Security-Policy")
		want := map[string]string{
			"default-src":     "'none'",
			"style-src":       "'self'",
			"frame-ancestors": "'none'",
			"base-uri":        "'none'",
		}
		got := map[string]string{}
		for _, d := range strings.Split(csp, ";") {
			name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
			got[name] = value
		}
		for name, value := range want {
			if got[name] != value {
				t.Errorf("%s: CSP %s %q, want %q (policy %q)", code, name, got[name], value, csp)
			}
		}
		if strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q allows unsafe-inline", code, csp)
		}
		if rp := w.Header().Get("Referrer-Policy"); rp != "strict-origin-when-cross-origin" {
			t.Errorf("%s: Referrer-Policy %q", code, rp)
		}
	}
}

// API answers are not stored by caches (tokens, links, analytics are a
// user's own), except where an operation says otherwise: a QR image.
func TestAnswersAreNotStored(t *testing.T) {
	f := newFakes()
	f.qr.img = &shortener.QRImage{ETag: `"e"`, ContentType: "image/png", Data: []byte("png")}
	srv := f.server()
	for _, c := range []struct{ method, target, body, want string }{
		{"POST", "/api/v1/auth/login", `{"email":"ada@example.com","password":"Secret123"}`, "no-store"},
		{"GET", "/api/v1/auth/me", "", "no-store"},
		{"GET", "/api/v1/qr/abc", "", "public, max-age=86400"},
	} {
		w := serve(t, srv, c.method, c.target, c.body, bearer(adaToken)...)
		if got := w.Header().Get("Cache-Control"); got != c.want || w.Code != http.StatusOK {
			t.Errorf("%s %s: %d, Cache-Control %q, want %q", c.method, c.target, w.Code, got, c.want)
		}
	}
}
