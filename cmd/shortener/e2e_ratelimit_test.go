package main

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shortener-dev/shortener/internal/testenv"
)

// limitHeaders returns the RateLimit-* headers, failing unless each is a
// plain integer.
func limitHeaders(t *testing.T, r *result) (limit, remaining, reset int) {
	t.Helper()
	get := func(name string) int {
		v := r.Header.Get(name)
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			t.Fatalf("%s: %s = %q, want a plain non-negative integer", r, name, v)
		}
		return n
	}
	return get("RateLimit-Limit"), get("RateLimit-Remaining"), get("RateLimit-Reset")
}

// exhaust sends limit requests and checks that the headers count down to
// 0, then checks the 429 that follows.
func exhaust(t *testing.T, limit, window int, send func() *result) *result {
	t.Helper()
	for i := range limit {
		r := send()
		if r.Status == http.StatusTooManyRequests {
			t.Fatalf("request %d of %d: %s", i+1, limit, r)
		}
		l, rem, reset := limitHeaders(t, r)
		if l != limit || rem != limit-1-i {
			t.Errorf("request %d: RateLimit-Limit %d Remaining %d, want %d and %d", i+1, l, rem, limit, limit-1-i)
		}
		if reset < 0 || reset > window {
			t.Errorf("request %d: RateLimit-Reset %d, want 0..%d", i+1, reset, window)
		}
	}
	r := send()
	expectLimited(t, r, limit, window)
	return r
}

// expectLimited checks a 429 with Retry-After and RateLimit-* headers.
func expectLimited(t *testing.T, r *result, limit, window int) {
	t.Helper()
	expectProblem(t, r, http.StatusTooManyRequests)
	ra, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if err != nil || ra < 1 || ra > window {
		t.Errorf("%s: Retry-After %q, want whole seconds 1..%d", r, r.Header.Get("Retry-After"), window)
	}
	l, rem, reset := limitHeaders(t, r)
	if l != limit || rem != 0 || reset < 0 || reset > window {
		t.Errorf("%s: 429 with RateLimit-Limit %d Remaining %d Reset %d", r, l, rem, reset)
	}
}

// missingLink is an API call that counts against the general bucket.
const missingLink = "/api/v1/urls/00000000-0000-0000-0000-000000000000"

