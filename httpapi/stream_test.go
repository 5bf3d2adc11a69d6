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
	"github.com/shortener-dev/shortener/httpapi"
	"github.com/shortener-dev/shortener/links"
)

// slowClicks produces n clicks, one every gap: a long export.
type slowClicks struct {
	n   int
	gap time.Duration
}

func (s slowClicks) ExportClicks(ctx context.Context, _ *shortener.User, _, _ string, _, _ time.Time, fn func(shortener.ClickEvent) error) error {
	at := testNow.Add(-time.Hour)
	for i := range s.n {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(s.gap):
		}
		if err := fn(shortener.ClickEvent{ID: shortener.NewIDAt(at), OccurredAt: at.Add(time.Duration(i) * time.Second),
			Referrer: "(direct)", Browser: "Chrome", OS: "Linux", Device: "desktop", Country: "DE", Target: "https://example.com/"}); err != nil {
			return err
		}
	}
	return nil
}

// TestLongExportOutlivesWriteTimeout: an export that takes longer than
// the server's WriteTimeout (and the request timeout) is delivered whole,
// as long as it makes progress: each row pushes the connection's write
// deadline and the export's own on.
func TestLongExportOutlivesWriteTimeout(t *testing.T) {
	f := newFakes()
	f.clickExports = slowClicks{n: 8, gap: 300 * time.Millisecond}
	f.requestTimeout = time.Second // pauses within it, the whole export not
	srv := httptest.NewUnstartedServer(f.server())
	srv.Config.WriteTimeout = time.Second
	srv.Start()
	defer srv.Close()

	start := time.Now()
	resp, body, err := exportClicks(t, srv)
	if err != nil {
		t.Fatalf("after %s: the export was cut: %v (read %q)", time.Since(start), err, body)
	}
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Fatalf("status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if lines := strings.Count(string(body), "\n"); lines != 9 || time.Since(start) < 2*time.Second {
		t.Errorf("%d lines in %s, want the header and 8 rows over more than twice the write timeout", lines, time.Since(start))
	}
}

// exportClicks asks srv for a link's clicks as ada and reads the whole
// answer; err is the error of reading its body.
func exportClicks(t *testing.T, srv *httptest.Server) (resp *http.Response, body []byte, err error) {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/analytics/abc/clicks", nil)
	req.Header.Set("Authorization", "Bearer "+adaToken)
	resp, err = srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(resp.Body)
	return resp, body, err
}

// slowImport takes its time over every import, as a large file does.
type slowImport struct {
	httpapi.Organiser
	took time.Duration
}

func (s slowImport) Import(ctx context.Context, _ *shortener.User, r io.Reader, _ bool) ([]links.ImportResult, error) {
	_, _ = io.Copy(io.Discard, r)
	time.Sleep(s.took)
	at := testNow
	return []links.ImportResult{{Record: 1, BulkResult: links.BulkResult{Link: &shortener.Link{ID: shortener.NewIDAt(at),
		ShortCode: "abc1234", OriginalURL: "https://example.com/", IsActive: true, CreatedAt: at, UpdatedAt: at}}}}, ctx.Err()
}

// TestLongImportOutlivesWriteTimeout: an import that takes longer than
// the server's WriteTimeout (and the request timeout) still answers its
// results.
func TestLongImportOutlivesWriteTimeout(t *testing.T) {
	f := newFakes()
	f.organiser = slowImport{took: 1500 * time.Millisecond}
	f.requestTimeout = time.Second // a long-running call has its own
	srv := httptest.NewUnstartedServer(f.server())
	srv.Config.WriteTimeout = time.Second
	srv.Start()
	defer srv.Close()

	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/urls/import", strings.NewReader("url\nhttps://example.com/\n"))
	req.Header.Set("Authorization", "Bearer "+adaToken)
	req.Header.Set("Content-Type", "text/csv")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("the import's answer was cut: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"created":1`) {
		t.Fatalf("status %d, body %s, error %v", resp.StatusCode, body, err)
	}
}
