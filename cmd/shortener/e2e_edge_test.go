package main

import (
	"net/http"
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
