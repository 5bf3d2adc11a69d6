package main

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"
)

// tcpProxy forwards 127.0.0.1 connections to a target and can simulate
// an outage of it: while down it closes every connection.
type tcpProxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	down  bool
	conns map[net.Conn]bool
	wg    sync.WaitGroup
}

func startProxy(t *testing.T, target string) *tcpProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("proxy listen: %v", err)
	}
	p := &tcpProxy{ln: ln, target: target, conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(func() {
		_ = ln.Close()
		p.setDown(true)
		p.wg.Wait()
	})
	return p
}

func (p *tcpProxy) addr() string { return p.ln.Addr().String() }

func (p *tcpProxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return
		} else if err != nil {
			continue
		}
		p.mu.Lock()
		if p.down {
			p.mu.Unlock()
			_ = c.Close()
			continue
		}
		p.conns[c] = true
		p.mu.Unlock()
		p.wg.Add(1)
		go p.pipe(c)
	}
}

func (p *tcpProxy) pipe(c net.Conn) {
	defer p.wg.Done()
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		_ = c.Close()
		return
	}
	p.mu.Lock()
	if p.down {
		p.mu.Unlock()
		_ = c.Close()
		_ = up.Close()
		return
	}
	p.conns[up] = true
	p.mu.Unlock()
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(up, c); done <- struct{}{} }()
	go func() { _, _ = io.Copy(c, up); done <- struct{}{} }()
	<-done
	_ = c.Close()
	_ = up.Close()
	<-done
	p.mu.Lock()
	delete(p.conns, c)
	delete(p.conns, up)
	p.mu.Unlock()
}

// setDown starts (true) or ends (false) an outage.
func (p *tcpProxy) setDown(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
	if down {
		for c := range p.conns {
			_ = c.Close()
		}
	}
}

// viaProxy rewrites the host of a service URL to the proxy's address.
func viaProxy(t *testing.T, raw string) (string, *tcpProxy) {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("parse %q: %v", raw, err)
	}
	p := startProxy(t, u.Host)
	u.Host = p.addr()
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
	var redisProxy, pgProxy *tcpProxy
	env["REDIS_URL"], redisProxy = viaProxy(t, env["REDIS_URL"])
	env["DATABASE_URL"], pgProxy = viaProxy(t, env["DATABASE_URL"])
	srv = launch(t, srv.backend, env)
	acct := srv.newAccount(t)
	l := srv.link(t, acct.access, "https://example.com/outage")
	code := str(l["short_code"])
	expectRedirect(t, srv.redirect(t, code), "https://example.com/outage")

	for _, c := range []struct {
		check string
		proxy *tcpProxy
	}{{"cache", redisProxy}, {"database", pgProxy}} {
		t.Run(c.check, func(t *testing.T) {
			c.proxy.setDown(true)
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
				if r.Status < 500 {
					t.Errorf("%s: want a 5xx while the database is down", r)
				}
				expectProblem(t, r, r.Status)
			}
			c.proxy.setDown(false)
			waitFor(t, "health 200 again", func() bool {
				status, checks := srv.healthChecks(t)
				return status == http.StatusOK && checks[c.check] == "ok"
			})
			srv.link(t, acct.access, "https://example.com/after-"+c.check)
		})
	}
}
