package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
)

// A query parameter given without a value is a 422 naming it, on every
// call that takes query parameters: huma would read it as absent and
// answer with the default (or, for ?domain=, the default domain).
func TestEmptyQueryParams(t *testing.T) {
	for _, target := range []string{
		"/api/v1/urls?page=", "/api/v1/urls?size=", "/api/v1/urls?domain=", "/api/v1/urls?sort=",
		"/api/v1/urls/export?domain=", "/api/v1/urls/import?codes=",
		"/api/v1/qr/abc?domain=", "/api/v1/qr/abc?size=",
		"/api/v1/analytics/abc/summary?domain=", "/api/v1/analytics/abc/clicks?domain=",
	} {
		t.Run(target, func(t *testing.T) {
			method, body := "GET", ""
			if strings.Contains(target, "/import") {
				method, body = "POST", "original_url\nhttps://example.com/a\n"
			}
			f := newFakes()
			f.organiser = slowImport{}
			f.clickExports = slowClicks{}
			w := serve(t, f.server(), method, target, body, append(bearer(adaToken), "Content-Type", "text/csv")...)
			p := decodeProblem(t, w, http.StatusUnprocessableEntity)
			want := "query." + strings.TrimSuffix(target[strings.Index(target, "?")+1:], "=")
			if len(p.Errors) != 1 || p.Errors[0].Location != want {
				t.Errorf("errors %+v, want one at %s", p.Errors, want)
			}
		})
	}
}
