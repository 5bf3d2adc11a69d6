package redis

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/redis/rueidis"
)

// pingTimeout bounds the reachability check of Connect: a configured Redis
// that does not answer within it stops the server from starting.
const pingTimeout = 5 * time.Second

// Connect returns a client for rawURL after checking with PING that the
// server answers. The forms accepted are:
//
//	redis://[user:password@]host[:port][/db][?option=value...]   one server
//	rediss://...                                                 one server over TLS
//	unix://[user:password@]/path/redis.sock[?db=N&...]           one server on a Unix socket
//	redis://[user:password@]host1:6379,host2:6379[?...]          Redis Cluster, seed nodes
//	redis://host1:6379?cluster=true[&addr=host2:6379...]         Redis Cluster, explicit
//
// A comma-separated host list or cluster=true (also 1/yes) selects Cluster;
// rediss:// works there too, and a Cluster URL takes no database number.
// The options are go-redis's URL options (dial_timeout, pool_size, ...).
// Context deadlines are honoured by socket reads and writes, so a caller can
// bound a command on the hot path with its context.
func Connect(ctx context.Context, rawURL string) (goredis.UniversalClient, error) {
	client, where, err := newClient(rawURL)
	if err != nil {
		return nil, fmt.Errorf("connect redis: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("connect redis at %s: ping: %w", where, err)
	}
	if c, ok := client.(*goredis.Client); ok && isClusterNode(ctx, c) {
		// Read as one server, a cluster node answers MOVED for the keys
		// of the other nodes' slots: a third of the rate limits, caches and
		// broadcasts would fail while the health check said ok.
		_ = client.Close()
		return nil, fmt.Errorf("connect redis at %s: %w", where, ErrClusterNode)
	}
	return client, nil
}

// ErrClusterNode is Connect's error for one server's URL that names a node
// of a Redis Cluster: a wrong setting, not an outage.
var ErrClusterNode = errors.New("the server is a node of a Redis Cluster: add cluster=true to REDIS_URL (or list the nodes, comma-separated)")

// isClusterNode reports whether the server runs in cluster mode. A server
// that refuses INFO (a managed Redis may rename it) is taken as not.
func isClusterNode(ctx context.Context, c *goredis.Client) bool {
	info, err := c.Info(ctx, "cluster").Result()
	return err == nil && strings.Contains(info, "cluster_enabled:1")
}

// Healthy reports whether Redis serves: it answers PING, and in a Cluster
// every master answers and says every slot is served (cluster_state:ok).
// Each master is asked, not one node: a node answers while the cluster it
// belongs to is down, and a master that died goes on owning its slots,
// unreachable, until the cluster notices (its node timeout) and a replica
// takes over; meanwhile a third of the keys fail while the others answer.
// The masters are the client's view of the cluster (reloaded every
// clusterStateReload in the background), not a fresh one: reloading it
// here asks some node, and one that hangs (a replica, say) would fail the
// check now and then while every slot is served.
func Healthy(ctx context.Context, client goredis.UniversalClient) error {
	cc, ok := client.(*goredis.ClusterClient)
	if !ok {
		return client.Ping(ctx).Err()
	}
	masters := map[string]*goredis.Client{}
	for _, key := range healthKeys() {
		m, err := cc.MasterForKey(ctx, key)
		if err != nil {
			return err
		}
		masters[m.Options().Addr] = m
	}
	errs := make(chan error, len(masters))
	for addr, m := range masters {
		go func() {
			info, err := m.ClusterInfo(ctx).Result()
			switch {
			case err != nil:
				err = fmt.Errorf("redis cluster node %s: %w", addr, err)
			case !strings.Contains(info, "cluster_state:ok"):
				err = fmt.Errorf("redis cluster node %s: cluster state is not ok", addr)
			}
			errs <- err
		}()
	}
	var err error
	for range masters {
		err = cmp.Or(err, <-errs)
	}
	return err
}

// healthKeys are keys spread over a Redis Cluster's slots: the masters of
// their slots are every master (one that holds a thousandth of the slots
// is missed about once in ten million checks). Finding them costs about a
// millisecond. Made at the first check: only a Cluster's health needs them.
var healthKeys = sync.OnceValue(func() []string {
	keys := make([]string, 16384)
	for i := range keys {
		keys[i] = "health:" + strconv.Itoa(i)
	}
	return keys
})

// CheckURL reports what is wrong with rawURL as Connect would read it (its
// form, its options, the port of each address), without connecting.
func CheckURL(rawURL string) error {
	client, _, err := newClient(rawURL)
	if err != nil {
		return err
	}
	defer client.Close()
	var addrs []string
	switch c := client.(type) {
	case *goredis.Client:
		if c.Options().Network != "unix" {
			addrs = []string{c.Options().Addr}
		}
	case *goredis.ClusterClient:
		addrs = c.Options().Addrs
	}
	for _, addr := range addrs {
		_, port, err := net.SplitHostPort(addr)
		if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 1 || n > 65535 {
			return fmt.Errorf("invalid address %q: want host:port with a port of 1-65535", addr)
		}
	}
	return nil
}

// ConnectPipelined returns a rueidis client for rawURL (any form Connect
// accepts) after checking with PING that the server answers. Its commands
// from concurrent callers share writes and reads on one connection per
// node (auto-pipelining): the link cache's GET on the redirect path goes
// through it, at about half go-redis's CPU per GET under load
// (BENCHMARKS.md, "The L2 read"). Client-side caching stays off: it was
// measured as the L1's coherence and lost (same place).
func ConnectPipelined(ctx context.Context, rawURL string) (rueidis.Client, error) {
	parsed, where, err := newClient(rawURL)
	if err != nil {
		return nil, fmt.Errorf("connect redis: %w", err)
	}
	opt := pipelinedOptions(parsed)
	_ = parsed.Close() // only its parsed options were wanted; it never dialled
	client, err := rueidis.NewClient(opt)
	if err != nil {
		return nil, fmt.Errorf("connect redis at %s: %w", where, err)
	}
	ctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	if err := client.Do(ctx, client.B().Ping().Build()).Error(); err != nil {
		client.Close()
		return nil, fmt.Errorf("connect redis at %s: ping: %w", where, err)
	}
	return client, nil
}

// pipelineFlushDelay lets the pipelined client gather the GETs of
// concurrent redirects for up to 100 µs after each write, so that more of
// them share one write (a single caller is never held back). Scenario 6,
// four paired runs: 21,586 redirects/s against 18,750 without it, and
// about 9 % more clicks stored per second, the two cores spending less on
// system calls (BENCHMARKS.md, "The pipelined GET's flush delay").
const pipelineFlushDelay = 100 * time.Microsecond

// pipelinedOptions carries what go-redis parsed from the URL over to
// rueidis, so that both clients read one URL the same way.
func pipelinedOptions(c goredis.UniversalClient) rueidis.ClientOption {
	opt := rueidis.ClientOption{DisableCache: true, Dialer: net.Dialer{Timeout: pingTimeout},
		MaxFlushDelay: pipelineFlushDelay}
	switch c := c.(type) {
	case *goredis.ClusterClient:
		o := c.Options()
		opt.InitAddress, opt.Username, opt.Password, opt.TLSConfig = o.Addrs, o.Username, o.Password, o.TLSConfig
		opt.Dialer.Timeout = cmp.Or(o.DialTimeout, opt.Dialer.Timeout)
	case *goredis.Client:
		o := c.Options()
		opt.InitAddress, opt.Username, opt.Password, opt.TLSConfig = []string{o.Addr}, o.Username, o.Password, o.TLSConfig
		opt.SelectDB, opt.ForceSingleClient = o.DB, true
		opt.Dialer.Timeout = cmp.Or(o.DialTimeout, opt.Dialer.Timeout)
		if o.Network == "unix" {
			opt.DialCtxFn = func(ctx context.Context, addr string, d *net.Dialer, _ *tls.Config) (net.Conn, error) {
				return d.DialContext(ctx, "unix", addr)
			}
		}
	}
	return opt
}

// newClient builds the client of rawURL and names where it points, without
// the credentials, for error messages.
func newClient(rawURL string) (goredis.UniversalClient, string, error) {
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		return nil, "", errors.New("invalid URL: want redis://, rediss:// or unix://")
	}
	authority, tail := splitAuthority(rest)
	_, hosts := splitUserinfo(authority)
	if scheme != "unix" && (strings.Contains(hosts, ",") || clusterRequested(tail)) {
		return newClusterClient(scheme, authority, tail)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, "", fmt.Errorf("invalid URL: %w", urlCause(err))
	}
	if q := u.Query(); q.Has("cluster") {
		// cluster=false: go-redis would reject the unknown option.
		q.Del("cluster")
		u.RawQuery = q.Encode()
	}
	opts, err := goredis.ParseURL(u.String())
	if err != nil {
		return nil, "", err
	}
	opts.ContextTimeoutEnabled = true
	return goredis.NewClient(opts), opts.Network + " " + opts.Addr, nil
}

