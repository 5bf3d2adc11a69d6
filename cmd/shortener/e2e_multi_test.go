package main

import (
	"fmt"
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shortener-dev/shortener/internal/testenv"
)

// startPair starts two instances on one PostgreSQL schema and one Redis
// prefix, each with its own DATA_DIR, as DESIGN.md deploys them.
func startPair(t *testing.T, overrides map[string]string) (a, b *testServer) {
	t.Helper()
	a = startServer(t, "postgres+redis", overrides)
	env := make(map[string]string, len(a.env))
	for k, v := range a.env {
		env[k] = v
	}
	env["DATA_DIR"] = t.TempDir()
	return a, launch(t, "postgres+redis", env)
}

// TestE2EMultiInstance: changes made through one instance are visible on
// the other at once, and rate limits are shared.
func TestE2EMultiInstance(t *testing.T) {
	t.Parallel()
	testMultiInstance(t, nil)
}

// TestE2EMultiInstanceRedisCluster is TestE2EMultiInstance with the two
// instances on a Redis Cluster of three nodes, private to the test.
func TestE2EMultiInstanceRedisCluster(t *testing.T) {
	t.Parallel()
	testMultiInstance(t, map[string]string{"REDIS_URL": testenv.StartRedisCluster(t).URL})
}

func testMultiInstance(t *testing.T, env map[string]string) {
	// The rate-limit check uses a forwarded client address of its own, so
	// that the anonymous calls of the other checks do not touch its bucket.
	overrides := map[string]string{"ANON_RATE_LIMIT_REQUESTS": "6", "RATE_LIMIT_REQUESTS": "1000", "TRUSTED_PROXIES": "127.0.0.1/32"}
	maps.Copy(overrides, env)
	a, b := startPair(t, overrides)
	acct := a.newAccount(t)

	t.Run("update, disable and delete", func(t *testing.T) {
		l := a.link(t, acct.access, "https://example.com/v1")
		code, id := str(l["short_code"]), str(l["id"])
		// Both instances cache the link.
		for range 2 {
			expectRedirect(t, a.redirect(t, code), "https://example.com/v1")
			expectRedirect(t, b.redirect(t, code), "https://example.com/v1")
		}
		expectJSON(t, a.do(t, "PATCH", "/api/v1/urls/"+id, map[string]any{"original_url": "https://example.com/v2"}, withToken(acct.access)), http.StatusOK)
		soon(t, "B follows the new target", func() bool { return b.redirect(t, code).Header.Get("Location") == "https://example.com/v2" })
		expectJSON(t, b.do(t, "PATCH", "/api/v1/urls/"+id, map[string]any{"is_active": false}, withToken(acct.access)), http.StatusOK)
		soon(t, "A answers 404 for the disabled link", func() bool { return a.redirect(t, code).Status == http.StatusNotFound })
		expectJSON(t, b.do(t, "PATCH", "/api/v1/urls/"+id, map[string]any{"is_active": true}, withToken(acct.access)), http.StatusOK)
		soon(t, "A redirects the enabled link", func() bool { return a.redirect(t, code).Header.Get("Location") == "https://example.com/v2" })
		expectStatus(t, a.do(t, "DELETE", "/api/v1/urls/"+id, nil, withToken(acct.access)), http.StatusNoContent)
		expectProblem(t, a.redirect(t, code), http.StatusNotFound)
		soon(t, "B answers 404 for the deleted link", func() bool { return b.redirect(t, code).Status == http.StatusNotFound })
		expectProblem(t, b.redirect(t, code), http.StatusNotFound)
	})
	t.Run("new code after a cached 404 on the other instance", func(t *testing.T) {
		al := alias("multi")
		expectProblem(t, b.redirect(t, al), http.StatusNotFound)
		expectProblem(t, a.redirect(t, al), http.StatusNotFound)
		a.createLink(t, acct.access, map[string]any{"original_url": "https://example.com/fresh", "custom_alias": al})
		expectRedirect(t, a.redirect(t, al), "https://example.com/fresh")
		soon(t, "B redirects the new code", func() bool { return b.redirect(t, al).Header.Get("Location") == "https://example.com/fresh" })
		expectRedirect(t, b.redirect(t, al), "https://example.com/fresh")
	})
	t.Run("at once, again and again", func(t *testing.T) {
		// The window was a millisecond or so before the barrier: many
		// rounds, each checked on the other instance right away.
		for i := range 25 {
			from, to := a, b
			if i%2 == 1 {
				from, to = b, a
			}
			al := alias("again")
			expectProblem(t, to.redirect(t, al), http.StatusNotFound) // a cached 404 to drop
			l := from.createLink(t, acct.access, map[string]any{"original_url": "https://example.com/again1", "custom_alias": al})
			soon(t, "a new code", func() bool { return to.redirect(t, al).Header.Get("Location") == "https://example.com/again1" })
			expectJSON(t, to.do(t, "PATCH", "/api/v1/urls/"+str(l["id"]), map[string]any{"original_url": "https://example.com/again2"}, withToken(acct.access)), http.StatusOK)
			soon(t, "a new target", func() bool { return from.redirect(t, al).Header.Get("Location") == "https://example.com/again2" })
			expectStatus(t, from.do(t, "DELETE", "/api/v1/urls/"+str(l["id"]), nil, withToken(acct.access)), http.StatusNoContent)
			soon(t, "a deleted code", func() bool { return to.redirect(t, al).Status == http.StatusNotFound })
		}
	})
	t.Run("tokens and clicks work across instances", func(t *testing.T) {
		expectJSON(t, b.do(t, "GET", "/api/v1/auth/me", nil, withToken(acct.access)), http.StatusOK)
		res := b.do(t, "POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": acct.refresh})
		expectJSON(t, res, http.StatusOK)
		// The old refresh token is spent on the other instance too.
		expectProblem(t, a.do(t, "POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": acct.refresh}), http.StatusUnauthorized)
		l := a.link(t, acct.access, "https://example.com/clicks")
		code := str(l["short_code"])
		for range 2 {
			expectRedirect(t, a.redirect(t, code), "https://example.com/clicks")
			expectRedirect(t, b.redirect(t, code), "https://example.com/clicks")
		}
		waitFor(t, "click_count 4 from two instances", func() bool {
			r := b.do(t, "GET", "/api/v1/urls/"+str(l["id"]), nil, withToken(acct.access))
			expectJSON(t, r, http.StatusOK)
			return integer(t, "click_count", r.object(t)["click_count"]) == 4
		})
	})
	t.Run("rate limits are shared", func(t *testing.T) {
		client := withHeader("X-Forwarded-For", "203.0.113.50")
		for i := range 6 {
			srv := a
			if i%2 == 1 {
				srv = b
			}
			r := srv.do(t, "GET", missingLink, nil, client)
			if _, rem, _ := limitHeaders(t, r); rem != 5-i {
				t.Errorf("request %d: Remaining %d, want %d (one bucket for both instances)", i+1, rem, 5-i)
			}
		}
		expectLimited(t, b.do(t, "GET", missingLink, nil, client), 6, 60)
		expectLimited(t, a.do(t, "GET", missingLink, nil, client), 6, 60)
	})
}

