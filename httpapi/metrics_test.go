package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
)

// Without a token /metrics is open, as before.
func TestMetricsOpenWithoutToken(t *testing.T) {
	w := serve(t, newFakes().server(), "GET", "/metrics", "")
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "shortener_") {
		t.Fatalf("status %d, body %.200s", w.Code, w.Body)
	}
}

// With METRICS_TOKEN set, /metrics needs it as a bearer credential.
func TestMetricsToken(t *testing.T) {
	f := newFakes()
	f.metricsToken = "s3cret-metrics-token"
	srv := f.server()
	for _, header := range [][]string{
		nil,
		{"Authorization", "Bearer wrong"},
		{"Authorization", "Bearer s3cret-metrics-toke"},
		{"Authorization", "Bearer s3cret-metrics-token-and-more"},
		{"Authorization", "Basic czNjcmV0LW1ldHJpY3MtdG9rZW4="},
		{"Authorization", "s3cret-metrics-token"},
	} {
		w := serve(t, srv, "GET", "/metrics", "", header...)
		decodeProblem(t, w, http.StatusUnauthorized)
		if got := w.Header().Get("WWW-Authenticate"); got != "Bearer" {
			t.Errorf("%v: WWW-Authenticate %q, want Bearer", header, got)
		}
	}
	for _, scheme := range []string{"Bearer", "bearer"} {
		w := serve(t, srv, "GET", "/metrics", "", "Authorization", scheme+" s3cret-metrics-token")
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "shortener_http_requests_total") {
			t.Errorf("%s: status %d, body %.200s", scheme, w.Code, w.Body)
		}
	}
}
