package httpapi_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/shortener-dev/shortener"
)

func TestHealth(t *testing.T) {
	tests := []struct {
		name   string
		checks map[string]shortener.HealthChecker
		status int
		body   string
	}{
		{"all up", map[string]shortener.HealthChecker{"database": pinger{}, "cache": pinger{}}, http.StatusOK,
			`{"status":"ok","checks":{"cache":"ok","database":"ok"}}` + "\n"},
		{"cache down", map[string]shortener.HealthChecker{"database": pinger{}, "cache": pinger{errors.New("refused")}},
			http.StatusServiceUnavailable, `{"status":"unavailable","checks":{"cache":"unavailable","database":"ok"}}` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakes()
			f.health = tt.checks
			w := serve(t, f.server(), "GET", "/api/v1/health", "")
			if w.Code != tt.status || w.Body.String() != tt.body {
				t.Errorf("status %d, body %s; want %d, %s", w.Code, w.Body, tt.status, tt.body)
			}
		})
	}
}

// Liveness and health are never answered from a cache.
func TestHealthIsNotCached(t *testing.T) {
	srv := newFakes().server()
	for _, path := range []string{"/healthz", "/api/v1/health"} {
		if w := serve(t, srv, "GET", path, ""); w.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", path, w.Header().Get("Cache-Control"))
		}
	}
}
