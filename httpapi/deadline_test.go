package httpapi_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

// A call whose store never answers (a stalled database) ends at the
// request timeout with a 503 the client can retry after, not when the
// client gives up.
func TestStalledCallEndsAtItsDeadline(t *testing.T) {
	f := newFakes()
	f.requestTimeout = 200 * time.Millisecond
	f.links.stall = true
	srv := f.server()

	start := time.Now()
	w := serve(t, srv, "GET", "/api/v1/urls/"+shortener.NewID(), "", bearer(adaToken)...)
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("answered after %s", took)
	}
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") != "5" ||
		w.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("status %d, Retry-After %q, Content-Type %q", w.Code, w.Header().Get("Retry-After"), w.Header().Get("Content-Type"))
	}
	if strings.Contains(w.Body.String(), "deadline") || !strings.Contains(w.Body.String(), "took too long") {
		t.Errorf("body %s", w.Body)
	}
	if logs := f.logs.String(); !strings.Contains(logs, `"msg":"request deadline passed"`) ||
		!strings.Contains(logs, `"request_id"`) {
		t.Errorf("no warning with the request ID; logs:\n%s", logs)
	}
}

// stallingClicks produces rows rows, then waits until its context ends.
type stallingClicks struct{ rows int }

func (s stallingClicks) ExportClicks(ctx context.Context, _ *shortener.User, _, _ string, _, _ time.Time, fn func(shortener.ClickEvent) error) error {
	for i := range s.rows {
		at := testNow.Add(time.Duration(i) * time.Second)
		if err := fn(shortener.ClickEvent{ID: shortener.NewIDAt(at), OccurredAt: at, Referrer: "(direct)",
			Browser: "Chrome", OS: "Linux", Device: "desktop", Country: "DE"}); err != nil {
			return err
		}
	}
	<-ctx.Done()
	return ctx.Err()
}

// An export that stops getting rows ends a request timeout after the last
// one: before its first row as a 503, half-way as a broken transfer.
func TestStalledExportEnds(t *testing.T) {
	for _, tc := range []struct {
		name string
		rows int
	}{{"before the first row", 0}, {"half-way", 5_000}} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakes()
			f.requestTimeout = 300 * time.Millisecond
			f.clickExports = stallingClicks{rows: tc.rows}
			srv := httptest.NewServer(f.server())
			defer srv.Close()

			start := time.Now()
			resp, body, err := exportClicks(t, srv)
			if took := time.Since(start); took > 5*time.Second {
				t.Fatalf("ended after %s", took)
			}
			if tc.rows == 0 {
				if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "5" {
					t.Errorf("status %d, Retry-After %q, body %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
				}
				return
			}
			if resp.StatusCode != http.StatusOK || err == nil {
				t.Errorf("status %d, read error %v after %d bytes: want 200 and a broken transfer", resp.StatusCode, err, len(body))
			}
			if !strings.Contains(f.logs.String(), `"msg":"export stalled half-way"`) {
				t.Errorf("no warning; logs:\n%s", f.logs)
			}
		})
	}
}

// A call with a body whose work takes longer than huma's 5 s for reading
// the body runs to its own deadline over a real connection: the body's
// read deadline must not outlive the body (net/http's background read of
// the connection would time out and cancel the call at 5 s, answered as
// "the request was cancelled" to a client that was still waiting).
func TestSlowCallWithABodyIsNotCancelledByTheBodysDeadline(t *testing.T) {
	t.Parallel()
	f := newFakes()
	f.requestTimeout = 7 * time.Second
	f.links.stall = true
	srv := httptest.NewServer(f.server())
	defer srv.Close()

	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/urls", strings.NewReader(`{"original_url":"https://example.com/slow"}`))
	req.Header.Set("Content-Type", "application/json")
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	took := time.Since(start)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "took too long") ||
		resp.Header.Get("Retry-After") != "5" {
		t.Fatalf("after %s: status %d, Retry-After %q, body %s; want the call's own deadline's 503", took, resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	if took < 6*time.Second {
		t.Fatalf("answered after %s, before the call's 7 s deadline", took)
	}
}
