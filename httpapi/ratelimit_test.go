package httpapi_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

// withAnswers makes every fake service answer successfully, so that a
// call's rate limit is all that differs between operations.
func withAnswers(f *fakes) *fakes {
	f.links.link = &shortener.Link{ID: "0190a0f4-0000-7000-8000-0000000000aa", ShortCode: "abc", IsActive: true}
	f.summaries.sum = &shortener.ClickSummary{ShortCode: "abc", PeriodDays: 30}
	f.qr.img = &shortener.QRImage{ETag: `"e"`, ContentType: "image/png", Data: []byte("png")}
	return f
}

// Each call counts against exactly one bucket, the one its operation
// declares; the table must name every operation of the API.
func TestRateLimitClassOfEachOperation(t *testing.T) {
	const ip = "203.0.113.7"
	user := "user:" + ada.ID
	tests := []struct {
		operation, method, target, body string
		token                           string
		key                             string // "" when the call is not limited
		limit                           shortener.RateLimit
	}{
		{"register", "POST", "/api/v1/auth/register", `{"email":"b@example.com","password":"Correct7Horse"}`, "", "register:" + ip, testLimits.Register},
		{"register", "POST", "/api/v1/auth/register", `{"email":"b@example.com","password":"Correct7Horse"}`, adaToken, "register:" + ip, testLimits.Register},
		{"register", "POST", "/api/v1/auth/register", `{}`, "", "register:" + ip, testLimits.Register},
		{"login", "POST", "/api/v1/auth/login", `{"email":"b@example.com","password":"x"}`, "", "login:" + ip, testLimits.Login},
		{"login", "POST", "/api/v1/auth/login", `{"email":"b@example.com","password":"x"}`, adaToken, "login:" + ip, testLimits.Login},
		{"refresh", "POST", "/api/v1/auth/refresh", `{"refresh_token":"r"}`, "", "ip:" + ip, testLimits.Anon},
		{"logout", "POST", "/api/v1/auth/logout", `{"refresh_token":"r"}`, adaToken, user, testLimits.User},
		{"me", "GET", "/api/v1/auth/me", "", adaToken, user, testLimits.User},
		{"me", "GET", "/api/v1/auth/me", "", "expired", "ip:" + ip, testLimits.Anon},
		{"update-me", "PATCH", "/api/v1/auth/me", `{"full_name":"x"}`, adaToken, user, testLimits.User},
		{"create-link", "POST", "/api/v1/urls", `{"original_url":"https://example.com"}`, "", "ip:" + ip, testLimits.Anon},
		{"create-link", "POST", "/api/v1/urls", `{"original_url":"https://example.com"}`, adaToken, user, testLimits.User},
		{"list-links", "GET", "/api/v1/urls", "", adaToken, user, testLimits.User},
		{"get-link", "GET", linkPath, "", "", "ip:" + ip, testLimits.Anon},
		{"update-link", "PATCH", linkPath, `{"title":"t"}`, adaToken, user, testLimits.User},
		{"delete-link", "DELETE", linkPath, "", adaToken, user, testLimits.User},
		{"analytics-summary", "GET", "/api/v1/analytics/abc/summary", "", adaToken, user, testLimits.User},
		{"qr-code", "GET", "/api/v1/qr/abc", "", "", "ip:" + ip, testLimits.Anon},
		{"create-link", "POST", "/api/v1/urls", `{"original_url":"https://example.com"}`, allKeys, user, testLimits.User},
		{"create-key", "POST", "/api/v1/keys", `{"name":"CI","scopes":["links:read"]}`, adaToken, user, testLimits.User},
		{"list-keys", "GET", "/api/v1/keys", "", adaToken, user, testLimits.User},
		{"list-keys", "GET", "/api/v1/keys", "", allKeys, user, testLimits.User},
		{"revoke-key", "DELETE", "/api/v1/keys/0190a0f4-0000-7000-8000-0000000000aa", "", adaToken, user, testLimits.User},
		{"create-webhook", "POST", "/api/v1/webhooks", `{"url":"https://hooks.example.com/in","events":["link.created"]}`, adaToken, user, testLimits.User},
		{"list-webhooks", "GET", "/api/v1/webhooks", "", allKeys, user, testLimits.User},
		{"get-webhook", "GET", "/api/v1/webhooks/" + hookID, "", adaToken, user, testLimits.User},
		{"update-webhook", "PATCH", "/api/v1/webhooks/" + hookID, `{"is_active":true}`, adaToken, user, testLimits.User},
		{"delete-webhook", "DELETE", "/api/v1/webhooks/" + hookID, "", adaToken, user, testLimits.User},
		{"webhook-deliveries", "GET", "/api/v1/webhooks/" + hookID + "/deliveries", "", adaToken, user, testLimits.User},
		{"ping-webhook", "POST", "/api/v1/webhooks/" + hookID + "/test", "", adaToken, user, testLimits.User},
		{"health", "GET", "/api/v1/health", "", "", "", shortener.RateLimit{}},
		{"health", "HEAD", "/api/v1/health", "", adaToken, "", shortener.RateLimit{}},
		// Not limited unless REDIRECT_RATE_LIMIT_REQUESTS is set.
		{"redirect", "GET", "/abc", "", "", "", shortener.RateLimit{}},
		{"redirect-head", "HEAD", "/abc", "", "", "", shortener.RateLimit{}},
		{"redirect-password", "POST", "/abc", "password=x", "", "", shortener.RateLimit{}},
		{"liveness", "GET", "/healthz", "", "", "", shortener.RateLimit{}},
		{"metrics", "GET", "/metrics", "", "", "", shortener.RateLimit{}},
		{"(no operation)", "GET", "/api/v1/nothing-here", "", "", "ip:" + ip, testLimits.Anon},
		{"(no operation)", "GET", "/api/v1/auth/login", "", adaToken, user, testLimits.User},
		{"(no operation)", "POST", "/api/v1/health", "", "", "ip:" + ip, testLimits.Anon},
	}
	covered := map[string]bool{}
	for _, tt := range tests {
		covered[tt.operation] = true
		t.Run(tt.operation+" "+tt.method+" "+tt.target, func(t *testing.T) {
			f := withAnswers(newFakes())
			var header []string
			if tt.token != "" {
				header = bearer(tt.token)
			}
			serve(t, f.server(), tt.method, tt.target, tt.body, header...)
			var want []string
			if tt.key != "" {
				want = []string{tt.key}
			}
			if !slices.Equal(f.limiter.keys, want) {
				t.Fatalf("limiter asked about %q, want %q", f.limiter.keys, want)
			}
			if tt.key != "" && f.limiter.limits[0] != tt.limit {
				t.Fatalf("limit %+v, want %+v", f.limiter.limits[0], tt.limit)
			}
		})
	}
	for _, op := range operationIDs(t) {
		if !covered[op] {
			t.Errorf("operation %s has no rate-limit case", op)
		}
	}
}

