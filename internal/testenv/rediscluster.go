package testenv

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// RedisCluster is a private Redis Cluster of three masters (and a replica
// of each, from StartRedisClusterWithReplicas).
type RedisCluster struct {
	URL   string // in the service's cluster form
	nodes []*exec.Cmd
	addrs []string // of nodes
}

// KillNode kills node i: without replicas, an outage of a third of the slots.
func (c *RedisCluster) KillNode(i int) {
	_ = c.nodes[i].Process.Kill()
	_ = c.nodes[i].Wait()
}

// FreezeReplica stops (SIGSTOP) a live replica, as a node that hangs, and
// returns the function that resumes it (also run when the test ends).
func (c *RedisCluster) FreezeReplica(t testing.TB) (thaw func()) {
	t.Helper()
	for i, addr := range c.addrs {
		if c.nodes[i].ProcessState != nil {
			continue // killed
		}
		n := goredis.NewClient(&goredis.Options{Addr: addr})
		repl, err := n.Info(context.Background(), "replication").Result()
		_ = n.Close()
		if err != nil || !strings.Contains(repl, "role:slave") {
			continue
		}
		p := c.nodes[i].Process
		if err := p.Signal(syscall.SIGSTOP); err != nil {
			t.Fatal(err)
		}
		thaw = sync.OnceFunc(func() { _ = p.Signal(syscall.SIGCONT) })
		t.Cleanup(thaw)
		return thaw
	}
	t.Fatal("no live replica to freeze")
	return nil
}

// KillMasterOf kills the master of key's slot, and returns once a replica
// has taken the slot over and the cluster serves every slot again.
func (c *RedisCluster) KillMasterOf(t testing.TB, key string) {
	t.Helper()
	ctx := context.Background()
	owner := func(via string) string {
		n := goredis.NewClient(&goredis.Options{Addr: via})
		defer n.Close()
		slot, err := n.ClusterKeySlot(ctx, key).Result()
		if err != nil {
			return ""
		}
		slots, err := n.ClusterSlots(ctx).Result()
		if err != nil {
			return ""
		}
		for _, s := range slots {
			if int64(s.Start) <= slot && slot <= int64(s.End) && len(s.Nodes) > 0 {
				return s.Nodes[0].Addr
			}
		}
		return ""
	}
	dead := owner(c.addrs[0])
	i := slices.Index(c.addrs, dead)
	if i < 0 {
		t.Fatalf("no node owns the slot of %q", key)
	}
	c.KillNode(i)
	survivor := c.addrs[(i+1)%len(c.addrs)]
	waitRedis(t, survivor, func(n *goredis.Client) bool {
		info, err := n.ClusterInfo(ctx).Result()
		now := owner(survivor)
		return err == nil && strings.Contains(info, "cluster_state:ok") && now != "" && now != dead
	})
}

// StartRedisCluster starts a private Redis Cluster of three masters on
// free 127.0.0.1 ports (each with its cluster bus on the port + 10000).
// The nodes are killed when the test ends. It skips (or fails under
// TEST_REQUIRE_SERVICES=1) when redis-server or redis-cli is missing.
func StartRedisCluster(t testing.TB) *RedisCluster {
	t.Helper()
	return startRedisCluster(t, 0)
}

// StartRedisClusterWithReplicas is StartRedisCluster with a replica of
// each master, which takes over (a failover) about a second after its
// master dies.
func StartRedisClusterWithReplicas(t testing.TB) *RedisCluster {
	t.Helper()
	return startRedisCluster(t, 1)
}

func startRedisCluster(t testing.TB, replicas int) *RedisCluster {
	t.Helper()
	for _, bin := range []string{"redis-server", "redis-cli"} {
		if _, err := exec.LookPath(bin); err != nil {
			missing(t, bin+" binary")
		}
	}
	dir := t.TempDir()
	c := &RedisCluster{}
	var addrs []string
	for len(addrs) < 3*(1+replicas) {
		port := clusterPort(t)
		cmd := exec.Command("redis-server", "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
			"--cluster-enabled", "yes", "--cluster-config-file", fmt.Sprintf("nodes-%d.conf", port),
			"--cluster-node-timeout", "1000", "--dir", dir, "--save", "", "--appendonly", "no", "--daemonize", "no",
			// A replica syncs at once (not after diskless sync's 5 s wait
			// for more replicas) and may always take over.
			"--repl-diskless-sync-delay", "0", "--cluster-replica-validity-factor", "0")
		if err := cmd.Start(); err != nil {
			t.Fatalf("start redis-server: %v", err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		c.nodes = append(c.nodes, cmd)
		addr := "127.0.0.1:" + strconv.Itoa(port)
		waitRedis(t, addr, func(c *goredis.Client) bool { return c.Ping(context.Background()).Err() == nil })
		addrs = append(addrs, addr)
	}
	create := exec.Command("redis-cli", append(append([]string{"--cluster", "create"}, addrs...),
		"--cluster-replicas", strconv.Itoa(replicas), "--cluster-yes")...)
	if out, err := create.CombinedOutput(); err != nil {
		t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	for _, addr := range addrs {
		waitRedis(t, addr, func(c *goredis.Client) bool {
			info, err := c.ClusterInfo(context.Background()).Result()
			if err != nil || !strings.Contains(info, "cluster_state:ok") {
				return false
			}
			// A replica has its master's data before the test begins.
			repl, err := c.Info(context.Background(), "replication").Result()
			return err == nil && (strings.Contains(repl, "role:master") || strings.Contains(repl, "master_link_status:up"))
		})
	}
	c.addrs = addrs
	c.URL = "redis://" + addrs[0] + "?addr=" + addrs[1] + "&addr=" + addrs[2] + "&cluster=true"
	return c
}

// clusterPort returns a free port whose cluster bus port (+10000) is free
// too.
func clusterPort(t testing.TB) int {
	t.Helper()
	for range 50 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		_ = l.Close()
		if port+10000 > 65535 {
			continue
		}
		bus, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port+10000))
		if err != nil {
			continue
		}
		_ = bus.Close()
		return port
	}
	t.Fatal("no free port pair for a cluster node")
	return 0
}

// waitRedis waits up to 15 s until ready holds for the Redis at addr.
func waitRedis(t testing.TB, addr string, ready func(*goredis.Client) bool) {
	t.Helper()
	c := goredis.NewClient(&goredis.Options{Addr: addr})
	defer c.Close()
	deadline := time.Now().Add(15 * time.Second)
	for !ready(c) {
		if time.Now().After(deadline) {
			t.Fatalf("private Redis at %s not ready", addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
