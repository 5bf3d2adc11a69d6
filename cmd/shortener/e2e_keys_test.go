package main

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var apiKeyRE = regexp.MustCompile(`^shk_[0-9A-Za-z]{40,}$`)

// newKey creates an API key of acct with the scopes and returns it.
func (s *testServer) newKey(t *testing.T, acct *account, scopes ...string) string {
	t.Helper()
	return str(s.createKey(t, acct, map[string]any{"name": "e2e", "scopes": scopes})["key"])
}

func (s *testServer) createKey(t *testing.T, acct *account, body map[string]any) map[string]any {
	t.Helper()
	res := s.do(t, "POST", "/api/v1/keys", body, withToken(acct.access))
	expectJSON(t, res, http.StatusCreated)
	k := res.object(t)
	if key := str(k["key"]); !apiKeyRE.MatchString(key) || k["prefix"] != key[:12] {
		t.Fatalf("created key %v", k)
	}
	return k
}

// TestE2EAPIKeys: a key is shown once, acts as its user within its scopes
// (403 outside them, also where no credential is needed), counts against
// the user's rate-limit bucket, cannot manage keys or the account, and
// stops working when revoked.
func TestE2EAPIKeys(t *testing.T) {
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		acct := srv.newAccount(t)
		k := srv.createKey(t, acct, map[string]any{"name": "reader", "scopes": []string{"links:read"}})
		key := str(k["key"])
		link := srv.createLink(t, acct.access, map[string]any{"original_url": "https://example.com/keyed", "is_public": false})

		list := srv.do(t, "GET", "/api/v1/keys", nil, withToken(acct.access))
		expectJSON(t, list, http.StatusOK)
		if regexp.MustCompile(`shk_[0-9A-Za-z]{40}`).Match(list.Body) {
			t.Errorf("the key list shows a key: %s", list.Body)
		}

		// Acts as its user: a private link of theirs is readable.
		for _, opt := range []reqOpt{withToken(key), withHeader("X-API-Key", key)} {
			expectJSON(t, srv.do(t, "GET", "/api/v1/urls/"+str(link["id"]), nil, opt), http.StatusOK)
		}
		// Credentials that could name two callers are refused, not one of
		// them picked; so is an access token sent as X-API-Key. The same
		// key in both headers is one credential; blank headers are none.
		other := srv.newAccount(t)
		addHeader := func(k, v string) reqOpt { return func(r *http.Request) { r.Header.Add(k, v) } }
		for name, opts := range map[string][]reqOpt{
			"a token and another user's key":    {withToken(acct.access), withHeader("X-API-Key", srv.newKey(t, other, "links:read"))},
			"a token and a wrong key":           {withToken(acct.access), withHeader("X-API-Key", "shk_"+strings.Repeat("x", 40))},
			"a token and its user's key":        {withToken(acct.access), withHeader("X-API-Key", key)},
			"two Authorization headers":         {withToken(acct.access), addHeader("Authorization", "Bearer garbage")},
			"two X-API-Key headers":             {withHeader("X-API-Key", key), addHeader("X-API-Key", key)},
			"an access token as X-API-Key":      {withHeader("X-API-Key", acct.access)},
			"an access token in both, as a key": {withToken(acct.access), withHeader("X-API-Key", acct.access)},
		} {
			t.Run(name, func(t *testing.T) {
				expectUnauthorized(t, srv.do(t, "GET", "/api/v1/urls/"+str(link["id"]), nil, opts...))
			})
		}
		expectJSON(t, srv.do(t, "GET", "/api/v1/urls/"+str(link["id"]), nil, withToken(key), withHeader("X-API-Key", key)), http.StatusOK)
		expectJSON(t, srv.do(t, "GET", "/api/v1/urls/"+str(link["id"]), nil, withToken(acct.access), withHeader("X-API-Key", " ")), http.StatusOK)
		expectJSON(t, srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://example.com/blank-key"}, withHeader("X-API-Key", "")), http.StatusCreated)

		// Outside its scope: 403, also for a call anonymous clients may make.
		expectProblem(t, srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://example.com/x"}, withToken(key)), http.StatusForbidden)
		expectProblem(t, srv.do(t, "GET", "/api/v1/analytics/"+str(link["short_code"])+"/summary", nil, withToken(key)), http.StatusForbidden)
		// No key manages keys or the account.
		for _, c := range [][2]string{{"GET", "/api/v1/keys"}, {"POST", "/api/v1/keys"}, {"DELETE", "/api/v1/keys/" + str(k["id"])}, {"GET", "/api/v1/auth/me"}} {
			var body any
			if c[0] == "POST" {
				body = map[string]any{"name": "x", "scopes": []string{"links:read"}}
			}
			expectProblem(t, srv.do(t, c[0], c[1], body, withToken(srv.newKey(t, acct, "links:read", "links:write", "analytics:read", "webhooks:write"))), http.StatusForbidden)
		}

		// Each scope allows its calls and no other.
		calls := map[string][3]string{
			"links:read":     {"GET", "/api/v1/urls", ""},
			"links:write":    {"POST", "/api/v1/urls", `{"original_url":"https://example.com/scoped"}`},
			"analytics:read": {"GET", "/api/v1/analytics/" + str(link["short_code"]) + "/summary", ""},
			"webhooks:write": {"GET", "/api/v1/webhooks", ""},
		}
		for scope := range calls {
			scoped := srv.newKey(t, acct, scope)
			for callScope, c := range calls {
				var body any
				if c[2] != "" {
					body = rawBody(c[2])
				}
				r := srv.do(t, c[0], c[1], body, withToken(scoped), withHeader("Content-Type", "application/json"))
				if (r.Status == http.StatusForbidden) != (scope != callScope) {
					t.Errorf("a %s key: %s", scope, r)
				}
			}
		}

		// The user's bucket: a key's call and a token's call count together.
		before := remaining(t, srv.do(t, "GET", "/api/v1/urls", nil, withToken(acct.access)))
		if after := remaining(t, srv.do(t, "GET", "/api/v1/urls", nil, withToken(key))); after != before-1 {
			t.Errorf("RateLimit-Remaining %d after the key's call, want %d (the user's bucket)", after, before-1)
		}

		waitFor(t, "last_used_at", func() bool {
			r := srv.do(t, "GET", "/api/v1/keys", nil, withToken(acct.access))
			var l struct {
				Items []map[string]any `json:"items"`
			}
			r.decode(t, &l)
			for _, it := range l.Items {
				if it["id"] == k["id"] && it["last_used_at"] != nil {
					return true
				}
			}
			return false
		})

		expectStatus(t, srv.do(t, "DELETE", "/api/v1/keys/"+str(k["id"]), nil, withToken(acct.access)), http.StatusNoContent)
		expectUnauthorized(t, srv.do(t, "GET", "/api/v1/urls", nil, withToken(key)))
		expectProblem(t, srv.do(t, "DELETE", "/api/v1/keys/"+str(k["id"]), nil, withToken(acct.access)), http.StatusNotFound)
		expectValidation(t, srv.do(t, "POST", "/api/v1/keys", map[string]any{"name": "x", "scopes": []string{"links:admin"}}, withToken(acct.access)), "body.scopes[0]")
		expectValidation(t, srv.do(t, "POST", "/api/v1/keys", map[string]any{"name": "x", "scopes": []string{"links:read"},
			"expires_at": time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)}, withToken(acct.access)), "body.expires_at")
	})
}

