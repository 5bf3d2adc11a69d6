package redis

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/shortener-dev/shortener/internal/testenv"
)

func TestConnect(t *testing.T) {
	ctx := context.Background()
	client, err := Connect(ctx, testenv.RedisURL(t))
	if err != nil {
		t.Fatalf("Connect(TEST_REDIS_URL): %v", err)
	}
	defer client.Close()
	if err := client.Ping(ctx).Err(); err != nil {
		t.Fatalf("ping through the connected client: %v", err)
	}
}

// A configured Redis that does not answer is an error that says where, and
// never shows the password.
func TestConnectUnreachable(t *testing.T) {
	start := time.Now()
	_, err := Connect(context.Background(), "redis://user:s3cret@127.0.0.1:1/0")
	if err == nil {
		t.Fatal("Connect to a closed port succeeded")
	}
	if elapsed := time.Since(start); elapsed > pingTimeout+time.Second {
		t.Fatalf("Connect took %v, want at most about %v", elapsed, pingTimeout)
	}
	msg := err.Error()
	if !strings.Contains(msg, "127.0.0.1:1") {
		t.Errorf("error does not say where: %q", msg)
	}
	if strings.Contains(msg, "s3cret") {
		t.Errorf("error shows the password: %q", msg)
	}
}

func TestConnectPipelined(t *testing.T) {
	ctx := context.Background()
	client, err := ConnectPipelined(ctx, testenv.RedisURL(t))
	if err != nil {
		t.Fatalf("ConnectPipelined(TEST_REDIS_URL): %v", err)
	}
	defer client.Close()
	// It reads the database the go-redis client writes.
	other, prefix := testenv.Redis(t)
	if err := other.Set(ctx, prefix+"k", "v", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	if got, err := client.Do(ctx, client.B().Get().Key(prefix+"k").Build()).ToString(); err != nil || got != "v" {
		t.Fatalf("GET through the pipelining client = %q, %v; want v", got, err)
	}

	_, err = ConnectPipelined(ctx, "redis://user:s3cret@127.0.0.1:1/0")
	if err == nil {
		t.Fatal("ConnectPipelined to a closed port succeeded")
	}
	if msg := err.Error(); !strings.Contains(msg, "127.0.0.1:1") || strings.Contains(msg, "s3cret") {
		t.Errorf("error %q: want where, never the password", msg)
	}
}

// The standalone test server is not a cluster: asking for Cluster fails at
// start instead of at the first command.
func TestConnectClusterAgainstStandalone(t *testing.T) {
	u, err := url.Parse(testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	raw := "redis://" + u.Host + "/?cluster=true"
	if c, err := Connect(context.Background(), raw); err == nil {
		_ = c.Close()
		t.Fatalf("Connect(%s) to a standalone server succeeded", raw)
	}
}

func TestNewClientForms(t *testing.T) {
	tests := []struct {
		name        string
		url         string
		wantCluster []string // seed addresses; nil for a single server
		wantAddr    string
		wantNetwork string
		wantDB      int
		wantTLS     bool
		wantUser    string
		wantPass    string
	}{
		{name: "redis", url: "redis://127.0.0.2:6380/2", wantAddr: "127.0.0.2:6380", wantNetwork: "tcp", wantDB: 2},
		{name: "default port", url: "redis://127.0.0.2", wantAddr: "127.0.0.2:6379", wantNetwork: "tcp"},
		{name: "cluster=false", url: "redis://127.0.0.2:1/0?cluster=false", wantAddr: "127.0.0.2:1", wantNetwork: "tcp"},
		{name: "rediss", url: "rediss://u:p@127.0.0.2:6380", wantAddr: "127.0.0.2:6380", wantNetwork: "tcp", wantTLS: true, wantUser: "u", wantPass: "p"},
		{name: "unix", url: "unix:///nonexistent/redis.sock?db=3", wantAddr: "/nonexistent/redis.sock", wantNetwork: "unix", wantDB: 3},
		{name: "cluster host list", url: "redis://127.0.0.2:7000,127.0.0.2:7001,127.0.0.2:7002", wantCluster: []string{"127.0.0.2:7000", "127.0.0.2:7001", "127.0.0.2:7002"}},
		{name: "cluster host list with options", url: "rediss://u:p@w@127.0.0.2:7000,127.0.0.2:7001/?dial_timeout=2s",
			wantCluster: []string{"127.0.0.2:7000", "127.0.0.2:7001"}, wantTLS: true, wantUser: "u", wantPass: "p@w"},
		{name: "cluster flag", url: "redis://127.0.0.2:7000/?cluster=true&addr=127.0.0.2:7001", wantCluster: []string{"127.0.0.2:7000", "127.0.0.2:7001"}},
		{name: "cluster flag without slash", url: "redis://127.0.0.2:7000?cluster=1", wantCluster: []string{"127.0.0.2:7000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, _, err := newClient(tt.url)
			if err != nil {
				t.Fatalf("newClient(%q): %v", tt.url, err)
			}
			defer client.Close()
			// The pipelining client reads the URL the same way.
			ro := pipelinedOptions(client)
			wantInit := tt.wantCluster
			if wantInit == nil {
				wantInit = []string{tt.wantAddr}
			}
			if !slices.Equal(ro.InitAddress, wantInit) || (ro.TLSConfig != nil) != tt.wantTLS ||
				ro.Username != tt.wantUser || ro.Password != tt.wantPass || ro.SelectDB != tt.wantDB ||
				ro.ForceSingleClient != (tt.wantCluster == nil) || (ro.DialCtxFn != nil) != (tt.wantNetwork == "unix") ||
				!ro.DisableCache || ro.MaxFlushDelay != 100*time.Microsecond {
				t.Errorf("rueidis options: init=%v tls=%v user=%q pass=%q db=%d single=%v unix=%v nocache=%v flush delay=%v",
					ro.InitAddress, ro.TLSConfig != nil, ro.Username, ro.Password, ro.SelectDB,
					ro.ForceSingleClient, ro.DialCtxFn != nil, ro.DisableCache, ro.MaxFlushDelay)
			}
			if tt.wantCluster != nil {
				cc, ok := client.(*goredis.ClusterClient)
				if !ok {
					t.Fatalf("got %T, want a cluster client", client)
				}
				o := cc.Options()
				if !slices.Equal(o.Addrs, tt.wantCluster) {
					t.Errorf("seeds = %v, want %v", o.Addrs, tt.wantCluster)
				}
				if (o.TLSConfig != nil) != tt.wantTLS || o.Username != tt.wantUser || o.Password != tt.wantPass {
					t.Errorf("tls=%v user=%q pass=%q", o.TLSConfig != nil, o.Username, o.Password)
				}
				if !o.ContextTimeoutEnabled {
					t.Error("context timeouts not enabled")
				}
				return
			}
			c, ok := client.(*goredis.Client)
			if !ok {
				t.Fatalf("got %T, want a single-server client", client)
			}
			o := c.Options()
			if o.Addr != tt.wantAddr || o.Network != tt.wantNetwork || o.DB != tt.wantDB {
				t.Errorf("addr=%s network=%s db=%d", o.Addr, o.Network, o.DB)
			}
			if (o.TLSConfig != nil) != tt.wantTLS || o.Username != tt.wantUser || o.Password != tt.wantPass {
				t.Errorf("tls=%v user=%q pass=%q", o.TLSConfig != nil, o.Username, o.Password)
			}
			if !o.ContextTimeoutEnabled {
				t.Error("context timeouts not enabled")
			}
		})
	}
}

func TestNewClientRejects(t *testing.T) {
	for _, raw := range []string{
		"",
		"localhost:6379",
		"http://cache:6379",
		"redis://u:s3cret@127.0.0.2:notaport",
		"redis://127.0.0.2:7000,127.0.0.2:7001/3",
		"redis://127.0.0.2?no_such_option=1",
		"redis://u:s3cret@127.0.0.2:7000,127.0.0.2:7001/?no_such_option=1",
	} {
		client, _, err := newClient(raw)
		if err == nil {
			_ = client.Close()
			t.Errorf("newClient(%q) succeeded", raw)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("newClient(%q) error shows the password: %v", raw, err)
		}
	}
}
