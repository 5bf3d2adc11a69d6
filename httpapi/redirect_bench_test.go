package httpapi_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/httpapi"
	"github.com/shortener-dev/shortener/inmem"
	"github.com/shortener-dev/shortener/spool"
	"github.com/shortener-dev/shortener/sqlite"
)

// benchLinks returns a real SQLite link store holding one active link
// with code, after opts (nil for a plain link) has changed it.
func benchLinks(tb testing.TB, code string, opts func(*shortener.Link)) *sqlite.LinkStore {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "bench.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	links := sqlite.NewLinkStore(db)
	now := time.Now().UTC()
	l := &shortener.Link{ID: shortener.NewID(), ShortCode: code, OriginalURL: "https://example.com/landing?utm_source=bench",
		IsActive: true, IsPublic: true, CreatedAt: now, UpdatedAt: now, RedirectType: shortener.DefaultRedirectType}
	if opts != nil {
		opts(l)
	}
	if err := links.CreateLink(ctx, l); err != nil {
		tb.Fatal(err)
	}
	return links
}

// benchL1 is the warm in-process cache in front of links.
func benchL1(links *sqlite.LinkStore) shortener.Resolver {
	return inmem.NewLinkCache(shortener.StoreResolver{Links: links}, inmem.LinkCacheOptions{Size: 1000, TTL: time.Hour, NegativeTTL: time.Minute})
}

// benchServer returns a server whose redirect resolves through a warm L1
// in front of a real SQLite store, recording clicks into rec.
func benchServer(tb testing.TB, rec shortener.ClickRecorder) (*httpapi.Server, string) {
	tb.Helper()
	const code = "bench01"
	srv := httpapi.New(httpapi.Config{
		Logger:   slog.New(httpapi.ContextHandler{Handler: slog.DiscardHandler}),
		Resolver: benchL1(benchLinks(tb, code, nil)), Clicks: rec, Limiter: inmem.NewRateLimiter(shortener.SystemClock),
		Registry: prometheus.NewRegistry(),
	})
	return srv, "/" + code
}

type discardRecorder struct{}

func (discardRecorder) RecordClick(shortener.Click) {}

func benchRedirect(b *testing.B, rec shortener.ClickRecorder) {
	srv, path := benchServer(b, rec)
	warm := httptest.NewRecorder()
	srv.ServeHTTP(warm, httptest.NewRequest(http.MethodGet, path, nil))
	if warm.Code != http.StatusFound {
		b.Fatalf("warm-up: status %d", warm.Code)
	}
	measureRedirects(b, srv, func() *http.Request { return newBenchRequest(path) })
}

// measureRedirects serves newRequest's request in parallel, each answer
// required to be a 302, allocations reported.
func measureRedirects(b *testing.B, srv http.Handler, newRequest func() *http.Request) {
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		req := newRequest()
		w := &nullWriter{h: http.Header{}}
		for pb.Next() {
			clear(w.h)
			w.code = 0
			srv.ServeHTTP(w, req)
			if w.code != http.StatusFound {
				b.Fatalf("status %d", w.code)
			}
		}
	})
}

// newBenchRequest is a browser's request for path.
func newBenchRequest(path string) *http.Request {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0")
	req.RemoteAddr = "203.0.113.7:50000"
	return req
}

// nullWriter is a ResponseWriter that keeps only the status, so the
// benchmark measures the handler and not a recorder's buffers.
type nullWriter struct {
	h    http.Header
	code int
}

func (w *nullWriter) Header() http.Header         { return w.h }
func (w *nullWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *nullWriter) WriteHeader(code int)        { w.code = code }

// BenchmarkRedirectL1Hit is the redirect of a cached code, clicks dropped:
// the cost of the handler and middleware alone.
func BenchmarkRedirectL1Hit(b *testing.B) { benchRedirect(b, discardRecorder{}) }

// BenchmarkRedirectL1HitMemorySpool adds the in-process click buffer.
func BenchmarkRedirectL1HitMemorySpool(b *testing.B) {
	m := spool.NewMemory(1<<24, spool.Options{})
	b.Cleanup(func() { m.Close() })
	drainInBackground(b, m)
	benchRedirect(b, m)
}

// BenchmarkRedirectL1HitDiskSpool adds the durable spool append (the
// default): what a click costs the redirect.
func BenchmarkRedirectL1HitDiskSpool(b *testing.B) {
	s, err := spool.Open(filepath.Join(b.TempDir(), "spool"), spool.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	drainInBackground(b, s)
	benchRedirect(b, s)
}

// drainInBackground acknowledges clicks as they come, as the shipper would.
func drainInBackground(b *testing.B, src interface {
	Next(ctx context.Context, limit int) ([]shortener.Click, uint64, error)
	Ack(token uint64) error
}) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			batch, token, err := src.Next(ctx, 1000)
			if err != nil {
				return
			}
			if len(batch) > 0 {
				_ = src.Ack(token)
			}
		}
	}()
	b.Cleanup(func() { cancel(); <-done })
}
