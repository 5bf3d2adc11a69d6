package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/shortener-dev/shortener/internal/testenv"
)

// viaProxy rewrites the host of a service URL to the proxy's address.
func viaProxy(t *testing.T, raw string) (string, *testenv.Proxy) {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("parse %q: %v", raw, err)
	}
	p := testenv.NewProxy(t, u.Host)
	u.Host = p.Addr()
	return u.String(), p
}

// healthChecks returns the status and the checks of /api/v1/health.
func (s *testServer) healthChecks(t *testing.T) (int, map[string]any) {
	t.Helper()
	r := s.do(t, "GET", "/api/v1/health", nil)
	var h struct {
		Status string         `json:"status"`
		Checks map[string]any `json:"checks"`
	}
	if err := json.Unmarshal(r.Body, &h); err != nil {
		t.Fatalf("%s: %v", r, err)
	}
	return r.Status, h.Checks
}

// TestE2EDependencyOutage: health answers 503 naming the failing check
// while Redis or PostgreSQL is unreachable, and recovers after.
func TestE2EDependencyOutage(t *testing.T) {
	t.Parallel()
	srv := startServer(t, "postgres+redis", nil)
	// Start again behind proxies (the first start created the schema).
	srv.stop(t)
	env := srv.env
	var redisProxy, pgProxy *testenv.Proxy
	env["REDIS_URL"], redisProxy = viaProxy(t, env["REDIS_URL"])
	env["DATABASE_URL"], pgProxy = viaProxy(t, env["DATABASE_URL"])
	srv = launch(t, srv.backend, env)
	acct := srv.newAccount(t)
	l := srv.link(t, acct.access, "https://example.com/outage")
	code := str(l["short_code"])
	expectRedirect(t, srv.redirect(t, code), "https://example.com/outage")

	for _, c := range []struct {
		check string
		proxy *testenv.Proxy
	}{{"cache", redisProxy}, {"database", pgProxy}} {
		t.Run(c.check, func(t *testing.T) {
			c.proxy.Cut()
			waitFor(t, "health 503 naming "+c.check, func() bool {
				status, checks := srv.healthChecks(t)
				return status == http.StatusServiceUnavailable && checks[c.check] != "ok" && checks[c.check] != nil
			})
			r := srv.do(t, "GET", "/api/v1/health", nil)
			expectStatus(t, r, http.StatusServiceUnavailable)
			if c.check == "cache" {
				// Without Redis the service keeps serving from SQL.
				expectRedirect(t, srv.redirect(t, code), "https://example.com/outage")
				expectJSON(t, srv.do(t, "GET", "/api/v1/urls/"+str(l["id"]), nil, withToken(acct.access)), http.StatusOK)
			} else {
				// A known link is still served from the caches; the API
				// answers 503 (or another problem), never internals.
				expectRedirect(t, srv.redirect(t, code), "https://example.com/outage")
				r := srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://example.com/while-down"}, withToken(acct.access))
				if r.Status != http.StatusServiceUnavailable {
					t.Errorf("%s: want 503 while the database is down", r)
				}
				expectProblem(t, r, r.Status)
			}
			c.proxy.Restore()
			waitFor(t, "health 200 again", func() bool {
				status, checks := srv.healthChecks(t)
				return status == http.StatusOK && checks[c.check] == "ok"
			})
			srv.link(t, acct.access, "https://example.com/after-"+c.check)
		})
	}
}

// TestE2EStalledDatabaseAnswers: a database that takes a call's queries
// and never answers them costs the call a 503 with Retry-After at its 30 s
// deadline, and the answer reaches the client: with the server's write
// deadline equal to the call's, the 503 came just too late to be written
// and the client got an empty reply.
func TestE2EStalledDatabaseAnswers(t *testing.T) {
	if testing.Short() {
		t.Skip("takes the 30 s of a call's deadline")
	}
	t.Parallel()
	srv := startServer(t, "postgres+redis", nil)
	acct := srv.newAccount(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, srv.env["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "LOCK TABLE short_urls IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	client := *srv.client
	client.Timeout = time.Minute
	req, _ := http.NewRequest("GET", srv.url+"/api/v1/urls", nil)
	req.Header.Set("Authorization", "Bearer "+acct.access)
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("after %s: %v; want the call's 503", time.Since(start), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("status %d, Retry-After %q; want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}
