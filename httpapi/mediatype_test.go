package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/shortener-dev/shortener"
)

// Media types are matched case-insensitively with optional parameters;
// a body without one is JSON; anything but application/json is 415.
func TestRequestMediaTypes(t *testing.T) {
	tests := []struct {
		contentType string
		status      int
	}{
		{"application/json", http.StatusCreated},
		{"Application/JSON; charset=utf-8", http.StatusCreated},
		{"APPLICATION/JSON;charset=UTF-8", http.StatusCreated},
		{"application/json ; charset=utf-8", http.StatusCreated},
		{"", http.StatusCreated},
		{"json", http.StatusUnsupportedMediaType},
		{"text/html+json", http.StatusUnsupportedMediaType},
		{"application/problem+json", http.StatusUnsupportedMediaType},
		{"text/plain", http.StatusUnsupportedMediaType},
		{"application/jsonx", http.StatusUnsupportedMediaType},
		{"application/x-www-form-urlencoded", http.StatusUnsupportedMediaType},
		{"application/json/x", http.StatusUnsupportedMediaType},
	}
	for _, tt := range tests {
		t.Run(tt.contentType, func(t *testing.T) {
			f := newFakes()
			f.links.link = &shortener.Link{ID: "0190a0f4-0000-7000-8000-0000000000aa", ShortCode: "abc"}
			w := serve(t, f.server(), "POST", "/api/v1/urls", `{"original_url":"https://example.com"}`, "Content-Type", tt.contentType)
			if tt.status != http.StatusCreated {
				decodeProblem(t, w, tt.status)
				return
			}
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
		})
	}
}
