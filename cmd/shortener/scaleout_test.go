package main

import (
	"net/http"
	"testing"

	"github.com/shortener-dev/shortener/internal/testenv"
)

// TestRedirectsSurviveARedisOutage: with Redis gone, links in L1 and links
// only in the database keep redirecting (the cache is skipped), the API
// keeps working (the limiter fails open), and the clicks of the outage
// are counted once Redis is back.
func TestRedirectsSurviveARedisOutage(t *testing.T) {
	redis := testenv.StartRedisServer(t)
	a := startServer(t, "postgres+redis", map[string]string{"REDIS_URL": redis.URL()})
	owner := a.newAccount(t)
	warm := a.createLink(t, owner.access, map[string]any{"original_url": "https://example.com/warm"})
	cold := a.createLink(t, owner.access, map[string]any{"original_url": "https://example.com/cold"})
	expectRedirect(t, a.redirect(t, warm["short_code"].(string)), "https://example.com/warm")

	redis.Stop()
	const outageClicks = 5
	for range outageClicks {
		expectRedirect(t, a.redirect(t, warm["short_code"].(string)), "https://example.com/warm")
	}
	expectRedirect(t, a.redirect(t, cold["short_code"].(string)), "https://example.com/cold")
	r := a.do(t, "GET", "/api/v1/urls/"+cold["id"].(string), nil, withToken(owner.access))
	expectJSON(t, r, http.StatusOK)
	r = a.do(t, "GET", "/api/v1/health", nil)
	if r.Status != http.StatusServiceUnavailable || r.object(t)["checks"].(map[string]any)["cache"] == "ok" {
		t.Fatalf("health during the outage: %s", r)
	}

	redis.Start()
	id := warm["id"].(string)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server logs:\n%s", a.logs.String())
		}
	})
	waitFor(t, "the outage's clicks to be written", func() bool {
		r := a.do(t, "GET", "/api/v1/urls/"+id, nil, withToken(owner.access))
		return r.Status == http.StatusOK && num(t, "click_count", r.object(t)["click_count"]) == outageClicks+1
	})
}