// soon requires cond at once: a change answered on one instance is in
// effect on every instance before its answer is sent (the invalidations
// and domain changes wait for every instance to apply them, redis/barrier.go).
func soon(t *testing.T, what string, cond func() bool) {
	t.Helper()
	if !cond() {
		t.Errorf("%s: the other instance still answered from before the change", what)
	}
}

// TestE2ECodesMadeWhileAnInstanceStarts: codes created on one instance
// while another starts redirect on the new one as soon as it serves. It
// loads its filter of existing codes once it hears the others' creates; a
// load before that missed the codes made in between (404 there until the
// repeated invalidation, 3 s later).
func TestE2ECodesMadeWhileAnInstanceStarts(t *testing.T) {
	t.Parallel()
	a := startServer(t, "postgres+redis", map[string]string{"RATE_LIMIT_REQUESTS": "1000000"})
	acct := a.newAccount(t)
	env := maps.Clone(a.env)
	env["DATA_DIR"] = t.TempDir()

	prefix := alias("boot")
	var (
		mu    sync.Mutex
		codes []string
		stop  = make(chan struct{})
		wg    sync.WaitGroup
	)
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				code := fmt.Sprintf("%s-%d-%d", prefix, w, i)
				body := strings.NewReader(`{"original_url":"https://example.com/boot","custom_alias":"` + code + `"}`)
				req, _ := http.NewRequest("POST", a.url+"/api/v1/urls", body)
				req.Header.Set("Authorization", "Bearer "+acct.access)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					continue
				}
				_ = res.Body.Close()
				if res.StatusCode == http.StatusCreated {
					mu.Lock()
					codes = append(codes, code)
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(200 * time.Millisecond) // creates under way
	start := time.Now()
	b := launch(t, "postgres+redis", env)
	t.Logf("the start took %v", time.Since(start))
	close(stop)
	wg.Wait()
	// About 150-200 on an idle machine; under -race with the machine
	// busy, as few as 19 were seen. A handful still tests the rule.
	if len(codes) < 5 {
		t.Fatalf("only %d codes made while the instance started", len(codes))
	}
	missing := 0
	for _, code := range codes {
		if r := b.redirect(t, code); r.Status != http.StatusFound {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("%d of the %d codes made while the instance started are not found there", missing, len(codes))
	}
}
