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