func remaining(t *testing.T, r *result) int {
	t.Helper()
	n, err := strconv.Atoi(r.Header.Get("RateLimit-Remaining"))
	if err != nil {
		t.Fatalf("%s: RateLimit-Remaining %q", r, r.Header.Get("RateLimit-Remaining"))
	}
	return n
}

// TestE2EKeysRevokedAndExpiredOnEveryInstance: a key revoked or expired
// through one instance is refused by the other with the very next request.
func TestE2EKeysRevokedAndExpiredOnEveryInstance(t *testing.T) {
	t.Parallel()
	a, b := startPair(t, nil)
	acct := a.newAccount(t)
	revoked := a.createKey(t, acct, map[string]any{"name": "r", "scopes": []string{"links:read"}})
	expiring := a.createKey(t, acct, map[string]any{"name": "e", "scopes": []string{"links:read"},
		"expires_at": time.Now().Add(3 * time.Second).UTC().Format(time.RFC3339Nano)})
	for _, k := range []map[string]any{revoked, expiring} {
		expectJSON(t, b.do(t, "GET", "/api/v1/urls", nil, withToken(str(k["key"]))), http.StatusOK)
	}
	expectStatus(t, a.do(t, "DELETE", "/api/v1/keys/"+str(revoked["id"]), nil, withToken(acct.access)), http.StatusNoContent)
	expectUnauthorized(t, b.do(t, "GET", "/api/v1/urls", nil, withToken(str(revoked["key"]))))
	expectUnauthorized(t, b.do(t, "GET", "/api/v1/urls", nil, withHeader("X-API-Key", str(revoked["key"]))))
	time.Sleep(time.Until(expectTimestamp(t, "expires_at", expiring["expires_at"])))
	expectUnauthorized(t, b.do(t, "GET", "/api/v1/urls", nil, withToken(str(expiring["key"]))))
}