// TestE2ERateLimitAnonymous: the per-IP bucket of calls without a token.
func TestE2ERateLimitAnonymous(t *testing.T) {
	t.Parallel()
	forEachBackendEnv(t, map[string]string{"ANON_RATE_LIMIT_REQUESTS": "5", "ANON_RATE_LIMIT_WINDOW": "60"}, func(t *testing.T, srv *testServer) {
		acct := srv.newAccount(t) // register and login use their own buckets
		// A link for the redirect check, made with a token (the user bucket).
		l := srv.link(t, acct.access, "https://example.com/rl")
		exhaust(t, 5, 60, func() *result { return srv.do(t, "GET", missingLink, nil) })
		// Every other anonymous API call is limited now, whatever it is.
		expectLimited(t, srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://example.com/"}), 5, 60)
		expectLimited(t, srv.do(t, "GET", "/api/v1/qr/"+str(l["short_code"]), nil), 5, 60)
		// A new X-Forwarded-For from an untrusted peer does not help.
		for i := range 3 {
			r := srv.do(t, "GET", missingLink, nil, withHeader("X-Forwarded-For", "198.51.100."+strconv.Itoa(i+1)))
			expectLimited(t, r, 5, 60)
		}
		// Health is not limited, nor are redirects by default.
		for range 8 {
			expectJSON(t, srv.do(t, "GET", "/api/v1/health", nil), http.StatusOK)
			expectStatus(t, srv.do(t, "GET", "/healthz", nil), http.StatusOK)
			expectRedirect(t, srv.redirect(t, str(l["short_code"])), "https://example.com/rl")
		}
		// A user still has their own bucket.
		expectJSON(t, srv.do(t, "GET", "/api/v1/auth/me", nil, withToken(acct.access)), http.StatusOK)
	})
}

// TestE2ERateLimitWindow: a small window opens again after Retry-After.
func TestE2ERateLimitWindow(t *testing.T) {
	t.Parallel()
	forEachBackendEnv(t, map[string]string{"ANON_RATE_LIMIT_REQUESTS": "3", "ANON_RATE_LIMIT_WINDOW": "2"}, func(t *testing.T, srv *testServer) {
		r := exhaust(t, 3, 2, func() *result { return srv.do(t, "GET", missingLink, nil) })
		ra, _ := strconv.Atoi(r.Header.Get("Retry-After"))
		time.Sleep(time.Duration(ra)*time.Second + 200*time.Millisecond)
		r = srv.do(t, "GET", missingLink, nil)
		expectProblem(t, r, http.StatusNotFound)
		if l, _, _ := limitHeaders(t, r); l != 3 {
			t.Errorf("RateLimit-Limit %d", l)
		}
	})
}

// TestE2ERateLimitUser: a user is limited per user, not per IP.
func TestE2ERateLimitUser(t *testing.T) {
	t.Parallel()
	forEachBackendEnv(t, map[string]string{"RATE_LIMIT_REQUESTS": "5", "RATE_LIMIT_WINDOW": "60", "ANON_RATE_LIMIT_REQUESTS": "50"}, func(t *testing.T, srv *testServer) {
		alice := srv.newAccount(t)
		bob := srv.newAccount(t)
		exhaust(t, 5, 60, func() *result { return srv.do(t, "GET", "/api/v1/auth/me", nil, withToken(alice.access)) })
		expectLimited(t, srv.do(t, "GET", "/api/v1/urls", nil, withToken(alice.access)), 5, 60)
		// Same IP, another user: a fresh bucket.
		r := srv.do(t, "GET", "/api/v1/auth/me", nil, withToken(bob.access))
		expectJSON(t, r, http.StatusOK)
		if l, rem, _ := limitHeaders(t, r); l != 5 || rem != 4 {
			t.Errorf("bob: RateLimit-Limit %d Remaining %d, want 5 and 4", l, rem)
		}
		// Anonymous calls from the same IP use the IP bucket.
		r = srv.do(t, "GET", missingLink, nil)
		expectProblem(t, r, http.StatusNotFound)
		if l, rem, _ := limitHeaders(t, r); l != 50 || rem != 49 {
			t.Errorf("anonymous: RateLimit-Limit %d Remaining %d, want 50 and 49", l, rem)
		}
		// A new login of alice is still alice.
		access, _ := srv.login(t, alice.email, alice.password)
		expectLimited(t, srv.do(t, "GET", "/api/v1/auth/me", nil, withToken(access)), 5, 60)
	})
}

// TestE2ERateLimitAuthBuckets: register and login have their own buckets,
// every attempt counts, and they do not use the general bucket.
func TestE2ERateLimitAuthBuckets(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"REGISTER_RATE_LIMIT_REQUESTS": "3", "REGISTER_RATE_LIMIT_WINDOW": "3600",
		"LOGIN_RATE_LIMIT_REQUESTS": "3", "LOGIN_RATE_LIMIT_WINDOW": "300",
		"ANON_RATE_LIMIT_REQUESTS": "7",
	}
	forEachBackendEnv(t, env, func(t *testing.T, srv *testServer) {
		email := randomEmail()
		attempts := []map[string]any{
			{"email": email, "password": e2ePassword},         // 201
			{"email": email, "password": e2ePassword},         // 409
			{"email": randomEmail(), "password": "weak"},      // 422
			{"email": randomEmail(), "password": e2ePassword}, // 429
		}
		i := 0
		exhaust(t, 3, 3600, func() *result {
			r := srv.do(t, "POST", "/api/v1/auth/register", attempts[i])
			i++
			return r
		})
		logins := []map[string]any{
			{"email": email, "password": "Wr0ngPassword"},         // 401
			{"email": randomEmail(), "password": "Wr0ngPassword"}, // 401
			{"email": email, "password": e2ePassword},             // 200
			{"email": email, "password": e2ePassword},             // 429
		}
		i = 0
		var access string
		exhaust(t, 3, 300, func() *result {
			r := srv.do(t, "POST", "/api/v1/auth/login", logins[i])
			if i == 2 {
				expectJSON(t, r, http.StatusOK)
				access, _ = checkTokenPair(t, r)
			}
			i++
			return r
		})
		// None of that touched the general anonymous bucket.
		r := srv.do(t, "GET", missingLink, nil)
		if l, rem, _ := limitHeaders(t, r); l != 7 || rem != 6 {
			t.Errorf("general bucket after register and login: Limit %d Remaining %d, want 7 and 6", l, rem)
		}
		// Refresh and /me use the general buckets, not the login one.
		expectJSON(t, srv.do(t, "GET", "/api/v1/auth/me", nil, withToken(access)), http.StatusOK)
	})
}

// TestE2ERateLimitTrustedProxy: X-Forwarded-For from a trusted peer
// picks the client IP.
func TestE2ERateLimitTrustedProxy(t *testing.T) {
	t.Parallel()
	env := map[string]string{"ANON_RATE_LIMIT_REQUESTS": "3", "TRUSTED_PROXIES": "127.0.0.1/32"}
	forEachBackendEnv(t, env, func(t *testing.T, srv *testServer) {
		from := func(ip string) func() *result {
			return func() *result { return srv.do(t, "GET", missingLink, nil, withHeader("X-Forwarded-For", ip)) }
		}
		exhaust(t, 3, 60, from("203.0.113.7"))
		r := from("203.0.113.8")()
		expectProblem(t, r, http.StatusNotFound)
		if _, rem, _ := limitHeaders(t, r); rem != 2 {
			t.Errorf("second client: Remaining %d, want 2 (own bucket)", rem)
		}
		// The proxy's own address is another client again.
		r = srv.do(t, "GET", missingLink, nil)
		expectProblem(t, r, http.StatusNotFound)
		// A client behind the trusted proxy cannot prepend a fake hop.
		expectLimited(t, from("198.51.100.1, 203.0.113.7")(), 3, 60)
	})
}

