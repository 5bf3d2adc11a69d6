package main

import (
	"maps"
	"net/http"
	"testing"
	"time"

	"github.com/shortener-dev/shortener/internal/testenv"
)

// secondInstance starts another instance sharing a's database and Redis
// (and key prefix) but with a DATA_DIR of its own, as in production.
func secondInstance(t *testing.T, a *testServer) *testServer {
	t.Helper()
	env := maps.Clone(a.env)
	env["DATA_DIR"] = t.TempDir()
	return launch(t, a.backend, env)
}

// within polls cond for up to d.
func within(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestTwoInstancesSeeChangesAtOnce: a change made through instance A is
// served by instance B, whose L1 already holds the old answer, within a
// second.
func TestTwoInstancesSeeChangesAtOnce(t *testing.T) {
	a := startServer(t, "postgres+redis", nil)
	b := secondInstance(t, a)
	owner := a.newAccount(t)
	l := a.createLink(t, owner.access, map[string]any{"original_url": "https://example.com/one"})
	code, id := l["short_code"].(string), l["id"].(string)

	expectRedirect(t, b.redirect(t, code), "https://example.com/one") // B caches it

	r := a.do(t, "PATCH", "/api/v1/urls/"+id, map[string]any{"original_url": "https://example.com/two"}, withToken(owner.access))
	expectJSON(t, r, http.StatusOK)
	within(t, time.Second, "B redirects to the new target", func() bool {
		return b.redirect(t, code).Header.Get("Location") == "https://example.com/two"
	})

	r = a.do(t, "PATCH", "/api/v1/urls/"+id, map[string]any{"is_active": false}, withToken(owner.access))
	expectJSON(t, r, http.StatusOK)
	within(t, time.Second, "B answers 404 for the disabled link", func() bool {
		return b.redirect(t, code).Status == http.StatusNotFound
	})
	r = a.do(t, "PATCH", "/api/v1/urls/"+id, map[string]any{"is_active": true}, withToken(owner.access))
	expectJSON(t, r, http.StatusOK)
	within(t, time.Second, "B redirects again", func() bool { return b.redirect(t, code).Status == http.StatusFound })

	r = a.do(t, "DELETE", "/api/v1/urls/"+id, nil, withToken(owner.access))
	expectStatus(t, r, http.StatusNoContent)
	within(t, time.Second, "B answers 404 for the deleted link", func() bool {
		return b.redirect(t, code).Status == http.StatusNotFound
	})

	// A code B has cached as unknown redirects as soon as A creates it.
	alias := testenv.RandomName("n")
	expectStatus(t, b.redirect(t, alias), http.StatusNotFound)
	a.createLink(t, owner.access, map[string]any{"original_url": "https://example.com/new", "custom_alias": alias})
	within(t, time.Second, "B redirects the new alias", func() bool {
		return b.redirect(t, alias).Header.Get("Location") == "https://example.com/new"
	})
}

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
