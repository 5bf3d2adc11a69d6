package testenv

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"testing"

	goredis "github.com/redis/go-redis/v9"
)

// RedisServer is a private redis-server process for tests that stop and
// start Redis (outages, restarts), which they must never do to a shared
// server. It persists to an append-only file in its own directory, so a
// restart keeps its data, as a production Redis with persistence would.
type RedisServer struct {
	t    testing.TB
	dir  string
	port int
	cmd  *exec.Cmd
}

// StartRedisServer starts redis-server on a free 127.0.0.1 port. It skips
// (or fails under TEST_REQUIRE_SERVICES=1) when redis-server is missing.
func StartRedisServer(t testing.TB) *RedisServer {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		missing(t, "redis-server binary")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s := &RedisServer{t: t, dir: t.TempDir(), port: port}
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

// URL is the server's redis:// URL.
func (s *RedisServer) URL() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", s.port) }

// Start starts the server (again) and waits until it answers.
func (s *RedisServer) Start() {
	s.t.Helper()
	s.cmd = exec.Command("redis-server", "--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--dir", s.dir, "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--daemonize", "no")
	if err := s.cmd.Start(); err != nil {
		s.t.Fatalf("start redis-server: %v", err)
	}
	waitRedis(s.t, fmt.Sprintf("127.0.0.1:%d", s.port), func(c *goredis.Client) bool { return c.Ping(context.Background()).Err() == nil })
}

// Stop kills the server (an outage); Start brings it back.
func (s *RedisServer) Stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}
