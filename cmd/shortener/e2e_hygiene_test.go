package main

import (
	"net/http"
	"testing"
)

// TestE2EInputHygiene covers the "Input hygiene" rules of API.md on both
// backends: media types, field names, nulls and timestamps.
func TestE2EInputHygiene(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		acct := srv.newAccount(t)
		link := srv.link(t, acct.access, "https://example.com/hygiene")
		linkPath := "/api/v1/urls/" + str(link["id"])

		t.Run("media types match case-insensitively with parameters", func(t *testing.T) {
			for _, ct := range []string{"Application/JSON; charset=utf-8", "APPLICATION/JSON", "application/json;charset=UTF-8"} {
				r := srv.do(t, "POST", "/api/v1/urls", rawBody(`{"original_url": "https://example.com/ct"}`), withHeader("Content-Type", ct))
				expectJSON(t, r, http.StatusCreated)
				r = srv.do(t, "PATCH", linkPath, rawBody(`{"title": "ct"}`), withHeader("Content-Type", ct), withToken(acct.access))
				expectJSON(t, r, http.StatusOK)
				r = srv.do(t, "POST", "/api/v1/auth/login", rawBody(`{"email": "`+acct.email+`", "password": "`+acct.password+`"}`),
					withHeader("Content-Type", ct))
				expectJSON(t, r, http.StatusOK)
			}
		})
		t.Run("anything but application/json is 415", func(t *testing.T) {
			for _, ct := range []string{"json", "text/html+json", "text/plain", "application/problem+json"} {
				r := srv.do(t, "POST", "/api/v1/urls", rawBody(`{"original_url": "https://example.com/ct"}`), withHeader("Content-Type", ct))
				expectProblem(t, r, http.StatusUnsupportedMediaType)
				r = srv.do(t, "PATCH", linkPath, rawBody(`{"title": "ct"}`), withHeader("Content-Type", ct), withToken(acct.access))
				expectProblem(t, r, http.StatusUnsupportedMediaType)
			}
		})
	})
}
