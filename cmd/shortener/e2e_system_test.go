package main

import (
	"bufio"
	"encoding/json"
	"maps"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestE2ESystem covers health, metrics, the OpenAPI document and the docs.
func TestE2ESystem(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		t.Run("health", func(t *testing.T) {
			r := srv.do(t, "GET", "/api/v1/health", nil)
			expectJSON(t, r, http.StatusOK)
			var h struct {
				Status string            `json:"status"`
				Checks map[string]string `json:"checks"`
			}
			r.decode(t, &h)
			if h.Status != "ok" || len(h.Checks) != 3 || h.Checks["database"] != "ok" || h.Checks["cache"] != "ok" || h.Checks["clicks"] != "ok" {
				t.Errorf("%s: want {status: ok, checks: {database: ok, cache: ok, clicks: ok}}", r)
			}
			expectStatus(t, srv.do(t, "GET", "/healthz", nil), http.StatusOK)
			expectStatus(t, srv.do(t, "HEAD", "/healthz", nil), http.StatusOK)
		})
		t.Run("metrics", func(t *testing.T) {
			for range 3 {
				srv.do(t, "GET", "/api/v1/health", nil)
				srv.do(t, "GET", "/api/v1/nope", nil)
			}
			r := srv.do(t, "GET", "/metrics", nil)
			expectStatus(t, r, http.StatusOK)
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") && !strings.HasPrefix(ct, "application/openmetrics-text") {
				t.Errorf("/metrics Content-Type %q, want the Prometheus text format", ct)
			}
			counters := map[string]bool{}
			typeRE := regexp.MustCompile(`^# TYPE (\S+) counter$`)
			sc := bufio.NewScanner(strings.NewReader(string(r.Body)))
			sc.Buffer(make([]byte, 1<<20), 1<<20)
			for sc.Scan() {
				if m := typeRE.FindStringSubmatch(sc.Text()); m != nil {
					counters[m[1]] = true
				}
			}
			found := false
			sc = bufio.NewScanner(strings.NewReader(string(r.Body)))
			sc.Buffer(make([]byte, 1<<20), 1<<20)
			for sc.Scan() {
				line := sc.Text()
				if strings.HasPrefix(line, "#") {
					continue
				}
				name := line
				if i := strings.IndexAny(line, "{ "); i > 0 {
					name = line[:i]
				}
				base := strings.TrimSuffix(name, "_total")
				if !strings.Contains(name, "request") || !(counters[name] || counters[base]) {
					continue
				}
				fields := strings.Fields(line)
				if v, err := strconv.ParseFloat(fields[len(fields)-1], 64); err == nil && v > 0 {
					found = true
				}
			}
			if !found {
				t.Errorf("/metrics has no request counter with a positive value; counters: %v", counters)
			}
		})
		t.Run("openapi", func(t *testing.T) {
			r := srv.do(t, "GET", "/openapi.json", nil)
			expectStatus(t, r, http.StatusOK)
			if ct := r.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("/openapi.json Content-Type %q, want application/json", ct)
			}
			var doc struct {
				OpenAPI string                     `json:"openapi"`
				Paths   map[string]json.RawMessage `json:"paths"`
			}
			r.decode(t, &doc)
			if !strings.HasPrefix(doc.OpenAPI, "3.1") {
				t.Errorf("openapi %q, want 3.1", doc.OpenAPI)
			}
			// Parameter names may differ; the shape of each path may not.
			param := regexp.MustCompile(`\{[^}]+\}`)
			have := map[string]bool{}
			for p := range doc.Paths {
				have[param.ReplaceAllString(p, "{}")] = true
			}
			for _, p := range []string{
				"/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout", "/api/v1/auth/me",
				"/api/v1/urls", "/api/v1/urls/{}", "/api/v1/analytics/{}/summary", "/api/v1/qr/{}", "/api/v1/health",
			} {
				if !have[p] {
					t.Errorf("/openapi.json lacks the path %s", p)
				}
			}
		})
		t.Run("docs", func(t *testing.T) {
			r := srv.do(t, "GET", "/docs", nil)
			expectStatus(t, r, http.StatusOK)
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("/docs Content-Type %q, want text/html", ct)
			}
			if !strings.Contains(strings.ToLower(string(r.Body)), "<html") {
				t.Errorf("/docs is not an HTML page")
			}
		})
	})
}

// TestE2EProductionLogs: ENVIRONMENT=production writes JSON log lines that
// carry the request id.
func TestE2EProductionLogs(t *testing.T) {
	t.Parallel()
	srv := startServer(t, "embedded", map[string]string{"ENVIRONMENT": "production"})
	srv.do(t, "GET", "/api/v1/urls/not-a-uuid", nil, withHeader("X-Request-ID", "prod-log-check-1"))
	waitFor(t, "the request in the logs", func() bool { return strings.Contains(srv.logs.String(), "prod-log-check-1") })
	srv.stop(t)
	lines := strings.Split(strings.TrimSpace(srv.logs.String()), "\n")
	for _, line := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Errorf("production log line is not JSON: %q", line)
		}
	}
}

// TestE2ERestart: data, tokens and clicks survive a graceful restart; in
// embedded mode the generated SECRET_KEY is kept in DATA_DIR.
func TestE2ERestart(t *testing.T) {
	t.Parallel()
	// Clicks are flushed only on shutdown with an hour-long interval.
	env := map[string]string{"ANALYTICS_FLUSH_INTERVAL": "3600"}
	forEachBackendEnv(t, env, func(t *testing.T, srv *testServer) {
		if srv.backend == "embedded" {
			// Let the embedded mode generate its secret.
			srv.stop(t)
			delete(srv.env, "SECRET_KEY")
			srv.env["ENVIRONMENT"] = "development"
			srv = launch(t, srv.backend, srv.env)
		}
		acct := srv.newAccount(t)
		l := srv.link(t, acct.access, "https://example.com/restart")
		code := str(l["short_code"])
		for range 4 {
			expectRedirect(t, srv.redirect(t, code), "https://example.com/restart")
		}
		srv = srv.restart(t)
		// The access token from before the restart still verifies.
		expectJSON(t, srv.do(t, "GET", "/api/v1/auth/me", nil, withToken(acct.access)), http.StatusOK)
		// The clicks were flushed on shutdown (to SQL, or to the Redis
		// stream that the new instance consumes).
		waitFor(t, "click_count 4 after a graceful restart", func() bool {
			r := srv.do(t, "GET", "/api/v1/urls/"+str(l["id"]), nil, withToken(acct.access))
			expectJSON(t, r, http.StatusOK)
			return integer(t, "click_count", r.object(t)["click_count"]) == 4
		})
		expectRedirect(t, srv.redirect(t, code), "https://example.com/restart")
		res := srv.do(t, "POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": acct.refresh})
		expectJSON(t, res, http.StatusOK)
	})
}

// TestE2EOneInstancePerDataDir: a second instance on a DATA_DIR in use
// refuses to start (two writers corrupted the shared click spool), and
// the first one serves on untouched.
func TestE2EOneInstancePerDataDir(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		env := maps.Clone(srv.env)
		_, elapsed, err := runOnce(t, env, "serve")
		if err == nil || !strings.Contains(err.Error(), "in use by another running instance") {
			t.Fatalf("a second instance on DATA_DIR %s: %v, want a refusal", env["DATA_DIR"], err)
		}
		if elapsed > 10*time.Second {
			t.Errorf("the refusal took %v", elapsed)
		}
		l := srv.link(t, "", "https://example.com/one-instance")
		expectRedirect(t, srv.redirect(t, str(l["short_code"])), "https://example.com/one-instance")
	})
}
