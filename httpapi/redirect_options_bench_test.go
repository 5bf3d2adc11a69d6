package httpapi_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/analytics"
	"github.com/shortener-dev/shortener/geoip"
	"github.com/shortener-dev/shortener/httpapi"
	"github.com/shortener-dev/shortener/inmem"
	"github.com/shortener-dev/shortener/internal/testenv"
)

// The redirect of links with options, L1 hits, clicks dropped: what
// targeting and variants cost on top of BenchmarkRedirectL1Hit (a plain
// link, which must pay for none of them). The server is wired as serve.go
// wires it: the click enrichment with a GeoIP database answers the rules'
// questions.

// benchOptionsServer is benchServer for a link that opts changes.
func benchOptionsServer(b *testing.B, opts func(*shortener.Link)) (*httpapi.Server, string) {
	b.Helper()
	const code = "bench02"
	links := benchLinks(b, code, opts)
	geo, err := geoip.Open(testenv.GeoIPDatabase(b, "GeoIP2-Country"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { geo.Close() })
	srv := httpapi.New(httpapi.Config{
		Logger:   slog.New(httpapi.ContextHandler{Handler: slog.DiscardHandler}),
		Resolver: benchL1(links), Clicks: discardRecorder{}, Limiter: inmem.NewRateLimiter(shortener.SystemClock),
		Enrichment: analytics.NewEnricher([]byte("bench-secret-0123456789abcdefghijklmnop"), geo),
		Caps:       links, Registry: prometheus.NewRegistry(),
	})
	return srv, "/" + code
}

// benchOptionsRedirect measures GET path from a desktop Firefox on Linux
// reading English, and checks that every answer is a 302 to one of want.
func benchOptionsRedirect(b *testing.B, opts func(*shortener.Link), want ...string) {
	srv, path := benchOptionsServer(b, opts)
	newRequest := func() *http.Request {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0")
		req.Header.Set("Accept-Language", "en-US,en;q=0.9,de;q=0.5")
		req.RemoteAddr = "203.0.113.7:50000"
		return req
	}
	warm := httptest.NewRecorder()
	srv.ServeHTTP(warm, newRequest())
	if warm.Code != http.StatusFound {
		b.Fatalf("warm-up: status %d", warm.Code)
	}
	ok := func(loc string) bool {
		for _, w := range want {
			if loc == w {
				return true
			}
		}
		return false
	}
	if loc := warm.Header().Get("Location"); !ok(loc) {
		b.Fatalf("warm-up: Location %q, want one of %q", loc, want)
	}
	measureRedirects(b, srv, newRequest)
}

// BenchmarkRedirectL1HitRules5 is a link with five targeting rules whose
// last one matches the visitor: every condition kind is evaluated (the
// user agent, a GeoIP lookup, Accept-Language) before the match.
func BenchmarkRedirectL1HitRules5(b *testing.B) {
	benchOptionsRedirect(b, func(l *shortener.Link) {
		l.Rules = []shortener.TargetRule{
			{URL: "https://example.com/ios", Devices: []string{"ios"}},
			{URL: "https://example.com/android", Devices: []string{"android"}},
			{URL: "https://example.com/dach", Countries: []string{"DE", "AT", "CH"}},
			{URL: "https://example.com/de-fr", Languages: []string{"de", "fr"}},
			{URL: "https://example.com/desktop-en", Devices: []string{"desktop"}, Languages: []string{"en"}},
		}
	}, "https://example.com/desktop-en")
}

// BenchmarkRedirectL1HitVariants is an A/B/C split: the visitor hash (an
// HMAC) picks the variant.
func BenchmarkRedirectL1HitVariants(b *testing.B) {
	benchOptionsRedirect(b, func(l *shortener.Link) {
		l.Variants = []shortener.Variant{
			{URL: "https://example.com/a", Weight: 1},
			{URL: "https://example.com/b", Weight: 2},
			{URL: "https://example.com/c", Weight: 3},
		}
	}, "https://example.com/a", "https://example.com/b", "https://example.com/c")
}

// BenchmarkRedirectL1HitForwardQuery forwards the request's query into the
// target's: the one option that allocates on the answer itself.
func BenchmarkRedirectL1HitForwardQuery(b *testing.B) {
	srv, path := benchOptionsServer(b, func(l *shortener.Link) { l.ForwardQuery = true })
	newRequest := func() *http.Request {
		req := httptest.NewRequest(http.MethodGet, path+"?utm_campaign=spring&utm_source=mail", nil)
		req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0")
		req.RemoteAddr = "203.0.113.7:50000"
		return req
	}
	const want = "https://example.com/landing?utm_source=mail&utm_campaign=spring"
	w := &nullWriter{h: http.Header{}}
	srv.ServeHTTP(w, newRequest())
	if w.code != http.StatusFound || w.h.Get("Location") != want {
		b.Fatalf("warm-up: %d %q, want 302 %q", w.code, w.h.Get("Location"), want)
	}
	measureRedirects(b, srv, newRequest)
}
