package httpapi_test

import (
	"errors"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

// redirectFakes knows "live", "off" (disabled) and "old" (expired).
func redirectFakes() *fakes {
	f := newFakes()
	f.resolver.targets = map[string]shortener.Target{
		"live": {Found: true, LinkID: "link-live", URL: "https://example.com/landing?a=1", Active: true},
		"off":  {Found: true, LinkID: "link-off", URL: "https://example.com/off", Active: false},
		"old":  {Found: true, LinkID: "link-old", URL: "https://example.com/old", Active: true, ExpiresAt: testNow},
	}
	return f
}

func TestRedirectFound(t *testing.T) {
	f := redirectFakes()
	w := serve(t, f.server(), "GET", "/live", "", "User-Agent", "Firefox/120.0", "Referer", "https://news.example/")
	if w.Code != http.StatusFound {
		t.Fatalf("status %d, want 302", w.Code)
	}
	for name, want := range map[string]string{
		"Location": "https://example.com/landing?a=1", "Cache-Control": "private, max-age=0", "X-Robots-Tag": "noindex",
	} {
		if got := w.Header().Get(name); got != want {
			t.Errorf("%s %q, want %q", name, got, want)
		}
	}
	if len(f.clicks.clicks) != 1 {
		t.Fatalf("%d clicks recorded, want 1", len(f.clicks.clicks))
	}
	c := f.clicks.clicks[0]
	if c.LinkID != "link-live" || !c.At.Equal(testNow) || c.IP != netip.MustParseAddr("203.0.113.7") || c.UserAgent != "Firefox/120.0" ||
		c.Referrer != "https://news.example/" || c.ID.IsZero() {
		t.Errorf("click %+v", c)
	}
}

func TestRedirectHeadRecordsNoClick(t *testing.T) {
	f := redirectFakes()
	w := serve(t, f.server(), "HEAD", "/live", "")
	if w.Code != http.StatusFound || w.Header().Get("Location") != "https://example.com/landing?a=1" {
		t.Fatalf("HEAD: status %d, Location %q", w.Code, w.Header().Get("Location"))
	}
	if len(f.clicks.clicks) != 0 {
		t.Fatalf("HEAD recorded %d clicks", len(f.clicks.clicks))
	}
}

// A code that does not redirect answers a page to browsers and a problem
// to everyone else, and records no click.
func TestRedirectMisses(t *testing.T) {
	tests := []struct {
		code   string
		status int
		detail string
	}{
		{"unknown", http.StatusNotFound, "This short link does not exist or has been disabled."},
		{"off", http.StatusNotFound, "This short link does not exist or has been disabled."},
		{"old", http.StatusGone, "This short link has expired, or has had all the clicks it allows."},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			f := redirectFakes()
			srv := f.server()

			p := decodeProblem(t, serve(t, srv, "GET", "/"+tt.code, "", "Accept", "application/json"), tt.status)
			if p.Detail != tt.detail {
				t.Errorf("problem detail %q, want %q", p.Detail, tt.detail)
			}

			w := serve(t, srv, "GET", "/"+tt.code, "", "Accept", "text/html,application/xhtml+xml")
			if w.Code != tt.status || w.Header().Get("Content-Type") != "text/html; charset=utf-8" ||
				w.Header().Get("Cache-Control") != "no-store" || w.Header().Get("X-Robots-Tag") != "noindex" {
				t.Errorf("browser: status %d, headers %v", w.Code, w.Header())
			}
			heading := map[int]string{http.StatusNotFound: "Link not found", http.StatusGone: "Link expired"}[tt.status]
			if body := w.Body.String(); !strings.Contains(body, "<h1>"+heading+"</h1>") || !strings.Contains(body, tt.detail) ||
				!strings.Contains(body, `name="viewport"`) || !strings.Contains(body, `<a href="/">`) {
				t.Errorf("browser page %q", body)
			}

			if len(f.clicks.clicks) != 0 {
				t.Errorf("%d clicks recorded for a miss", len(f.clicks.clicks))
			}
		})
	}
}

// Codes that cannot exist are refused before any lookup.
func TestRedirectRefusesImpossibleCodes(t *testing.T) {
	for _, path := range []string{"/" + strings.Repeat("a", 51), "/has.dot", "/static", "/Admin"} {
		f := redirectFakes()
		w := serve(t, f.server(), "GET", path, "")
		if w.Code != http.StatusNotFound || f.resolver.calls != 0 {
			t.Errorf("GET %s: status %d after %d lookups, want 404 after none", path, w.Code, f.resolver.calls)
		}
	}
}

func TestRedirectLookupFailure(t *testing.T) {
	f := redirectFakes()
	f.resolver.err = errors.New("dial tcp: connection refused")
	w := serve(t, f.server(), "GET", "/live", "")
	p := decodeProblem(t, w, http.StatusServiceUnavailable)
	if p.Detail != "The link service is temporarily unavailable; try again shortly." || w.Header().Get("Retry-After") != "5" {
		t.Errorf("detail %q, Retry-After %q", p.Detail, w.Header().Get("Retry-After"))
	}
	// A browser gets a page, as for 404 and 410.
	w = serve(t, f.server(), "GET", "/live", "", "Accept", browserAccept)
	if w.Code != http.StatusServiceUnavailable || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") ||
		w.Header().Get("Content-Security-Policy") == "" || !strings.Contains(w.Body.String(), "<h1>Temporarily unavailable</h1>") {
		t.Errorf("a browser's 503: %d %v\n%s", w.Code, w.Header(), w.Body)
	}
	if len(f.clicks.clicks) != 0 {
		t.Errorf("%d clicks recorded", len(f.clicks.clicks))
	}
	// An outage fails every redirect: each is counted, one line a minute
	// is logged, with the request's ID.
	srv := f.server()
	before := strings.Count(f.logs.String(), `"msg":"resolve short code"`)
	for range 20 {
		decodeProblem(t, serve(t, srv, "GET", "/live", ""), http.StatusServiceUnavailable)
	}
	if n := strings.Count(f.logs.String(), `"msg":"resolve short code"`) - before; n != 1 {
		t.Errorf("20 failed lookups logged %d lines, want 1:\n%s", n, f.logs)
	}
	if !strings.Contains(f.logs.String(), `"request_id"`) {
		t.Errorf("the line has no request ID: %s", f.logs)
	}
}

// Redirects are limited only when a redirect limit is set, per client IP.
func TestRedirectRateLimit(t *testing.T) {
	f := redirectFakes()
	serve(t, f.server(), "GET", "/live", "")
	if len(f.limiter.keys) != 0 {
		t.Fatalf("redirects limited without a redirect limit: %q", f.limiter.keys)
	}

	f = redirectFakes()
	f.limits.Redirect = shortener.RateLimit{Limit: 3, Window: time.Second}
	f.limiter.deny = true
	w := serve(t, f.server(), "GET", "/live", "")
	decodeProblem(t, w, http.StatusTooManyRequests)
	if !slices.Equal(f.limiter.keys, []string{"redirect:203.0.113.7"}) || len(f.clicks.clicks) != 0 {
		t.Fatalf("limiter keys %q, %d clicks; want redirect:203.0.113.7 and none", f.limiter.keys, len(f.clicks.clicks))
	}
}
