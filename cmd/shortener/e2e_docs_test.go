package main

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// srcRE finds the resources a page loads: src= and href= attributes.
var srcRE = regexp.MustCompile(`(?i)\b(?:src|href)\s*=\s*["']([^"']+)["']`)

// TestE2EDocs: /docs works without the internet. The page and every asset
// come from the service itself, the initialiser is a file (no inline
// script) and the page's policy allows scripts from this origin only.
func TestE2EDocs(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		r := srv.do(t, "GET", "/docs", nil)
		expectStatus(t, r, http.StatusOK)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("/docs Content-Type %q", ct)
		}
		page := string(r.Body)
		checkDocsPolicy(t, r.Header.Get("Content-Security-Policy"))
		for _, m := range regexp.MustCompile(`(?is)<script\b[^>]*>(.*?)</script>`).FindAllStringSubmatch(page, -1) {
			if !strings.Contains(strings.ToLower(m[0]), "src=") || strings.TrimSpace(m[1]) != "" {
				t.Errorf("inline script %.80q: the initialiser must be a file", m[0])
			}
		}
		if strings.Contains(page, "style=") || strings.Contains(strings.ToLower(page), "<style") {
			t.Errorf("/docs has inline styles of its own")
		}
		wantType := map[string]string{".js": "text/javascript", ".css": "text/css", ".png": "image/png"}
		found := map[string]bool{}
		for _, m := range srcRE.FindAllStringSubmatch(page, -1) {
			ref := m[1]
			if !strings.HasPrefix(ref, "/") || strings.HasPrefix(ref, "//") {
				t.Errorf("/docs references %q, which is not a path on this origin", ref)
				continue
			}
			a := srv.do(t, "GET", ref, nil)
			expectStatus(t, a, http.StatusOK)
			ext := ref[strings.LastIndex(ref, "."):]
			if ct := a.Header.Get("Content-Type"); wantType[ext] == "" || !strings.HasPrefix(ct, wantType[ext]) {
				t.Errorf("%s: Content-Type %q, want %s", ref, ct, wantType[ext])
			}
			found[ext] = true
			if ext == ".js" && strings.Contains(string(a.Body), "openapi.json") {
				found["initialiser"] = true
			}
		}
		for _, what := range []string{".js", ".css", "initialiser"} {
			if !found[what] {
				t.Errorf("/docs loads no %s", what)
			}
		}
		for _, path := range []string{"/docs/nope.js", "/docs/index.html", "/docs/swagger-ui-bundle.js.map"} {
			expectProblem(t, srv.do(t, "GET", path, nil), http.StatusNotFound)
		}
	})
}

// checkDocsPolicy checks the Content-Security-Policy of /docs: scripts from
// this origin only, nothing from elsewhere, no framing.
func checkDocsPolicy(t *testing.T, csp string) {
	t.Helper()
	directives := map[string]string{}
	for _, d := range strings.Split(csp, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		directives[name] = value
	}
	if directives["default-src"] != "'self'" || directives["script-src"] != "'self'" || directives["frame-ancestors"] != "'none'" {
		t.Errorf("CSP %q: want default-src 'self', script-src 'self' and frame-ancestors 'none'", csp)
	}
	if strings.Contains(csp, "http") || strings.Contains(csp, "unsafe-eval") || strings.Contains(directives["script-src"], "unsafe-inline") {
		t.Errorf("CSP %q allows other origins, eval or inline scripts", csp)
	}
}
