package main

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestE2EMadeUpMethods: a method the service does not know is a 501
// problem, and it becomes neither a metric label nor a long log field.
func TestE2EMadeUpMethods(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		for i, path := range []string{"/api/v1/urls", "/abc", "/healthz", "/metrics"} {
			method := strings.Repeat(string(rune('Q'+i)), 300)
			p := expectProblem(t, srv.do(t, method, path, nil), http.StatusNotImplemented)
			if strings.Contains(p.Detail, method[:3]) {
				t.Errorf("detail %q echoes the method", p.Detail)
			}
		}
		metrics := string(srv.do(t, "GET", "/metrics", nil).Body)
		if !strings.Contains(metrics, `method="other"`) {
			t.Error(`/metrics has no series with method="other"`)
		}
		for i := range 4 {
			run := strings.Repeat(string(rune('Q'+i)), 17)
			if strings.Contains(metrics, run) {
				t.Error("/metrics carries a made-up method")
			}
			if strings.Contains(srv.logs.String(), run) {
				t.Error("the logs carry more than 16 characters of a made-up method")
			}
		}
	})
}

// TestE2EJunkCodes: a code with NUL, invalid UTF-8 or other characters a
// code cannot have is 404 on every route that takes one, on both engines
// (PostgreSQL refuses such text with an error).
func TestE2EJunkCodes(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		acct := srv.newAccount(t)
		for _, code := range []string{"%00", "ab%00cd", "%ff", "%C3%28abc", "caf%C3%A9", strings.Repeat("x", 51)} {
			expectProblem(t, srv.do(t, "GET", "/api/v1/analytics/"+code+"/summary", nil, withToken(acct.access)), http.StatusNotFound)
			expectProblem(t, srv.do(t, "GET", "/api/v1/qr/"+code, nil), http.StatusNotFound)
			expectProblem(t, srv.do(t, "GET", "/"+code, nil), http.StatusNotFound)
		}
	})
}

// TestE2EPathsAndPages: unclean paths are answered without a redirect,
// schema lookups and problems name nothing the client sent, and the HTML
// pages of the redirect carry their policies.
func TestE2EPathsAndPages(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		code := str(srv.link(t, "", "https://example.com/paths")["short_code"])
		for _, path := range []string{"//" + code, "/./" + code, "/x/../" + code, "/api/v1//urls", "/api/v1/urls/../health",
			"/api/v1/./health", "/api/v1"} {
			for _, method := range []string{"GET", "POST"} {
				r := srv.do(t, method, path, nil)
				expectProblem(t, r, http.StatusNotFound)
				if loc := r.Header.Get("Location"); loc != "" {
					t.Errorf("%s: Location %q", r, loc)
				}
			}
		}
		for _, path := range []string{"/schemas/", "/schemas/Nope", "/schemas/Nope.json"} {
			expectProblem(t, srv.do(t, "GET", path, nil), http.StatusNotFound)
		}
		expectJSON(t, srv.do(t, "GET", "/schemas/LinkBody.json", nil), http.StatusOK)

		const mark = "Zq9mark"
		for _, r := range []*result{
			srv.do(t, "GET", "/api/v1/"+mark, nil),
			srv.do(t, "DELETE", "/"+mark, nil),
			srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://example.com/", mark: 1}),
			srv.do(t, "POST", "/api/v1/urls", rawBody(mark)),
		} {
			if p := expectProblem(t, r, r.Status); strings.Contains(p.Detail, mark) {
				t.Errorf("%s: the detail echoes the request", r)
			}
		}
		r := srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://example.com/", "custom_alias": "Docs"})
		if p := expectProblem(t, r, http.StatusUnprocessableEntity); strings.Contains(p.Detail, "Docs") {
			t.Errorf("%s: the detail echoes the alias", r)
		}

		r = srv.do(t, "GET", "/zzzzzzzzzzzzz", nil, withHeader("Accept", "text/html"))
		expectStatus(t, r, http.StatusNotFound)
		csp := r.Header.Get("Content-Security-Policy")
		for _, d := range []string{"default-src 'none'", "style-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"} {
			if !strings.Contains(csp, d) {
				t.Errorf("%s: CSP %q lacks %s", r, csp, d)
			}
		}
		// The app's one stylesheet, which the server serves.
		css := regexp.MustCompile(`<link rel="stylesheet" href="(/static/app\.[0-9a-f]{10}\.css)">`).FindSubmatch(r.Body)
		if css == nil || strings.Contains(string(r.Body), "<style") {
			t.Errorf("%s: the page does not link the app's stylesheet alone", r)
		} else {
			expectStatus(t, srv.do(t, "GET", string(css[1]), nil), http.StatusOK)
		}
		if strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q allows unsafe-inline", r, csp)
		}
		if rp := r.Header.Get("Referrer-Policy"); rp != "strict-origin-when-cross-origin" {
			t.Errorf("%s: Referrer-Policy %q", r, rp)
		}
	})
}

// TestE2EMetricsToken: with METRICS_TOKEN set, /metrics needs it as a
// bearer credential.
func TestE2EMetricsToken(t *testing.T) {
	t.Parallel()
	const token = "e2e-metrics-token-0123456789"
	forEachBackendEnv(t, map[string]string{"METRICS_TOKEN": token}, func(t *testing.T, srv *testServer) {
		for _, opts := range [][]reqOpt{nil, {withToken("wrong")}, {withToken(token + "x")}, {withHeader("Authorization", token)}} {
			r := srv.do(t, "GET", "/metrics", nil, opts...)
			expectUnauthorized(t, r)
			if strings.Contains(string(r.Body), "shortener_http_requests_total") {
				t.Errorf("%s: metrics leaked", r)
			}
		}
		r := srv.do(t, "GET", "/metrics", nil, withToken(token))
		expectStatus(t, r, http.StatusOK)
		if !strings.Contains(string(r.Body), "shortener_http_requests_total") {
			t.Errorf("%s: no request counter", r)
		}
	})
}

// TestE2ERateLimitIPv6: an IPv6 client is limited by its /64, whichever
// of its addresses it sends from.
func TestE2ERateLimitIPv6(t *testing.T) {
	t.Parallel()
	env := map[string]string{"LOGIN_RATE_LIMIT_REQUESTS": "3", "LOGIN_RATE_LIMIT_WINDOW": "60", "TRUSTED_PROXIES": "127.0.0.1/32"}
	forEachBackendEnv(t, env, func(t *testing.T, srv *testServer) {
		n := 0
		from := func(prefix string) func() *result {
			return func() *result {
				n++
				return srv.do(t, "POST", "/api/v1/auth/login", map[string]any{"email": "nobody@example.com", "password": "Wrong-pass1"},
					withHeader("X-Forwarded-For", prefix+strconv.Itoa(n)))
			}
		}
		exhaust(t, 3, 60, from("2001:db8:5:6::"))
		expectLimited(t, from("2001:db8:5:6:ffff:ffff:ffff:")(), 3, 60)
		expectUnauthorized(t, from("2001:db8:5:7::")())
	})
}
