package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

// A response body that cannot be encoded is a logged 500 problem, never a
// 200 with whatever was written before the failure. A link whose expiry is
// year 10000 in UTC is such a body: time.Time refuses to encode it.
func TestUnencodableAnswerIs500(t *testing.T) {
	year10000 := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct{ method, target, body string }{
		{"GET", linkPath, ""},
		{"GET", "/api/v1/urls", ""},
		{"POST", "/api/v1/urls", `{"original_url":"https://example.com"}`},
	} {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			f := newFakes()
			f.links.link = &shortener.Link{ID: "0190a0f4-0000-7000-8000-0000000000aa", ShortCode: "abc", ExpiresAt: &year10000}
			w := serve(t, f.server(), tt.method, tt.target, tt.body, bearer(adaToken)...)
			p := decodeProblem(t, w, http.StatusInternalServerError)
			if p.Detail != "Internal error." {
				t.Errorf("detail %q", p.Detail)
			}
			if loc := w.Header().Get("Location"); loc != "" {
				t.Errorf("Location %q on a failed answer", loc)
			}
			if !strings.Contains(f.logs.String(), `"level":"ERROR","msg":"response could not be encoded"`) {
				t.Errorf("no error logged; logs:\n%s", f.logs)
			}
		})
	}
}