// clusterStateReload is how old the client's view of a Redis Cluster (which
// master has which slots) may grow before a command reloads it. go-redis's
// default, 60 s, kept sending to a dead master for 15-30 s after its
// replica had taken over: clicks waited, and invalidations failed while the
// cluster was whole again. A reload is one CLUSTER SLOTS, in the background.
const clusterStateReload = time.Second

// newClusterClient rewrites the Cluster forms into the one go-redis parses
// (first seed in the authority, the others as addr parameters).
func newClusterClient(scheme, authority, tail string) (goredis.UniversalClient, string, error) {
	userinfo, hosts := splitUserinfo(authority)
	seeds := strings.Split(hosts, ",")
	path, rawQuery, _ := strings.Cut(tail, "?")
	if p := strings.Trim(path, "/"); p != "" && p != "0" {
		return nil, "", errors.New("invalid URL: Redis Cluster has no database number")
	}
	query, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, "", fmt.Errorf("invalid URL query: %w", err)
	}
	query.Del("cluster")
	for _, seed := range seeds[1:] {
		if seed = strings.TrimSpace(seed); seed != "" {
			query.Add("addr", seed)
		}
	}
	first := strings.TrimSpace(seeds[0])
	if first == "" {
		return nil, "", errors.New("invalid URL: no cluster host")
	}
	if userinfo != "" {
		first = userinfo + "@" + first
	}
	rewritten := scheme + "://" + first + "/"
	if len(query) > 0 {
		rewritten += "?" + query.Encode()
	}
	if _, err := url.Parse(rewritten); err != nil {
		return nil, "", fmt.Errorf("invalid URL: %w", urlCause(err))
	}
	opts, err := goredis.ParseClusterURL(rewritten)
	if err != nil {
		return nil, "", err
	}
	opts.ContextTimeoutEnabled = true
	opts.ClusterStateReloadInterval = clusterStateReload
	return goredis.NewClusterClient(opts), "cluster " + strings.Join(opts.Addrs, ","), nil
}

// splitAuthority splits what follows "scheme://" into the authority and the
// path-and-query that follows it.
func splitAuthority(rest string) (authority, tail string) {
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		return rest[:i], rest[i:]
	}
	return rest, ""
}

// splitUserinfo splits "user:password@hosts"; the password may contain '@'.
func splitUserinfo(authority string) (userinfo, hosts string) {
	if i := strings.LastIndex(authority, "@"); i >= 0 {
		return authority[:i], authority[i+1:]
	}
	return "", authority
}

func clusterRequested(tail string) bool {
	_, rawQuery, _ := strings.Cut(tail, "?")
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return false
	}
	switch strings.ToLower(q.Get("cluster")) {
	case "true", "1", "yes":
		return true
	}
	return false
}

// urlCause drops the URL from a url.Parse error: it may hold a password.
func urlCause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
