package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
)

// An unclean path is answered as its route would answer it, a 404
// problem, and never with the mux's redirect to the cleaned path.
func TestUncleanPathsAreNotRedirected(t *testing.T) {
	f := withAnswers(redirectFakes())
	srv := f.server()
	for _, path := range []string{
		"//live", "/./live", "/live/.", "/x/../live", "/api/v1//urls", "/api/v1/urls/../health", "/api/v1/./health",
		"/api/v1/urls/%2e%2e/health", "//api/v1/health", "/api/v1", "/api/v1/urls/", "/docs/",
	} {
		for _, method := range []string{"GET", "HEAD", "POST", "DELETE"} {
			w := serve(t, srv, method, path, "", bearer(adaToken)...)
			if w.Code >= 300 && w.Code < 400 || w.Header().Get("Location") != "" {
				t.Errorf("%s %s: status %d, Location %q; want no redirect", method, path, w.Code, w.Header().Get("Location"))
				continue
			}
			if method != "HEAD" && w.Code != http.StatusNotFound {
				t.Errorf("%s %s: status %d, want 404", method, path, w.Code)
			} else if method != "HEAD" {
				decodeProblem(t, w, http.StatusNotFound)
			}
		}
	}
	if f.resolver.calls != 0 {
		t.Errorf("%d lookups for unclean paths", f.resolver.calls)
	}
}

// Unclean API paths count against the general bucket like any API call.
func TestUncleanAPIPathsAreLimited(t *testing.T) {
	f := newFakes()
	serve(t, f.server(), "GET", "/api/v1//urls", "")
	if len(f.limiter.keys) != 1 || f.limiter.keys[0] != "ip:203.0.113.7" {
		t.Errorf("limiter keys %q, want the general bucket of the client IP", f.limiter.keys)
	}
}

// /schemas/ without a name and unknown names are 404 problems; a known
// schema is its JSON.
func TestSchemas(t *testing.T) {
	srv := newFakes().server()
	for _, path := range []string{"/schemas", "/schemas/", "/schemas/Nope", "/schemas/Nope.json", "/schemas/a/b"} {
		decodeProblem(t, serve(t, srv, "GET", path, ""), http.StatusNotFound)
	}
	w := serve(t, srv, "GET", "/schemas/LinkBody.json", "")
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"short_code"`) {
		t.Errorf("LinkBody: status %d, body %.100s", w.Code, w.Body)
	}
}

// A problem's detail never echoes the request's path, query or body.
func TestDetailEchoesNothing(t *testing.T) {
	const mark = "Zq9mark"
	f := newFakes()
	srv := f.server()
	for _, tt := range []struct {
		method, target, body string
		status               int
	}{
		{"GET", "/api/v1/" + mark, "", http.StatusNotFound},
		{"GET", "/api/v1/urls/x/" + mark, "", http.StatusNotFound},
		{"PUT", "/api/v1/urls?" + mark, "", http.StatusMethodNotAllowed},
		{"GET", "/" + mark + "/x", "", http.StatusNotFound},
		{"POST", "/api/v1/urls", `{"original_url":` + mark + `}`, http.StatusBadRequest},
		{"POST", "/api/v1/urls", mark, http.StatusBadRequest},
		{"POST", "/api/v1/urls", `{"original_url":"https://example.com","` + mark + `":1}`, http.StatusUnprocessableEntity},
		{"GET", "/api/v1/urls?size=" + mark, "", http.StatusUnprocessableEntity},
		{"GET", "/api/v1/qr/abc?format=" + mark, "", http.StatusUnprocessableEntity},
	} {
		w := serve(t, srv, tt.method, tt.target, tt.body, bearer(adaToken)...)
		p := decodeProblem(t, w, tt.status)
		if strings.Contains(strings.ToLower(p.Detail), strings.ToLower(mark)) {
			t.Errorf("%s %s: detail %q echoes the request", tt.method, tt.target, p.Detail)
		}
	}
}

// The service's own paths match the password form's POST /{code} too, but
// name no short code: another method there is a 405 offering what the path
// serves, never POST, and never a short link's 404.
func TestSystemPathsAreNoCodes(t *testing.T) {
	f := withAnswers(redirectFakes())
	srv := f.server()
	for _, path := range []string{"/healthz", "/metrics", "/docs", "/openapi.json"} {
		for _, method := range []string{"POST", "PUT", "DELETE"} {
			w := serve(t, srv, method, path, "")
			decodeProblem(t, w, http.StatusMethodNotAllowed)
			if got := w.Header().Get("Allow"); got != "GET, HEAD" {
				t.Errorf("%s %s: Allow %q, want \"GET, HEAD\"", method, path, got)
			}
		}
	}
	// A code's path still takes the form's POST.
	w := serve(t, srv, "PUT", "/plain", "")
	if got := w.Header().Get("Allow"); got != "GET, HEAD, POST" {
		t.Errorf("PUT /plain: Allow %q, want \"GET, HEAD, POST\"", got)
	}
	if f.resolver.calls != 0 {
		t.Errorf("%d lookups for system paths", f.resolver.calls)
	}
}
