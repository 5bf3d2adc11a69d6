package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/shortener-dev/shortener/internal/testenv"
)

// e2ePassword satisfies the password rules (8-128, upper case, digit).
const e2ePassword = "Corr3ct-Horse"

// account is a registered, logged-in user.
type account struct {
	email    string
	password string
	user     map[string]any
	access   string
	refresh  string
}

func (a *account) id() string { return a.user["id"].(string) }

func randomEmail() string { return testenv.RandomName("user-") + "@example.com" }

// register creates a user and checks the 201 User shape.
func (s *testServer) register(t *testing.T, email, password string) map[string]any {
	t.Helper()
	r := s.do(t, "POST", "/api/v1/auth/register", map[string]any{"email": email, "password": password})
	expectJSON(t, r, http.StatusCreated)
	u := r.object(t)
	checkUserShape(t, u)
	checkNoSecrets(t, r, password)
	return u
}

// login returns a token pair after checking its shape.
func (s *testServer) login(t *testing.T, email, password string) (access, refresh string) {
	t.Helper()
	r := s.do(t, "POST", "/api/v1/auth/login", map[string]any{"email": email, "password": password})
	expectJSON(t, r, http.StatusOK)
	return checkTokenPair(t, r)
}

// newAccount registers and logs in a fresh user.
func (s *testServer) newAccount(t *testing.T) *account {
	t.Helper()
	a := &account{email: randomEmail(), password: e2ePassword}
	a.user = s.register(t, a.email, a.password)
	a.access, a.refresh = s.login(t, a.email, a.password)
	return a
}

// promote makes a an admin with the "user promote" command and logs in
// again, so that the new tokens carry the role.
func (s *testServer) promote(t *testing.T, a *account) {
	t.Helper()
	out, err := s.runCommand(t, "user", "promote", a.email)
	if err != nil {
		t.Fatalf("user promote %s: %v (output %q)", a.email, err, out)
	}
	a.access, a.refresh = s.login(t, a.email, a.password)
	r := s.do(t, "GET", "/api/v1/auth/me", nil, withToken(a.access))
	expectJSON(t, r, http.StatusOK)
	if role := r.object(t)["role"]; role != "admin" {
		t.Fatalf("after user promote, /me role = %v, want admin", role)
	}
}

func checkUserShape(t *testing.T, u map[string]any) {
	t.Helper()
	want := []string{"id", "email", "full_name", "role", "is_active", "is_verified", "created_at"}
	for _, k := range want {
		if _, ok := u[k]; !ok {
			t.Errorf("User lacks %q: %v", k, u)
		}
	}
	if id, _ := u["id"].(string); !uuidRE.MatchString(id) {
		t.Errorf("User id %v is not a UUID", u["id"])
	}
	if role := u["role"]; role != "user" && role != "admin" {
		t.Errorf("User role %v, want user or admin", role)
	}
	if _, ok := u["is_active"].(bool); !ok {
		t.Errorf("User is_active %v is not a boolean", u["is_active"])
	}
	if _, ok := u["is_verified"].(bool); !ok {
		t.Errorf("User is_verified %v is not a boolean", u["is_verified"])
	}
	expectTimestamp(t, "User created_at", u["created_at"])
	for k := range u {
		if strings.Contains(strings.ToLower(k), "password") || strings.Contains(strings.ToLower(k), "hash") {
			t.Errorf("User has field %q", k)
		}
	}
}

// checkNoSecrets: neither the password nor a bcrypt hash is ever sent.
func checkNoSecrets(t *testing.T, r *result, password string) {
	t.Helper()
	body := string(r.Body)
	if password != "" && strings.Contains(body, password) {
		t.Errorf("%s: response contains the password", r)
	}
	for _, m := range []string{"$2a$", "$2b$", "$2y$", "password_hash", "hashed_password"} {
		if strings.Contains(body, m) {
			t.Errorf("%s: response contains %q", r, m)
		}
	}
}

