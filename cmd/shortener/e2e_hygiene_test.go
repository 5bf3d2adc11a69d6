package main

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
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
		t.Run("text that is not UTF-8 is 422 where it would be stored", func(t *testing.T) {
			bodies := map[string]string{
				"body.title":        `{"original_url": "https://example.com/u8", "title": "ab` + "\xc3(" + `"}`,
				"body.original_url": `{"original_url": "https://example.com/` + "\xff" + `"}`,
				"body.rules[0].url": `{"original_url": "https://example.com/u8", "rules": [{"url": "https://example.com/` + "\xfe" + `", "device": ["ios"]}]}`,
			}
			for location, body := range bodies {
				expectValidation(t, srv.do(t, "POST", "/api/v1/urls", rawBody(body), withToken(acct.access)), location)
			}
			// A lone half of a surrogate pair, escaped, is no character either.
			expectValidation(t, srv.do(t, "PATCH", linkPath, rawBody(`{"title": "a\ud800b"}`), withToken(acct.access)), "body.title")
			expectValidation(t, srv.do(t, "PATCH", "/api/v1/auth/me", rawBody(`{"full_name": "Z`+"\xff"+`Z"}`), withToken(acct.access)), "body.full_name")
			expectValidation(t, srv.do(t, "POST", "/api/v1/auth/register",
				rawBody(`{"email": "`+"u\xff"+randomEmail()+`", "password": "`+e2ePassword+`"}`)), "body.email")
			// A whole pair is a character, and an escaped backslash no escape.
			r := srv.do(t, "PATCH", linkPath, rawBody(`{"title": "a\ud83d\ude00b \\ud800"}`), withToken(acct.access))
			expectJSON(t, r, http.StatusOK)
			if got := str(r.object(t)["title"]); got != "a\U0001F600b \\ud800" {
				t.Errorf("title %q, want the pair decoded and the escaped backslash kept", got)
			}
			r = srv.do(t, "GET", "/api/v1/auth/me", nil, withToken(acct.access))
			if name, _ := r.object(t)["full_name"].(string); name == "Z\uFFFDZ" {
				t.Errorf("%s: a refused full_name was stored", r)
			}
		})
		t.Run("an integer is written as one, within 64 bits", func(t *testing.T) {
			for _, v := range []string{"301.0", "3.01e2", "9223372036854775808", "1e400"} {
				r := srv.do(t, "POST", "/api/v1/urls", rawBody(`{"original_url": "https://example.com/int", "redirect_type": `+v+`}`), withToken(acct.access))
				expectValidation(t, r, "body.redirect_type")
				r = srv.do(t, "PATCH", linkPath, rawBody(`{"max_clicks": `+v+`}`), withToken(acct.access))
				expectValidation(t, r, "body.max_clicks")
			}
		})
		t.Run("a number beyond 64-bit floating point is a 422 where it is, in any field", func(t *testing.T) {
			// Well-formed JSON: not the 400 of a malformed body, and no
			// decoder's message naming Go types.
			for body, location := range map[string]string{
				`{"original_url": "https://example.com/f", "is_public": 1e999}`:                                             "body.is_public",
				`{"original_url": -1e400}`:                                                                                  "body.original_url",
				`{"original_url": "https://example.com/f", "x": [1, 1e999]}`:                                                "body.x[1]",
				`{"original_url": "https://example.com/f", "rules": [{"url": "https://example.com/r", "device": [1e999]}]}`: "body.rules[0].device[0]",
			} {
				r := srv.do(t, "POST", "/api/v1/urls", rawBody(body), withToken(acct.access))
				expectValidation(t, r, location)
				if strings.Contains(string(r.Body), "Go value") || strings.Contains(string(r.Body), "float64") {
					t.Errorf("%s: %s", body, r.Body)
				}
			}
			expectValidation(t, srv.do(t, "POST", "/api/v1/auth/login", rawBody(`{"email": "a@example.com", "password": 1e999}`)), "body.password")
		})
		t.Run("timestamps: RFC 3339's lower-case t and z, and no impossible date", func(t *testing.T) {
			r := srv.do(t, "PATCH", linkPath, map[string]any{"expires_at": "2999-01-01t00:00:00z"}, withToken(acct.access))
			expectJSON(t, r, http.StatusOK)
			if got := str(r.object(t)["expires_at"]); got != "2999-01-01T00:00:00Z" {
				t.Errorf("expires_at %q, want 2999-01-01T00:00:00Z", got)
			}
			// Offset hours run to 23 in RFC 3339 (Go's parser reads +24:00).
			for _, ts := range []string{"2999-02-30T00:00:00Z", "2999-01-01T24:61:00Z", "2999-01-01T00:00:00+24:00", "2999-01-01T00:00:00-24:00", "2999-01-01T00:00:00+01:60"} {
				expectValidation(t, srv.do(t, "PATCH", linkPath, map[string]any{"expires_at": ts}, withToken(acct.access)), "body.expires_at")
				expectValidation(t, srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://example.com/ts", "expires_at": ts}, withToken(acct.access)), "body.expires_at")
			}
			// A create answers the time as it is stored (microseconds), as
			// every later read does.
			r = srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://example.com/ts", "expires_at": "2999-01-01T00:00:00.123456789+23:59"}, withToken(acct.access))
			expectJSON(t, r, http.StatusCreated)
			created := r.object(t)
			const want = "2998-12-31T00:01:00.123456Z"
			if got := str(created["expires_at"]); got != want {
				t.Errorf("created expires_at %q, want %q", got, want)
			}
			r = srv.do(t, "GET", "/api/v1/urls/"+str(created["id"]), nil, withToken(acct.access))
			expectJSON(t, r, http.StatusOK)
			if got := str(r.object(t)["expires_at"]); got != want {
				t.Errorf("read expires_at %q, want %q", got, want)
			}
			expectJSON(t, srv.do(t, "PATCH", linkPath, rawBody(`{"expires_at": null}`), withToken(acct.access)), http.StatusOK)
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
