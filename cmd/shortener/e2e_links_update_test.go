package main

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestE2ELinkUpdateDelete covers PATCH and DELETE /api/v1/urls/{id}.
func TestE2ELinkUpdateDelete(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		alice := srv.newAccount(t)
		bob := srv.newAccount(t)
		patch := func(t *testing.T, tok, id string, body any) *result {
			t.Helper()
			var opts []reqOpt
			if tok != "" {
				opts = append(opts, withToken(tok))
			}
			return srv.do(t, "PATCH", "/api/v1/urls/"+id, body, opts...)
		}

		t.Run("owner changes the target; the redirect follows at once", func(t *testing.T) {
			l := srv.link(t, alice.access, "https://example.com/before")
			code, id := str(l["short_code"]), str(l["id"])
			expectRedirect(t, srv.redirect(t, code), "https://example.com/before")
			r := patch(t, alice.access, id, map[string]any{"original_url": "https://example.com/after", "title": "New"})
			expectJSON(t, r, http.StatusOK)
			u := r.object(t)
			checkLinkShape(t, u)
			if u["original_url"] != "https://example.com/after" || u["title"] != "New" || u["short_code"] != code {
				t.Errorf("patched link %v", u)
			}
			if expectTimestamp(t, "updated_at", u["updated_at"]).Before(expectTimestamp(t, "created_at", u["created_at"])) {
				t.Errorf("updated_at %v before created_at %v", u["updated_at"], u["created_at"])
			}
			expectRedirect(t, srv.redirect(t, code), "https://example.com/after")
		})
		t.Run("expires_at null clears it", func(t *testing.T) {
			l := srv.createLink(t, alice.access, map[string]any{"original_url": "https://example.com/exp",
				"expires_at": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)})
			r := patch(t, alice.access, str(l["id"]), rawBody(`{"expires_at": null}`))
			expectJSON(t, r, http.StatusOK)
			if u := r.object(t); u["expires_at"] != nil || u["original_url"] != "https://example.com/exp" {
				t.Errorf("after expires_at null: %v", u)
			}
			// Omitting a field leaves it alone.
			exp := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)
			expectJSON(t, patch(t, alice.access, str(l["id"]), map[string]any{"expires_at": exp.Format(time.RFC3339)}), http.StatusOK)
			r = patch(t, alice.access, str(l["id"]), map[string]any{"title": "keeps expiry"})
			expectJSON(t, r, http.StatusOK)
			if got := expectTimestamp(t, "expires_at", r.object(t)["expires_at"]); !got.Equal(exp) {
				t.Errorf("expires_at %v after a PATCH without it, want %v", got, exp)
			}
		})
		t.Run("is_active false makes the redirect 404", func(t *testing.T) {
			l := srv.link(t, alice.access, "https://example.com/active")
			code, id := str(l["short_code"]), str(l["id"])
			expectRedirect(t, srv.redirect(t, code), "https://example.com/active")
			r := patch(t, alice.access, id, map[string]any{"is_active": false})
			expectJSON(t, r, http.StatusOK)
			if r.object(t)["is_active"] != false {
				t.Errorf("is_active not false: %s", r)
			}
			expectProblem(t, srv.redirect(t, code), http.StatusNotFound)
			expectJSON(t, patch(t, alice.access, id, map[string]any{"is_active": true}), http.StatusOK)
			expectRedirect(t, srv.redirect(t, code), "https://example.com/active")
		})
		t.Run("is_public toggles reading by others", func(t *testing.T) {
			l := srv.link(t, alice.access, "https://example.com/pub")
			id := str(l["id"])
			expectJSON(t, patch(t, alice.access, id, map[string]any{"is_public": false}), http.StatusOK)
			expectProblem(t, srv.do(t, "GET", "/api/v1/urls/"+id, nil, withToken(bob.access)), http.StatusNotFound)
			expectJSON(t, patch(t, alice.access, id, map[string]any{"is_public": true}), http.StatusOK)
			expectJSON(t, srv.do(t, "GET", "/api/v1/urls/"+id, nil, withToken(bob.access)), http.StatusOK)
		})
		t.Run("others may not change it", func(t *testing.T) {
			l := srv.link(t, alice.access, "https://example.com/mine")
			id := str(l["id"])
			expectProblem(t, patch(t, bob.access, id, map[string]any{"title": "x"}), http.StatusNotFound)
			expectUnauthorized(t, patch(t, "", id, map[string]any{"title": "x"}))
			anon := srv.link(t, "", "https://example.com/anon")
			r := patch(t, bob.access, str(anon["id"]), map[string]any{"title": "x"})
			if r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
				t.Errorf("%s: want 403 or 404 for an anonymous link", r)
			}
			expectProblem(t, r, r.Status)
			expectProblem(t, patch(t, alice.access, "00000000-0000-0000-0000-000000000000", map[string]any{"title": "x"}), http.StatusNotFound)
			expectProblem(t, patch(t, alice.access, "not-a-uuid", map[string]any{"title": "x"}), http.StatusNotFound)
			// Nothing changed.
			r = srv.do(t, "GET", "/api/v1/urls/"+id, nil, withToken(alice.access))
			if r.object(t)["title"] == "x" {
				t.Error("a refused PATCH changed the link")
			}
		})
		t.Run("bad values are 422", func(t *testing.T) {
			l := srv.link(t, alice.access, "https://example.com/bad")
			id := str(l["id"])
			cases := map[string]map[string]any{
				"body.original_url": {"original_url": "http://127.0.0.1/"},
				"body.title":        {"title": strings.Repeat("t", 256)},
				"body.expires_at":   {"expires_at": "2001-01-01T00:00:00Z"},
				"body.is_active":    {"is_active": "yes"},
				"body.foo":          {"foo": 1},
			}
			for loc, body := range cases {
				expectValidation(t, patch(t, alice.access, id, body), loc)
			}
			expectValidation(t, patch(t, alice.access, id, map[string]any{"original_url": "https://LocalHost:1234/loop"}), "body.original_url")
			expectRedirect(t, srv.redirect(t, str(l["short_code"])), "https://example.com/bad")
		})
		t.Run("delete", func(t *testing.T) {
			l := srv.link(t, alice.access, "https://example.com/del")
			code, id := str(l["short_code"]), str(l["id"])
			// Cache the code by redirecting first.
			expectRedirect(t, srv.redirect(t, code), "https://example.com/del")
			expectRedirect(t, srv.redirect(t, code), "https://example.com/del")
			expectUnauthorized(t, srv.do(t, "DELETE", "/api/v1/urls/"+id, nil))
			expectProblem(t, srv.do(t, "DELETE", "/api/v1/urls/"+id, nil, withToken(bob.access)), http.StatusNotFound)
			r := srv.do(t, "DELETE", "/api/v1/urls/"+id, nil, withToken(alice.access))
			expectStatus(t, r, http.StatusNoContent)
			expectProblem(t, srv.redirect(t, code), http.StatusNotFound)
			expectProblem(t, srv.do(t, "GET", "/api/v1/urls/"+id, nil, withToken(alice.access)), http.StatusNotFound)
			expectProblem(t, srv.do(t, "DELETE", "/api/v1/urls/"+id, nil, withToken(alice.access)), http.StatusNotFound)
			expectProblem(t, patch(t, alice.access, id, map[string]any{"title": "x"}), http.StatusNotFound)

			anon := srv.link(t, "", "https://example.com/anon-del")
			r = srv.do(t, "DELETE", "/api/v1/urls/"+str(anon["id"]), nil, withToken(bob.access))
			if r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
				t.Errorf("%s: want 403 or 404 for an anonymous link", r)
			}
			expectRedirect(t, srv.redirect(t, str(anon["short_code"])), "https://example.com/anon-del")
		})
	})
}

// TestE2EOptionalAuthRejectsBadTokens: where a token is optional, a bad
// one is still a 401, never a silent fall-back to anonymous.
func TestE2EOptionalAuthRejectsBadTokens(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		l := srv.link(t, "", "https://example.com/optional")
		bad := withToken("not.a.token")
		expectUnauthorized(t, srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://example.com/x"}, bad))
		expectUnauthorized(t, srv.do(t, "GET", "/api/v1/urls/"+str(l["id"]), nil, bad))
		expectUnauthorized(t, srv.do(t, "GET", "/api/v1/urls", nil, bad))
		expectUnauthorized(t, srv.do(t, "PATCH", "/api/v1/urls/"+str(l["id"]), map[string]any{"title": "x"}, bad))
		expectUnauthorized(t, srv.do(t, "DELETE", "/api/v1/urls/"+str(l["id"]), nil, bad))
		expectUnauthorized(t, srv.do(t, "GET", "/api/v1/analytics/"+str(l["short_code"])+"/summary", nil, bad))
		// The redirect ignores Authorization altogether.
		expectRedirect(t, srv.redirect(t, str(l["short_code"]), bad), "https://example.com/optional")
	})
}
