package main

// End-to-end tests: each test starts the real program with run(ctx,
// "serve", ...) on 127.0.0.1:0 and speaks HTTP to it, checking the
// behaviour promised by /work/shared/API.md. The service is treated as a
// black box: nothing below reaches into its packages.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/shortener-dev/shortener/internal/testenv"
)

// e2eBaseURL is the BASE_URL every test server announces. It is not the
// address the server listens on, which is what the redirect-loop rule of
// API.md is about: links to this host must be refused.
const e2eBaseURL = "http://localhost:8000"

// e2eSecret is a 40-character SECRET_KEY.
const e2eSecret = "e2e-secret-key-0123456789abcdefghijklmno"

// syncBuffer collects what the server writes while the test reads it.
type syncBuffer = testenv.Buffer

// testServer is one running instance of the program.
type testServer struct {
	backend string
	// url is the address the server listens on, e.g. http://127.0.0.1:41234.
	url    string
	env    map[string]string
	stdout *syncBuffer
	logs   *syncBuffer
	client *http.Client
	stopFn func(t *testing.T)
}

// getenv returns the server's environment as a getenv function.
func (s *testServer) getenv(k string) string { return s.env[k] }

// baseEnv is the environment shared by all test servers. Limits are high
// so that only the rate-limit tests, which lower them, ever see a 429:
// every request of a test comes from 127.0.0.1.
func baseEnv(t *testing.T) map[string]string {
	return map[string]string{
		"LISTEN_ADDR":                  "127.0.0.1:0",
		"DATA_DIR":                     t.TempDir(),
		"BCRYPT_COST":                  "4",
		"ENVIRONMENT":                  "test",
		"SECRET_KEY":                   e2eSecret,
		"BASE_URL":                     e2eBaseURL,
		"ANALYTICS_FLUSH_INTERVAL":     "1",
		"RATE_LIMIT_REQUESTS":          "1000000",
		"ANON_RATE_LIMIT_REQUESTS":     "1000000",
		"REGISTER_RATE_LIMIT_REQUESTS": "1000000",
		"LOGIN_RATE_LIMIT_REQUESTS":    "1000000",
	}
}

// backendEnv adds the settings of a backend to env, skipping (or failing
// under TEST_REQUIRE_SERVICES=1) when the services are not configured.
func backendEnv(t *testing.T, backend string, env map[string]string) {
	t.Helper()
	switch backend {
	case "embedded":
	case "postgres+redis":
		env["DATABASE_URL"] = testenv.PostgresURL(t)
		env["REDIS_URL"] = testenv.RedisURL(t)
		prefix := testenv.RandomName("e2e:") + ":"
		env["REDIS_KEY_PREFIX"] = prefix
		cleanupRedisPrefix(t, env["REDIS_URL"], prefix)
	default:
		t.Fatalf("unknown backend %q", backend)
	}
}

// cleanupRedisPrefix deletes the test's Redis keys when it ends (after the
// server stopped: cleanups run last registered first).
func cleanupRedisPrefix(t *testing.T, redisURL, prefix string) {
	opts, err := goredis.ParseURL(redisURL)
	if err != nil {
		t.Fatalf("parse TEST_REDIS_URL: %v", err)
	}
	t.Cleanup(func() {
		client := goredis.NewClient(opts)
		defer client.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		iter := client.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			client.Del(ctx, iter.Val())
		}
	})
}

var listeningRE = regexp.MustCompile(`shortener listening on (http://[^\s/]+)`)

// startServer runs "serve" with the backend's environment plus overrides
// (an empty override value deletes the variable) and waits until /healthz
// answers. When the test ends it stops the server (see stop).
func startServer(t *testing.T, backend string, overrides map[string]string) *testServer {
	t.Helper()
	env := baseEnv(t)
	backendEnv(t, backend, env)
	for k, v := range overrides {
		if v == "" {
			delete(env, k)
		} else {
			env[k] = v
		}
	}
	return launch(t, backend, env)
}

