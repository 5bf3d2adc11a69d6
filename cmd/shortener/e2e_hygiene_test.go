package main

import (
	"encoding/json"
	"net/http"
	"strconv"
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
		t.Run("field names are case-sensitive", func(t *testing.T) {
			r := srv.do(t, "POST", "/api/v1/urls", map[string]any{"Original_URL": "https://example.com/case"})
			expectValidation(t, r, "body.Original_URL")
			r = srv.do(t, "POST", "/api/v1/urls", rawBody(`{"original_url": "https://example.com/case", "Original_URL": "x"}`))
			expectValidation(t, r, "body.Original_URL")
			r = srv.do(t, "PATCH", linkPath, map[string]any{"Title": "x"}, withToken(acct.access))
			expectValidation(t, r, "body.Title")
			r = srv.do(t, "POST", "/api/v1/auth/register", map[string]any{"EMAIL": randomEmail(), "email": randomEmail(), "password": e2ePassword})
			expectValidation(t, r, "body.EMAIL")
			r = srv.do(t, "POST", "/api/v1/auth/login", map[string]any{"email": acct.email, "Password": acct.password, "password": acct.password})
			expectValidation(t, r, "body.Password")
		})
		t.Run("null for a field that is not nullable is 422", func(t *testing.T) {
			for _, field := range []string{"original_url", "is_active", "is_public"} {
				r := srv.do(t, "PATCH", linkPath, rawBody(`{"`+field+`": null}`), withToken(acct.access))
				expectValidation(t, r, "body."+field)
			}
			r := srv.do(t, "POST", "/api/v1/urls", rawBody(`{"original_url": "https://example.com/n", "is_public": null}`))
			expectValidation(t, r, "body.is_public")
			r = srv.do(t, "POST", "/api/v1/auth/login", rawBody(`{"email": "`+acct.email+`", "password": null}`))
			expectValidation(t, r, "body.password")
			r = srv.do(t, "GET", linkPath, nil, withToken(acct.access))
			if l := r.object(t); l["is_active"] != true || l["is_public"] != true || str(l["original_url"]) != "https://example.com/hygiene" {
				t.Errorf("%s: a refused PATCH changed the link", r)
			}
		})
		t.Run("null clears or means none where the field is nullable", func(t *testing.T) {
			r := srv.do(t, "PATCH", linkPath, map[string]any{"title": "set", "expires_at": "2999-01-01T00:00:00Z"}, withToken(acct.access))
			expectJSON(t, r, http.StatusOK)
			r = srv.do(t, "PATCH", linkPath, rawBody(`{"title": null, "expires_at": null}`), withToken(acct.access))
			expectJSON(t, r, http.StatusOK)
			if l := r.object(t); l["title"] != nil || l["expires_at"] != nil {
				t.Errorf("%s: want title and expires_at cleared", r)
			}
			r = srv.do(t, "POST", "/api/v1/urls", rawBody(`{"original_url": "https://example.com/n", "title": null, "custom_alias": null, "expires_at": null}`))
			expectJSON(t, r, http.StatusCreated)
		})
		t.Run("timestamps outside years 1-9999 in UTC are 422", func(t *testing.T) {
			for _, ts := range []string{"9999-12-31T23:59:59-05:00", "10000-01-01T00:00:00Z"} {
				r := srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://example.com/y", "expires_at": ts}, withToken(acct.access))
				expectValidation(t, r, "body.expires_at")
				r = srv.do(t, "PATCH", linkPath, map[string]any{"expires_at": ts}, withToken(acct.access))
				expectValidation(t, r, "body.expires_at")
			}
			r := srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://example.com/y", "expires_at": "9999-12-31T23:59:59Z"}, withToken(acct.access))
			expectJSON(t, r, http.StatusCreated)
			// The owner's list still answers: nothing unencodable was stored.
			expectJSON(t, srv.do(t, "GET", "/api/v1/urls?size=100", nil, withToken(acct.access)), http.StatusOK)
		})
		t.Run("a page past the end is empty, however far", func(t *testing.T) {
			list := srv.do(t, "GET", "/api/v1/urls?size=100", nil, withToken(acct.access))
			expectJSON(t, list, http.StatusOK)
			total := integer(t, "total", list.object(t)["total"])
			for _, size := range []int{1, 2, 7, 100} {
				for _, page := range []string{"9223372036854775807", "4611686018427387905", "1000"} {
					r := srv.do(t, "GET", "/api/v1/urls?page="+page+"&size="+strconv.Itoa(size), nil, withToken(acct.access))
					expectJSON(t, r, http.StatusOK)
					var p struct {
						Items []any       `json:"items"`
						Total int         `json:"total"`
						Pages int         `json:"pages"`
						Page  json.Number `json:"page"`
					}
					r.decode(t, &p)
					if p.Items == nil || len(p.Items) != 0 || p.Total != total || p.Pages != (total+size-1)/size || p.Page.String() != page {
						t.Errorf("%s: want items [], total %d, pages %d, page %s", r, total, (total+size-1)/size, page)
					}
				}
			}
			expectProblem(t, srv.do(t, "GET", "/api/v1/urls?page=9223372036854775808", nil, withToken(acct.access)), http.StatusUnprocessableEntity)
		})
	})
}
