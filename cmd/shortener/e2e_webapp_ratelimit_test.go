package main

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
)

// TestE2EWebAppRateLimitHeaders: the app's forms and pages count against
// the API's buckets, and like the API's answers every counted one says so
// in RateLimit-* headers, counting down to 0; the refusal adds Retry-After
// (API.md: "every limited response, the 429 included").
func TestE2EWebAppRateLimitHeaders(t *testing.T) {
	env := map[string]string{"LOGIN_RATE_LIMIT_REQUESTS": "4", "LOGIN_RATE_LIMIT_WINDOW": "300",
		"RATE_LIMIT_REQUESTS": "4", "RATE_LIMIT_WINDOW": "60"}
	forEachBackendEnv(t, env, func(t *testing.T, srv *testServer) {
		acct := srv.newAccount(t)
		b := srv.browser(t)
		headers := func(what string, status, wantStatus, limit, remaining int) {
			t.Helper()
			r := &result{Status: status, Header: b.header}
			if status != wantStatus {
				t.Fatalf("%s: %d, want %d", what, status, wantStatus)
			}
			l, rem, reset := limitHeaders(t, r)
			if l != limit || rem != remaining || reset < 1 {
				t.Errorf("%s: RateLimit-Limit %d Remaining %d Reset %d, want %d, %d and at least 1", what, l, rem, reset, limit, remaining)
			}
			ra := b.header.Get("Retry-After")
			switch n, err := strconv.Atoi(ra); {
			case status != http.StatusTooManyRequests && ra != "":
				t.Errorf("%s: Retry-After %q on an admitted answer", what, ra)
			case status == http.StatusTooManyRequests && (err != nil || n < 1 || n > reset):
				t.Errorf("%s: Retry-After %q with RateLimit-Reset %d", what, ra, reset)
			}
		}

		// newAccount logged in through the API, the browser through the
		// form: two attempts of the client's one login bucket. Then the
		// user's bucket of 4, one per page view; the fifth is refused.
		b.logIn(acct)
		headers("log in", http.StatusSeeOther, http.StatusSeeOther, 4, 2)
		for i := range 4 {
			status, _ := b.get("/app")
			headers("view "+strconv.Itoa(i+1), status, http.StatusOK, 4, 3-i)
		}
		status, _ := b.get("/app")
		headers("view 5", status, http.StatusTooManyRequests, 4, 0)

		// The login form: two more attempts, then the refusal.
		b = srv.browser(t)
		b.get("/app/login")
		for i := range 2 {
			status, _ := b.post("/app/login", url.Values{"email": {acct.email}, "password": {"Wr0ngPassword"}})
			headers("wrong login "+strconv.Itoa(i+1), status, http.StatusUnauthorized, 4, 1-i)
		}
		status, _ = b.post("/app/login", url.Values{"email": {acct.email}, "password": {acct.password}})
		headers("login past the limit", status, http.StatusTooManyRequests, 4, 0)
	})
}