// launch runs "serve" with exactly env.
func launch(t *testing.T, backend string, env map[string]string) *testServer {
	t.Helper()
	s := &testServer{backend: backend, env: env, stdout: &syncBuffer{}, logs: &syncBuffer{}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, s.getenv, s.stdout, s.logs) }()
	var once sync.Once
	s.stopFn = func(t *testing.T) {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("run returned %v after the context was cancelled, want nil (graceful shutdown)", err)
				}
			case <-time.After(40 * time.Second):
				t.Errorf("run did not return within 40s of the context being cancelled")
			}
			// Secrets never reach the logs.
			logs := s.logs.String()
			for _, secret := range []string{e2eSecret, e2ePassword} {
				if strings.Contains(logs, secret) {
					t.Errorf("the logs contain the secret %q", secret)
				}
			}
		})
	}
	t.Cleanup(func() { s.stop(t) })

	deadline := time.Now().Add(30 * time.Second)
	for s.url == "" {
		if m := listeningRE.FindStringSubmatch(s.stdout.String()); m != nil {
			s.url = m[1]
			break
		}
		select {
		case err := <-done:
			once.Do(func() {})
			t.Fatalf("run returned before listening: %v\nlogs:\n%s", err, s.logs.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not print its address within 30s; stdout %q\nlogs:\n%s", s.stdout.String(), s.logs.String())
		}
	}
	if !strings.HasPrefix(s.url, "http://127.0.0.1:") {
		t.Fatalf("server listens on %s, want 127.0.0.1", s.url)
	}
	s.client = &http.Client{
		Timeout: 20 * time.Second,
		// Redirects are the product: the tests look at them, never follow.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     &http.Transport{MaxIdleConnsPerHost: 32},
	}
	t.Cleanup(s.client.CloseIdleConnections)
	for {
		resp, err := s.client.Get(s.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/healthz not ready within 30s (last error %v)\nlogs:\n%s", err, s.logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return s
}

// stop cancels the server's context and requires run to return nil: the
// shutdown must be graceful. Stopping twice is a no-op.
func (s *testServer) stop(t *testing.T) {
	t.Helper()
	if s.client != nil {
		s.client.CloseIdleConnections()
	}
	s.stopFn(t)
}

// restart stops the server and starts a new one with the same
// environment: the same DATA_DIR, database and Redis prefix.
func (s *testServer) restart(t *testing.T) *testServer {
	t.Helper()
	s.stop(t)
	return launch(t, s.backend, s.env)
}

// backends lists the backend matrix.
var backends = []string{"embedded", "postgres+redis"}

// forEachBackend runs fn against a fresh server of every backend.
func forEachBackend(t *testing.T, fn func(t *testing.T, srv *testServer)) {
	t.Helper()
	forEachBackendEnv(t, nil, fn)
}

// forEachBackendEnv is forEachBackend with environment overrides.
func forEachBackendEnv(t *testing.T, overrides map[string]string, fn func(t *testing.T, srv *testServer)) {
	t.Helper()
	for _, b := range backends {
		t.Run(b, func(t *testing.T) {
			t.Parallel()
			fn(t, startServer(t, b, overrides))
		})
	}
}

// runCommand runs another command of the program (user promote, version)
// with the server's environment, so it sees the same database.
func (s *testServer) runCommand(t *testing.T, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out, errOut syncBuffer
	err := run(ctx, args, s.getenv, &out, &errOut)
	return out.String() + errOut.String(), err
}

// runOnce runs the program with env and returns its error; for commands
// and configurations that must fail before serving. A server that does
// start anyway is stopped again.
func runOnce(t *testing.T, env map[string]string, args ...string) (stdout string, elapsed time.Duration, err error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, logs syncBuffer
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- run(ctx, args, func(k string) string { return env[k] }, &out, &logs) }()
	select {
	case err = <-done:
		return out.String(), time.Since(start), err
	case <-time.After(30 * time.Second):
	}
	cancel()
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		err = errors.New("run did not return")
	}
	return out.String(), time.Since(start), fmt.Errorf("still running after 30s (then: %v)", err)
}

// discard reads and closes a body so that the connection is reused.
func discard(r io.ReadCloser) {
	_, _ = io.Copy(io.Discard, r)
	_ = r.Close()
}

// waitFor polls cond until it holds or 15 s have passed.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after 15s waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
