package httpapi_test

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

// limiterKeyFrom is the rate-limit key a request from remote gets.
func limiterKeyFrom(t *testing.T, f *fakes, remote, method, target, body string) string {
	t.Helper()
	f.limiter.keys = nil
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.RemoteAddr = remote
	f.server().ServeHTTP(httptest.NewRecorder(), req)
	if len(f.limiter.keys) != 1 {
		t.Fatalf("%s %s from %s: limiter keys %q, want one", method, target, remote, f.limiter.keys)
	}
	return f.limiter.keys[0]
}

// An IPv6 client may use any address of its /64: every limit keyed on the
// client IP keys it by the /64. IPv4 and IPv4-mapped clients are keyed by
// the address.
func TestRateLimitKeysOfIPv6Clients(t *testing.T) {
	f := withAnswers(redirectFakes())
	f.limits.Redirect = shortener.RateLimit{Limit: 5, Window: time.Minute}
	for _, call := range []struct{ method, target, body string }{
		{"POST", "/api/v1/auth/login", `{"email":"a@example.com","password":"x"}`},
		{"POST", "/api/v1/auth/register", `{"email":"a@example.com","password":"Correct7Horse"}`},
		{"GET", "/api/v1/qr/abc", ""},
		{"GET", "/live", ""},
	} {
		key := func(remote string) string { return limiterKeyFrom(t, f, remote, call.method, call.target, call.body) }
		a, b := key("[2001:db8:1:2::1]:4000"), key("[2001:db8:1:2:ffff:ffff:ffff:fffe]:4001")
		if a != b {
			t.Errorf("%s %s: two addresses of one /64 have the keys %q and %q", call.method, call.target, a, b)
		}
		if other := key("[2001:db8:1:3::1]:4000"); other == a {
			t.Errorf("%s %s: another /64 shares the key %q", call.method, call.target, a)
		}
		v4, mapped, v4b := key("198.51.100.7:4000"), key("[::ffff:198.51.100.7]:4000"), key("198.51.100.8:4000")
		if v4 != mapped || v4 == v4b || !strings.HasSuffix(v4, ":198.51.100.7") {
			t.Errorf("%s %s: IPv4 keys %q, %q (mapped), %q (next address)", call.method, call.target, v4, mapped, v4b)
		}
	}
}