// checkTokenPair checks the TokenPair shape and returns its tokens.
func checkTokenPair(t *testing.T, r *result) (access, refresh string) {
	t.Helper()
	p := r.object(t)
	access, _ = p["access_token"].(string)
	refresh, _ = p["refresh_token"].(string)
	if access == "" || refresh == "" || access == refresh {
		t.Fatalf("%s: want distinct non-empty access_token and refresh_token", r)
	}
	if p["token_type"] != "bearer" {
		t.Errorf("%s: token_type %v, want \"bearer\"", r, p["token_type"])
	}
	// ACCESS_TOKEN_EXPIRE_MINUTES is left at its default of 30.
	if exp := integer(t, "expires_in", p["expires_in"]); exp != 30*60 {
		t.Errorf("%s: expires_in %d, want %d seconds", r, exp, 30*60)
	}
	return access, refresh
}

// createLink posts body (token may be empty) and checks the 201 Link.
func (s *testServer) createLink(t *testing.T, token string, body map[string]any) map[string]any {
	t.Helper()
	var opts []reqOpt
	if token != "" {
		opts = append(opts, withToken(token))
	}
	r := s.do(t, "POST", "/api/v1/urls", body, opts...)
	expectJSON(t, r, http.StatusCreated)
	l := r.object(t)
	checkLinkShape(t, l)
	if loc := r.Header.Get("Location"); loc != "/api/v1/urls/"+str(l["id"]) {
		t.Errorf("%s: Location %q, want /api/v1/urls/%v", r, loc, l["id"])
	}
	return l
}

// link creates a public link to target and returns it.
func (s *testServer) link(t *testing.T, token, target string) map[string]any {
	t.Helper()
	return s.createLink(t, token, map[string]any{"original_url": target})
}

func str(v any) string { s, _ := v.(string); return s }

func checkLinkShape(t *testing.T, l map[string]any) {
	t.Helper()
	want := []string{"id", "short_code", "short_url", "original_url", "custom_alias", "title", "owner_id",
		"is_active", "is_public", "expires_at", "click_count", "created_at", "updated_at"}
	for _, k := range want {
		if _, ok := l[k]; !ok {
			t.Errorf("Link lacks %q: %v", k, l)
		}
	}
	if !uuidRE.MatchString(str(l["id"])) {
		t.Errorf("Link id %v is not a UUID", l["id"])
	}
	if got, want := str(l["short_url"]), e2eBaseURL+"/"+str(l["short_code"]); got != want {
		t.Errorf("short_url %q, want %q", got, want)
	}
	for _, k := range []string{"is_active", "is_public"} {
		if _, ok := l[k].(bool); !ok {
			t.Errorf("Link %s %v is not a boolean", k, l[k])
		}
	}
	integer(t, "click_count", l["click_count"])
	expectTimestamp(t, "Link created_at", l["created_at"])
	expectTimestamp(t, "Link updated_at", l["updated_at"])
	if l["expires_at"] != nil {
		expectTimestamp(t, "Link expires_at", l["expires_at"])
	}
}

// redirect GETs /code and returns the result.
func (s *testServer) redirect(t *testing.T, code string, opts ...reqOpt) *result {
	t.Helper()
	return s.do(t, "GET", "/"+code, nil, opts...)
}

// expectRedirect checks a 302 to target with the headers of API.md.
func expectRedirect(t *testing.T, r *result, target string) {
	t.Helper()
	expectStatus(t, r, http.StatusFound)
	if loc := r.Header.Get("Location"); loc != target {
		t.Errorf("%s: Location %q, want %q", r, loc, target)
	}
	if cc := r.Header.Get("Cache-Control"); cc != "private, max-age=0" {
		t.Errorf("%s: Cache-Control %q, want \"private, max-age=0\"", r, cc)
	}
	if xr := r.Header.Get("X-Robots-Tag"); xr != "noindex" {
		t.Errorf("%s: X-Robots-Tag %q, want noindex", r, xr)
	}
}
