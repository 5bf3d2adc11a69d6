package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

// BenchmarkLinkList renders one page of the list of a user with 10,000
// links through the whole handler: session, rate limit, list, template.
// The budget is 50 ms of server time per page (the issue); it is measured
// here rather than asserted in a test, where timing would be flaky.
func BenchmarkLinkList(b *testing.B) {
	e := newEnv(b, func(c *Config) { c.Links = &pagedLinks{c.Links.(*fakeLinks)} })
	for i := range 10_000 {
		l := e.addLink(alice, fmt.Sprintf("00000000-0000-7000-8000-%012d", i), fmt.Sprintf("c%06d", i),
			fmt.Sprintf("https://example.com/articles/%d/a-rather-long-slug-for-the-article-number-%d?utm_source=newsletter", i, i))
		title := fmt.Sprintf("Article %d", i)
		l.Title = &title
		if i%7 == 0 {
			exp := testNow.Add(-time.Hour)
			l.ExpiresAt = &exp
		}
	}
	e.sessions.tokens["sess-u-alice"] = alice
	for _, size := range []int{20, 100} {
		b.Run(fmt.Sprintf("size=%d", size), func(b *testing.B) {
			target := fmt.Sprintf("/app?page=%d&size=%d", 5000/size, size)
			cookie := &http.Cookie{Name: sessionCookie, Value: "sess-u-alice"}
			var bytes int
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, target, nil)
				req.AddCookie(cookie)
				rec := httptest.NewRecorder()
				e.app.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
				bytes = rec.Body.Len()
			}
			b.ReportMetric(float64(bytes), "html-bytes")
		})
	}
}

// pagedLinks answers List by slicing, as a database with an index would:
// the benchmark measures the web app, not the fake's filtering.
type pagedLinks struct{ *fakeLinks }

func (p *pagedLinks) List(_ context.Context, _ *shortener.User, q ListQuery) (*shortener.LinkPage, error) {
	from := min((q.Page-1)*q.Size, len(p.links))
	return &shortener.LinkPage{Links: p.links[from:min(from+q.Size, len(p.links))], Total: len(p.links)}, nil
}
