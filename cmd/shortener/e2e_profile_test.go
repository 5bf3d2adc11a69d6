package main

import (
	"net/http"
	"testing"
)

// TestE2EProfileUpdate covers PATCH /api/v1/auth/me: the name is changed
// and cleared; a new password needs the right current one, and then ends
// the user's other logins but not the one that changed it, and only the
// new password logs in.
func TestE2EProfileUpdate(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		me := func(t *testing.T, access string) map[string]any {
			t.Helper()
			r := srv.do(t, "GET", "/api/v1/auth/me", nil, withToken(access))
			expectJSON(t, r, http.StatusOK)
			return r.object(t)
		}
		patch := func(t *testing.T, access string, body any) *result {
			t.Helper()
			return srv.do(t, "PATCH", "/api/v1/auth/me", body, withToken(access))
		}
		refresh := func(t *testing.T, tok string) *result {
			t.Helper()
			return srv.do(t, "POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": tok})
		}

		t.Run("name", func(t *testing.T) {
			acct := srv.newAccount(t)
			r := patch(t, acct.access, map[string]any{"full_name": "  Ada Lovelace "})
			expectJSON(t, r, http.StatusOK)
			u := r.object(t)
			checkUserShape(t, u)
			if u["full_name"] != "Ada Lovelace" || u["id"] != acct.id() || u["email"] != acct.user["email"] {
				t.Errorf("PATCH full_name answered %v, want the same user named Ada Lovelace (trimmed)", u)
			}
			if got := me(t, acct.access)["full_name"]; got != "Ada Lovelace" {
				t.Errorf("after PATCH, GET /me full_name = %v", got)
			}
			r = srv.do(t, "PATCH", "/api/v1/auth/me", rawBody(`{"full_name":null}`), withToken(acct.access), withHeader("Content-Type", "application/json"))
			expectJSON(t, r, http.StatusOK)
			if got, ok := r.object(t)["full_name"]; !ok || got != nil {
				t.Errorf("PATCH full_name null answered full_name %#v, want null", got)
			}
			if got := me(t, acct.access)["full_name"]; got != nil {
				t.Errorf("after clearing, GET /me full_name = %#v, want null", got)
			}
			// The name change touched no login.
			expectJSON(t, refresh(t, acct.refresh), http.StatusOK)
		})

		t.Run("auth required", func(t *testing.T) {
			expectUnauthorized(t, srv.do(t, "PATCH", "/api/v1/auth/me", map[string]any{"full_name": "X"}))
		})

		t.Run("password", func(t *testing.T) {
			acct := srv.newAccount(t)
			otherAccess, otherRefresh := srv.login(t, acct.email, acct.password) // another device
			const newPassword = "N3w-Horse-Battery"

			r := patch(t, acct.access, map[string]any{"password": newPassword})
			expectValidation(t, r, "body.current_password")
			checkNoSecrets(t, r, newPassword)

			r = patch(t, acct.access, map[string]any{"password": newPassword, "current_password": "Wr0ng-Password"})
			expectProblem(t, r, http.StatusForbidden)
			checkNoSecrets(t, r, newPassword)
			// Refused changes changed nothing: both logins live, the old
			// password logs in.
			for _, tok := range []*string{&acct.refresh, &otherRefresh} {
				res := refresh(t, *tok)
				expectJSON(t, res, http.StatusOK)
				_, *tok = checkTokenPair(t, res)
			}
			_, thirdRefresh := srv.login(t, acct.email, acct.password)

			r = patch(t, acct.access, map[string]any{"password": newPassword, "current_password": acct.password})
			expectJSON(t, r, http.StatusOK)
			checkUserShape(t, r.object(t))
			checkNoSecrets(t, r, newPassword)

			// The user's other logins are over, their access tokens too; the
			// one that changed it goes on.
			expectUnauthorized(t, srv.do(t, "GET", "/api/v1/auth/me", nil, withToken(otherAccess)))
			if got := me(t, acct.access)["id"]; got != acct.id() {
				t.Errorf("the changing login's access token is user %v, want %s", got, acct.id())
			}
			expectProblem(t, refresh(t, otherRefresh), http.StatusUnauthorized)
			expectProblem(t, refresh(t, thirdRefresh), http.StatusUnauthorized)
			res := refresh(t, acct.refresh)
			expectJSON(t, res, http.StatusOK)
			access, _ := checkTokenPair(t, res)
			if got := me(t, access)["id"]; got != acct.id() {
				t.Errorf("the refreshed login is user %v, want %s", got, acct.id())
			}

			// Only the new password logs in.
			r = srv.do(t, "POST", "/api/v1/auth/login", map[string]any{"email": acct.email, "password": acct.password})
			expectProblem(t, r, http.StatusUnauthorized)
			srv.login(t, acct.email, newPassword)
		})

		t.Run("weak new password", func(t *testing.T) {
			acct := srv.newAccount(t)
			r := patch(t, acct.access, map[string]any{"password": "weak", "current_password": acct.password})
			expectValidation(t, r, "body.password")
			checkNoSecrets(t, r, "weak")
			srv.login(t, acct.email, acct.password)
		})
	})
}
