package main

import (
	"encoding/base64"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// TestE2EAuthRegisterLogin covers register, login and /me.
func TestE2EAuthRegisterLogin(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		t.Run("register returns a User", func(t *testing.T) {
			email := randomEmail()
			r := srv.do(t, "POST", "/api/v1/auth/register", map[string]any{
				"email": "  " + strings.ToUpper(email[:1]) + email[1:] + "  ", "password": e2ePassword, "full_name": "Ada Lovelace",
			})
			expectJSON(t, r, http.StatusCreated)
			checkNoSecrets(t, r, e2ePassword)
			u := r.object(t)
			checkUserShape(t, u)
			if got := str(u["email"]); !strings.EqualFold(got, email) {
				t.Errorf("email %q, want %q trimmed", got, email)
			}
			if u["full_name"] != "Ada Lovelace" || u["role"] != "user" || u["is_active"] != true {
				t.Errorf("User %v: want full_name Ada Lovelace, role user, is_active true", u)
			}
			// full_name is optional.
			u2 := srv.register(t, randomEmail(), e2ePassword)
			if u2["full_name"] != nil && u2["full_name"] != "" {
				t.Errorf("full_name %v without one given", u2["full_name"])
			}
		})
		t.Run("duplicate email in another case is 409", func(t *testing.T) {
			email := randomEmail()
			srv.register(t, email, e2ePassword)
			r := srv.do(t, "POST", "/api/v1/auth/register", map[string]any{"email": strings.ToUpper(email), "password": e2ePassword})
			expectProblem(t, r, http.StatusConflict)
			r = srv.do(t, "POST", "/api/v1/auth/register", map[string]any{"email": " " + email + " ", "password": e2ePassword})
			expectProblem(t, r, http.StatusConflict)
		})
		t.Run("invalid email is 422", func(t *testing.T) {
			for _, e := range []string{"not-an-email", "a@", "@example.com", "", "a b@example.com"} {
				r := srv.do(t, "POST", "/api/v1/auth/register", map[string]any{"email": e, "password": e2ePassword})
				expectValidation(t, r, "body.email")
			}
		})
		t.Run("weak passwords are 422", func(t *testing.T) {
			weak := map[string]string{
				"short":    "Abcde1x",
				"no upper": "abcdefg1",
				"no digit": "Abcdefgh",
				"over 128": "A1" + strings.Repeat("a", 127),
				"empty":    "",
			}
			for name, pw := range weak {
				r := srv.do(t, "POST", "/api/v1/auth/register", map[string]any{"email": randomEmail(), "password": pw})
				if r.Status != http.StatusUnprocessableEntity {
					t.Errorf("%s password: %s, want 422", name, r)
					continue
				}
				expectValidation(t, r, "body.password")
				checkNoSecrets(t, r, pw)
			}
			// The limits themselves are allowed.
			srv.register(t, randomEmail(), "Abcdef12")
			srv.register(t, randomEmail(), "A1"+strings.Repeat("a", 126))
		})
		t.Run("long passwords count every character", func(t *testing.T) {
			email := randomEmail()
			pw := "A1" + strings.Repeat("b", 100)
			srv.register(t, email, pw)
			srv.login(t, email, pw)
			// Differs only after byte 72, where plain bcrypt stops reading.
			other := "A1" + strings.Repeat("b", 99) + "c"
			r := srv.do(t, "POST", "/api/v1/auth/login", map[string]any{"email": email, "password": other})
			expectProblem(t, r, http.StatusUnauthorized)
		})
		t.Run("login", func(t *testing.T) {
			email := randomEmail()
			srv.register(t, email, e2ePassword)
			access, _ := srv.login(t, email, e2ePassword)
			// Emails are compared case-insensitively and trimmed.
			srv.login(t, " "+strings.ToUpper(email)+" ", e2ePassword)
			r := srv.do(t, "GET", "/api/v1/auth/me", nil, withToken(access))
			expectJSON(t, r, http.StatusOK)
			checkNoSecrets(t, r, e2ePassword)
			u := r.object(t)
			checkUserShape(t, u)
			if !strings.EqualFold(str(u["email"]), email) {
				t.Errorf("/me email %v, want %s", u["email"], email)
			}
		})
		t.Run("login failures are indistinguishable", func(t *testing.T) {
			email := randomEmail()
			srv.register(t, email, e2ePassword)
			wrong := srv.do(t, "POST", "/api/v1/auth/login", map[string]any{"email": email, "password": "Wr0ngPassword"})
			unknown := srv.do(t, "POST", "/api/v1/auth/login", map[string]any{"email": randomEmail(), "password": "Wr0ngPassword"})
			expectProblem(t, wrong, http.StatusUnauthorized)
			expectProblem(t, unknown, http.StatusUnauthorized)
			if string(wrong.Body) != string(unknown.Body) {
				t.Errorf("login 401 bodies differ:\nwrong password: %s\nunknown email:  %s", wrong.Body, unknown.Body)
			}
		})
	})
}

