package main

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestE2ESettings: settings of CONFIG.md change what the API answers.
func TestE2ESettings(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"BASE_URL":                    "https://Sho.rt/",
		"SHORT_CODE_LENGTH":           "10",
		"ACCESS_TOKEN_EXPIRE_MINUTES": "5",
	}
	forEachBackendEnv(t, env, func(t *testing.T, srv *testServer) {
		email := randomEmail()
		srv.register(t, email, e2ePassword)
		r := srv.do(t, "POST", "/api/v1/auth/login", map[string]any{"email": email, "password": e2ePassword})
		expectJSON(t, r, http.StatusOK)
		if got := integer(t, "expires_in", r.object(t)["expires_in"]); got != 300 {
			t.Errorf("expires_in %d with ACCESS_TOKEN_EXPIRE_MINUTES=5, want 300", got)
		}

		r = srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://example.com/settings"})
		expectJSON(t, r, http.StatusCreated)
		l := r.object(t)
		code := str(l["short_code"])
		if !regexp.MustCompile(`^[A-Za-z0-9]{10}$`).MatchString(code) {
			t.Errorf("code %q with SHORT_CODE_LENGTH=10", code)
		}
		// The trailing slash of BASE_URL does not double.
		if got := str(l["short_url"]); !strings.EqualFold(got, "https://sho.rt/"+code) || strings.Contains(got, "//"+code) {
			t.Errorf("short_url %q, want https://Sho.rt/%s", got, code)
		}
		q := srv.do(t, "GET", "/api/v1/qr/"+code, nil)
		expectStatus(t, q, http.StatusOK)
		if text, _ := decodeQR(t, q.Body); text != str(l["short_url"]) {
			t.Errorf("QR encodes %q, want %q", text, l["short_url"])
		}
		// Links to the service's own host are refused, in any spelling.
		for _, u := range []string{"https://sho.rt/x", "http://SHO.RT/x", "https://sho.rt.:8443/", "http://Sho.rt"} {
			r := srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": u})
			if r.Status != http.StatusUnprocessableEntity {
				t.Errorf("original_url %q: %s, want 422 (own host)", u, r)
				continue
			}
			expectValidation(t, r, "body.original_url")
		}
		// localhost is still refused for its own sake.
		expectValidation(t, srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "http://localhost:8000/x"}), "body.original_url")
	})
}

// TestE2EMemorySpool: CLICK_SPOOL=memory still counts clicks, and
// ANALYTICS_CACHE_TTL=0 shows them in the summary as soon as they are
// flushed.
func TestE2EMemorySpool(t *testing.T) {
	t.Parallel()
	env := map[string]string{"CLICK_SPOOL": "memory", "ANALYTICS_CACHE_TTL": "0"}
	forEachBackendEnv(t, env, func(t *testing.T, srv *testServer) {
		acct := srv.newAccount(t)
		l := srv.link(t, acct.access, "https://example.com/memory")
		code := str(l["short_code"])
		if got := integer(t, "total_clicks", srv.summary(t, acct.access, code, "")["total_clicks"]); got != 0 {
			t.Fatalf("total_clicks %d before any click", got)
		}
		for range 3 {
			expectRedirect(t, srv.redirect(t, code, withHeader("User-Agent", uaChrome)), "https://example.com/memory")
		}
		waitFor(t, "total_clicks 3 in an uncached summary", func() bool {
			return integer(t, "total_clicks", srv.summary(t, acct.access, code, "")["total_clicks"]) == 3
		})
	})
}

// TestE2ECORS: allowed origins get CORS headers, others do not.
func TestE2ECORS(t *testing.T) {
	t.Parallel()
	srv := startServer(t, "embedded", map[string]string{"CORS_ALLOWED_ORIGINS": "https://app.example.com,https://other.example.com"})
	pre := func(origin string) *result {
		return srv.do(t, "OPTIONS", "/api/v1/urls", nil,
			withHeader("Origin", origin), withHeader("Access-Control-Request-Method", "POST"),
			withHeader("Access-Control-Request-Headers", "authorization,content-type"))
	}
	r := pre("https://app.example.com")
	if r.Status >= 300 {
		t.Errorf("preflight from an allowed origin: %s", r)
	}
	if got := r.Header.Get("Access-Control-Allow-Origin"); got != "https://app.example.com" {
		t.Errorf("Access-Control-Allow-Origin %q, want the allowed origin", got)
	}
	if got := strings.ToLower(r.Header.Get("Access-Control-Allow-Headers")); !strings.Contains(got, "authorization") {
		t.Errorf("Access-Control-Allow-Headers %q lacks authorization", got)
	}
	r = pre("https://evil.example.com")
	if got := r.Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("Access-Control-Allow-Origin %q for a foreign origin", got)
	}
	r = srv.do(t, "GET", "/api/v1/health", nil, withHeader("Origin", "https://other.example.com"))
	if got := r.Header.Get("Access-Control-Allow-Origin"); got != "https://other.example.com" {
		t.Errorf("simple request: Access-Control-Allow-Origin %q", got)
	}
	// A browser app may send a link's password, and read why a call was
	// 401 and an export's file name.
	r = srv.do(t, "OPTIONS", "/somecode", nil, withHeader("Origin", "https://app.example.com"),
		withHeader("Access-Control-Request-Method", "GET"), withHeader("Access-Control-Request-Headers", "x-link-password"))
	if got := strings.ToLower(r.Header.Get("Access-Control-Allow-Headers")); !strings.Contains(got, "x-link-password") {
		t.Errorf("Access-Control-Allow-Headers %q lacks X-Link-Password", got)
	}
	r = srv.do(t, "GET", "/api/v1/auth/me", nil, withHeader("Origin", "https://app.example.com"))
	for _, h := range []string{"www-authenticate", "content-disposition", "ratelimit-remaining", "x-request-id"} {
		if got := strings.ToLower(r.Header.Get("Access-Control-Expose-Headers")); !strings.Contains(got, h) {
			t.Errorf("Access-Control-Expose-Headers %q lacks %s", got, h)
		}
	}
	// Every answer varies with the Origin, also one without CORS headers,
	// so that a shared cache keeps the two apart.
	for _, origin := range []string{"", "https://evil.example.com", "https://app.example.com"} {
		r = srv.do(t, "GET", "/api/v1/health", nil, withHeader("Origin", origin))
		if !strings.Contains(strings.Join(r.Header.Values("Vary"), ","), "Origin") {
			t.Errorf("Origin %q: Vary %q lacks Origin", origin, r.Header.Values("Vary"))
		}
	}
}