// TestE2ERateLimitRedirect: redirects are limited only when configured.
func TestE2ERateLimitRedirect(t *testing.T) {
	t.Parallel()
	env := map[string]string{"REDIRECT_RATE_LIMIT_REQUESTS": "3", "REDIRECT_RATE_LIMIT_WINDOW": "60"}
	forEachBackendEnv(t, env, func(t *testing.T, srv *testServer) {
		l := srv.link(t, "", "https://example.com/limited")
		code := str(l["short_code"])
		exhaust(t, 3, 60, func() *result {
			r := srv.redirect(t, code)
			if r.Status != http.StatusTooManyRequests {
				expectRedirect(t, r, "https://example.com/limited")
			}
			return r
		})
		// HEAD counts too: it is a redirect.
		expectStatus(t, srv.do(t, "HEAD", "/"+code, nil), http.StatusTooManyRequests)
		// The API is not affected.
		expectJSON(t, srv.do(t, "GET", "/api/v1/urls/"+str(l["id"]), nil), http.StatusOK)
	})
}

// TestE2ERateLimitDefaults: the limits of API.md when nothing is
// configured: 20/60 s per IP, 100/60 s per user, register 10/hour, login
// 20/5 min.
func TestE2ERateLimitDefaults(t *testing.T) {
	t.Parallel()
	unset := map[string]string{
		"RATE_LIMIT_REQUESTS": "", "ANON_RATE_LIMIT_REQUESTS": "",
		"REGISTER_RATE_LIMIT_REQUESTS": "", "LOGIN_RATE_LIMIT_REQUESTS": "",
	}
	forEachBackendEnv(t, unset, func(t *testing.T, srv *testServer) {
		emails := make([]string, 11)
		i := 0
		exhaust(t, 10, 3600, func() *result {
			emails[i] = randomEmail()
			r := srv.do(t, "POST", "/api/v1/auth/register", map[string]any{"email": emails[i], "password": e2ePassword})
			i++
			return r
		})
		i = 0
		var access string
		exhaust(t, 20, 300, func() *result {
			r := srv.do(t, "POST", "/api/v1/auth/login", map[string]any{"email": emails[0], "password": e2ePassword})
			if i == 0 {
				expectJSON(t, r, http.StatusOK)
				access, _ = checkTokenPair(t, r)
			}
			i++
			return r
		})
		exhaust(t, 20, 60, func() *result { return srv.do(t, "GET", missingLink, nil) })
		exhaust(t, 100, 60, func() *result { return srv.do(t, "GET", "/api/v1/auth/me", nil, withToken(access)) })
	})
}

// TestE2ERateLimitRedisDown: while Redis is down each instance keeps the
// limits on its own rather than letting every call through, so an outage
// does not open the login form to guessing; the headers say so as before.
func TestE2ERateLimitRedisDown(t *testing.T) {
	t.Parallel()
	redis := testenv.StartRedisServer(t)
	srv := startServer(t, "postgres+redis", map[string]string{"REDIS_URL": redis.URL(),
		"LOGIN_RATE_LIMIT_REQUESTS": "3", "LOGIN_RATE_LIMIT_WINDOW": "300"})
	email := randomEmail()
	srv.register(t, email, e2ePassword)
	redis.Stop()

	start := time.Now()
	n := 0
	exhaust(t, 3, 300, func() *result {
		n++
		return srv.do(t, "POST", "/api/v1/auth/login", map[string]any{"email": email, "password": "Wr0ngPassword"},
			withHeader("X-Request-ID", fmt.Sprintf("redis-down-%d", n)))
	})
	// The right password too, as with Redis up.
	expectLimited(t, srv.do(t, "POST", "/api/v1/auth/login", map[string]any{"email": email, "password": e2ePassword}), 3, 300)
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("five logins with Redis down took %v", took)
	}
	// The failure is logged once, with the ID of the request that met it.
	var lines []string
	for _, line := range strings.Split(srv.logs.String(), "\n") {
		if strings.Contains(line, "redis unavailable") {
			lines = append(lines, line)
		}
	}
	if len(lines) != 1 || !strings.Contains(lines[0], "request_id=redis-down-1") {
		t.Errorf("the log of the limiter's failure: %q, want one line with request_id=redis-down-1", lines)
	}
}