// TestE2EAuthTokens covers refresh rotation, reuse detection, logout and
// the rejection of bad access tokens. The reuse grace is off, so that an
// immediate replay counts as theft (TestE2ERefreshReuseGrace covers it).
func TestE2EAuthTokens(t *testing.T) {
	t.Parallel()
	forEachBackendEnv(t, map[string]string{"REFRESH_REUSE_GRACE": "0"}, func(t *testing.T, srv *testServer) {
		acct := srv.newAccount(t)
		me := func(t *testing.T, access string) *result {
			t.Helper()
			return srv.do(t, "GET", "/api/v1/auth/me", nil, withToken(access))
		}
		refresh := func(t *testing.T, tok string) *result {
			t.Helper()
			return srv.do(t, "POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": tok})
		}

		t.Run("refresh rotates", func(t *testing.T) {
			_, r1 := srv.login(t, acct.email, acct.password)
			r := refresh(t, r1)
			expectJSON(t, r, http.StatusOK)
			a2, r2 := checkTokenPair(t, r)
			if r2 == r1 {
				t.Fatal("refresh returned the same refresh token")
			}
			expectJSON(t, me(t, a2), http.StatusOK)
			expectProblem(t, refresh(t, r1), http.StatusUnauthorized)
		})
		t.Run("reuse revokes the login but not other logins", func(t *testing.T) {
			a1, r1 := srv.login(t, acct.email, acct.password)
			otherAccess, other := srv.login(t, acct.email, acct.password)
			res := refresh(t, r1)
			expectJSON(t, res, http.StatusOK)
			_, r2 := checkTokenPair(t, res)
			res = refresh(t, r2)
			expectJSON(t, res, http.StatusOK)
			a3, r3 := checkTokenPair(t, res)
			// r1 was rotated away: presenting it again is reuse.
			expectProblem(t, refresh(t, r1), http.StatusUnauthorized)
			// The newest token of that login is revoked too, and every
			// access token the login was given.
			expectProblem(t, refresh(t, r3), http.StatusUnauthorized)
			expectUnauthorized(t, me(t, a1))
			expectUnauthorized(t, me(t, a3))
			// The other login keeps working.
			expectJSON(t, me(t, otherAccess), http.StatusOK)
			res = refresh(t, other)
			expectJSON(t, res, http.StatusOK)
			checkTokenPair(t, res)
		})
		t.Run("invalid refresh tokens are 401", func(t *testing.T) {
			for _, tok := range []string{"garbage", acct.access} {
				expectProblem(t, refresh(t, tok), http.StatusUnauthorized)
			}
		})
		t.Run("logout", func(t *testing.T) {
			_, r1 := srv.login(t, acct.email, acct.password)
			res := refresh(t, r1)
			expectJSON(t, res, http.StatusOK)
			a2, r2 := checkTokenPair(t, res)
			expectJSON(t, me(t, a2), http.StatusOK)
			r := srv.do(t, "POST", "/api/v1/auth/logout", map[string]any{"refresh_token": r2})
			expectStatus(t, r, http.StatusNoContent)
			if len(r.Body) != 0 {
				t.Errorf("%s: 204 with a body", r)
			}
			expectProblem(t, refresh(t, r2), http.StatusUnauthorized)
			// The login is over: its access token with it.
			expectUnauthorized(t, me(t, a2))
			// Unknown, already revoked and malformed tokens: 204 too (no oracle).
			for _, tok := range []string{"unknown-token", r2, r1, strings.Repeat("A", 43)} {
				r = srv.do(t, "POST", "/api/v1/auth/logout", map[string]any{"refresh_token": tok})
				expectStatus(t, r, http.StatusNoContent)
			}
		})
		t.Run("logout of an older token of the login", func(t *testing.T) {
			_, r1 := srv.login(t, acct.email, acct.password)
			r := srv.do(t, "POST", "/api/v1/auth/logout", map[string]any{"refresh_token": r1})
			expectStatus(t, r, http.StatusNoContent)
			expectProblem(t, refresh(t, r1), http.StatusUnauthorized)
		})
		t.Run("concurrent refresh of one token: exactly one wins", func(t *testing.T) {
			_, tok := srv.login(t, acct.email, acct.password)
			const n = 8
			statuses := make([]int, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					// Not srv.do: t.Fatal must not run on this goroutine.
					resp, err := srv.client.Post(srv.url+"/api/v1/auth/refresh", "application/json",
						strings.NewReader(`{"refresh_token":"`+tok+`"}`))
					if err != nil {
						t.Errorf("refresh: %v", err)
						return
					}
					discard(resp.Body)
					statuses[i] = resp.StatusCode
				}()
			}
			wg.Wait()
			ok := 0
			for _, s := range statuses {
				switch s {
				case http.StatusOK:
					ok++
				case http.StatusUnauthorized:
				default:
					t.Errorf("concurrent refresh answered %d", s)
				}
			}
			if ok != 1 {
				t.Errorf("concurrent refresh of one token: %d answers 200 (%v), want exactly 1", ok, statuses)
			}
		})
		t.Run("bad access tokens are 401 with WWW-Authenticate", func(t *testing.T) {
			parts := strings.Split(acct.access, ".")
			if len(parts) != 3 {
				t.Fatalf("access token %q is not a JWS", acct.access)
			}
			sig := []byte(parts[2])
			if sig[0] == 'A' {
				sig[0] = 'B'
			} else {
				sig[0] = 'A'
			}
			tampered := parts[0] + "." + parts[1] + "." + string(sig)
			none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + "."
			tamperedPayload := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"x","exp":4102444800}`)) + "." + parts[2]
			expectUnauthorized(t, srv.do(t, "GET", "/api/v1/auth/me", nil))
			for name, tok := range map[string]string{
				"garbage":           "garbage",
				"three garbage":     "abc.def.ghi",
				"tampered sig":      tampered,
				"tampered payload":  tamperedPayload,
				"alg none":          none,
				"refresh as access": acct.refresh,
			} {
				r := me(t, tok)
				if r.Status != http.StatusUnauthorized {
					t.Errorf("%s token: %s, want 401", name, r)
					continue
				}
				expectUnauthorized(t, r)
			}
			expectUnauthorized(t, srv.do(t, "GET", "/api/v1/auth/me", nil, withHeader("Authorization", "Basic dXNlcjpwYXNz")))
			expectUnauthorized(t, srv.do(t, "GET", "/api/v1/auth/me", nil, withHeader("Authorization", "Bearer")))
			// The valid token still works.
			expectJSON(t, me(t, acct.access), http.StatusOK)
		})
	})
}

// TestE2EUserPromote: "user promote EMAIL" on the same database makes an
// admin, who may then read, change and delete other users' private links.
func TestE2EUserPromote(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		owner := srv.newAccount(t)
		admin := srv.newAccount(t)
		private := srv.createLink(t, owner.access, map[string]any{"original_url": "https://example.com/private", "is_public": false})
		anon := srv.link(t, "", "https://example.com/anon")
		id := str(private["id"])

		// Before the promotion the would-be admin is a normal user.
		expectProblem(t, srv.do(t, "GET", "/api/v1/urls/"+id, nil, withToken(admin.access)), http.StatusNotFound)

		if out, err := srv.runCommand(t, "user", "promote", "nobody-"+randomEmail()); err == nil {
			t.Errorf("user promote of an unknown email succeeded: %q", out)
		}
		srv.promote(t, admin)

		r := srv.do(t, "GET", "/api/v1/urls/"+id, nil, withToken(admin.access))
		expectJSON(t, r, http.StatusOK)
		r = srv.do(t, "GET", "/api/v1/analytics/"+str(private["short_code"])+"/summary", nil, withToken(admin.access))
		expectJSON(t, r, http.StatusOK)
		r = srv.do(t, "PATCH", "/api/v1/urls/"+id, map[string]any{"title": "by admin"}, withToken(admin.access))
		expectJSON(t, r, http.StatusOK)
		if got := r.object(t)["title"]; got != "by admin" {
			t.Errorf("admin PATCH title = %v", got)
		}
		r = srv.do(t, "PATCH", "/api/v1/urls/"+str(anon["id"]), map[string]any{"original_url": "https://example.com/anon2"}, withToken(admin.access))
		expectJSON(t, r, http.StatusOK)
		expectRedirect(t, srv.redirect(t, str(anon["short_code"])), "https://example.com/anon2")
		// The owner sees the admin's change.
		r = srv.do(t, "GET", "/api/v1/urls/"+id, nil, withToken(owner.access))
		expectJSON(t, r, http.StatusOK)
		if got := r.object(t)["owner_id"]; got != owner.id() {
			t.Errorf("owner_id after admin PATCH = %v, want %s", got, owner.id())
		}
		r = srv.do(t, "DELETE", "/api/v1/urls/"+id, nil, withToken(admin.access))
		expectStatus(t, r, http.StatusNoContent)
		expectProblem(t, srv.do(t, "GET", "/api/v1/urls/"+id, nil, withToken(owner.access)), http.StatusNotFound)
		expectProblem(t, srv.redirect(t, str(private["short_code"])), http.StatusNotFound)
	})
}

// TestE2ERefreshReuseGrace: concurrent refreshes with one token (a client
// with several tabs) leave exactly one winner whose new token keeps
// working; the losers are refused without logging it out.
func TestE2ERefreshReuseGrace(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		acct := srv.newAccount(t)
		_, r1 := srv.login(t, acct.email, acct.password)
		var wg sync.WaitGroup
		results := make([]*result, 20)
		for i := range results {
			wg.Go(func() {
				results[i] = srv.do(t, "POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": r1})
			})
		}
		wg.Wait()
		var winner string
		for _, r := range results {
			switch r.Status {
			case http.StatusOK:
				if winner != "" {
					t.Fatalf("two concurrent refreshes of one token succeeded")
				}
				_, winner = checkTokenPair(t, r)
			case http.StatusUnauthorized:
			default:
				t.Fatalf("concurrent refresh: %s", r)
			}
		}
		if winner == "" {
			t.Fatal("no concurrent refresh succeeded")
		}
		res := srv.do(t, "POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": winner})
		expectJSON(t, res, http.StatusOK)
	})
}

// TestE2ECredentialsBeforeParameters: a call that needs a credential is
// 401 without a good one whatever its parameters say (not 422 for a bad
// page size), and a credential that fails is 401 where one is optional,
// the QR code included.
func TestE2ECredentialsBeforeParameters(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		acct := srv.newAccount(t)
		code := str(srv.link(t, acct.access, "https://example.com/qr-auth")["short_code"])
		for _, c := range []struct{ path, location string }{
			{"/api/v1/urls?page=1&size=0", "query.size"},
			{"/api/v1/analytics/" + code + "/summary?days=0", "query.days"},
		} {
			expectUnauthorized(t, srv.do(t, "GET", c.path, nil))
			expectUnauthorized(t, srv.do(t, "GET", c.path, nil, withToken("garbage")))
			expectValidation(t, srv.do(t, "GET", c.path, nil, withToken(acct.access)), c.location)
		}
		qr := "/api/v1/qr/" + code
		expectUnauthorized(t, srv.do(t, "GET", qr, nil, withToken("garbage")))
		for _, opts := range [][]reqOpt{nil, {withToken(acct.access)}} {
			if r := srv.do(t, "GET", qr, nil, opts...); r.Status != http.StatusOK || r.Header.Get("Content-Type") != "image/png" {
				t.Errorf("%s: want the PNG", r)
			}
		}
	})
}