// operationIDs lists the operations of the OpenAPI document.
func operationIDs(t *testing.T) []string {
	t.Helper()
	w := serve(t, newFakes().server(), "GET", "/openapi.json", "")
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, methods := range doc.Paths {
		for _, op := range methods {
			ids = append(ids, op.OperationID)
		}
	}
	if len(ids) < 13 {
		t.Fatalf("the OpenAPI document lists %d operations: %v", len(ids), ids)
	}
	return ids
}

func TestRateLimitHeaders(t *testing.T) {
	f := withAnswers(newFakes())
	w := serve(t, f.server(), "GET", "/api/v1/qr/abc", "")
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	for name, want := range map[string]string{"RateLimit-Limit": "20", "RateLimit-Remaining": "19", "RateLimit-Reset": "60", "Retry-After": ""} {
		if got := w.Header().Get(name); got != want {
			t.Errorf("%s %q, want %q", name, got, want)
		}
	}
}

func TestRateLimited(t *testing.T) {
	f := withAnswers(newFakes())
	f.limiter.deny = true
	w := serve(t, f.server(), "POST", "/api/v1/urls", `{"original_url":"https://example.com"}`)
	p := decodeProblem(t, w, http.StatusTooManyRequests)
	if p.Detail != "Too many requests: the limit is 20 per 60 seconds. Retry in 13 seconds." {
		t.Errorf("detail %q", p.Detail)
	}
	for name, want := range map[string]string{"Retry-After": "13", "RateLimit-Limit": "20", "RateLimit-Remaining": "0", "RateLimit-Reset": "30"} {
		if got := w.Header().Get(name); got != want {
			t.Errorf("%s %q, want %q", name, got, want)
		}
	}
	if f.links.caller != nil || f.qr.calls != 0 {
		t.Error("a refused call reached the service")
	}

	// The oldest event leaves the window in a second, but a limit lowered
	// since leaves no room then: Reset is no sooner than Retry-After.
	f.limiter.denyReset = time.Second
	w = serve(t, f.server(), "POST", "/api/v1/urls", `{"original_url":"https://example.com"}`)
	if got := w.Header().Get("RateLimit-Reset"); got != "13" {
		t.Errorf("RateLimit-Reset %q with the oldest event leaving before Retry-After, want 13", got)
	}
}

// A limiter that fails lets calls through rather than failing the API.
func TestRateLimiterFailsOpen(t *testing.T) {
	f := withAnswers(newFakes())
	f.limiter.err = errors.New("redis: connection refused")
	w := serve(t, f.server(), "GET", "/api/v1/qr/abc", "")
	if w.Code != http.StatusOK || f.qr.calls != 1 {
		t.Fatalf("status %d after %d QR calls, want 200 after 1", w.Code, f.qr.calls)
	}
	if got := w.Header().Get("RateLimit-Limit"); got != "" {
		t.Errorf("RateLimit-Limit %q without a decision", got)
	}
}
