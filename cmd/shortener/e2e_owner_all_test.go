package main

import (
	"fmt"
	"net/http"
	"testing"
)

// TestE2EListEveryOwner covers GET /api/v1/urls?owner=all: an admin sees
// every user's links and the anonymous ones, with the right total and
// paging; anyone else is refused with 403, and another owner value is 422.
func TestE2EListEveryOwner(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		alice := srv.newAccount(t)
		bob := srv.newAccount(t)
		admin := srv.newAccount(t)
		srv.promote(t, admin)

		want := map[string]string{} // link id → owner id ("" for anonymous)
		for _, c := range []struct {
			acct   *account
			public bool
		}{{alice, true}, {alice, false}, {bob, true}, {nil, true}, {admin, true}} {
			token, owner := "", ""
			if c.acct != nil {
				token, owner = c.acct.access, c.acct.id()
			}
			l := srv.createLink(t, token, map[string]any{"original_url": fmt.Sprintf("https://example.com/%d", len(want)), "is_public": c.public})
			want[str(l["id"])] = owner
		}

		list := func(t *testing.T, token, query string) map[string]any {
			t.Helper()
			r := srv.do(t, "GET", "/api/v1/urls"+query, nil, withToken(token))
			expectJSON(t, r, http.StatusOK)
			return r.object(t)
		}
		t.Run("admin sees every link", func(t *testing.T) {
			p := list(t, admin.access, "?owner=all&size=100")
			if total := integer(t, "total", p["total"]); total != len(want) {
				t.Errorf("owner=all total %d, want %d (every user's links and the anonymous one)", total, len(want))
			}
			items, _ := p["items"].([]any)
			seen := map[string]bool{}
			for _, it := range items {
				l := it.(map[string]any)
				checkLinkShape(t, l)
				id := str(l["id"])
				owner, ok := want[id]
				if !ok {
					t.Errorf("owner=all lists link %s, which this test did not make", id)
					continue
				}
				seen[id] = true
				if got := str(l["owner_id"]); got != owner {
					t.Errorf("link %s owner_id %v, want %q", id, l["owner_id"], owner)
				}
			}
			if len(seen) != len(want) || len(items) != len(want) {
				t.Errorf("owner=all listed %d items (%d of ours), want the %d links", len(items), len(seen), len(want))
			}
			// Paging applies to everyone's links too.
			p = list(t, admin.access, "?owner=all&size=2&page=3")
			if items, _ := p["items"].([]any); len(items) != 1 || integer(t, "total", p["total"]) != len(want) || integer(t, "pages", p["pages"]) != 3 {
				t.Errorf("owner=all page 3 of size 2: %v", p)
			}
			// Without owner=all, the admin lists their own.
			if total := integer(t, "total", list(t, admin.access, "")["total"]); total != 1 {
				t.Errorf("the admin's own list has %d links, want 1", total)
			}
		})
		t.Run("non-admin is refused", func(t *testing.T) {
			expectProblem(t, srv.do(t, "GET", "/api/v1/urls?owner=all", nil, withToken(alice.access)), http.StatusForbidden)
			if total := integer(t, "total", list(t, alice.access, "")["total"]); total != 2 {
				t.Errorf("alice's own list has %d links, want 2", total)
			}
		})
		t.Run("other owner values are 422", func(t *testing.T) {
			for _, q := range []string{"?owner=other", "?owner=ALL", "?owner=me"} {
				expectValidation(t, srv.do(t, "GET", "/api/v1/urls"+q, nil, withToken(admin.access)), "query.owner")
			}
		})
		t.Run("auth required", func(t *testing.T) {
			expectUnauthorized(t, srv.do(t, "GET", "/api/v1/urls?owner=all", nil))
		})
	})
}
