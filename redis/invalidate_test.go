package redis

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/testenv"
)

// invalidationLog collects what an Invalidator tells its L1.
type invalidationLog struct {
	codes  chan string
	resets atomic.Int32
}

func newInvalidationLog() *invalidationLog {
	return &invalidationLog{codes: make(chan string, 100)}
}

func (l *invalidationLog) onCode(code string) { l.codes <- code }
func (l *invalidationLog) onReset()           { l.resets.Add(1) }

// expect fails unless code arrives within a second.
func (l *invalidationLog) expect(t *testing.T, code string) {
	t.Helper()
	timeout := time.After(time.Second)
	for {
		select {
		case got := <-l.codes:
			if got == code {
				return
			}
		case <-timeout:
			t.Fatalf("code %q not received within 1s", code)
		}
	}
}

// namedClient returns a client of its own for TEST_REDIS_URL whose
// connections carry name, so that the test can find and kill them (and
// only them).
func namedClient(t *testing.T, name string) goredis.UniversalClient {
	t.Helper()
	opts, err := goredis.ParseURL(testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	opts.ClientName = name
	client := goredis.NewClient(opts)
	t.Cleanup(func() { _ = client.Close() })
	return client
}

// startInvalidator runs inv until the test ends and waits until it is
// subscribed.
func startInvalidator(t *testing.T, inv *Invalidator, admin goredis.UniversalClient, subscribers int64) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		inv.Run(ctx)
		close(done)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			t.Error("Run did not return after its context ended")
		}
	})
	pollUntil(t, "the subscription", func() bool {
		n, err := admin.PubSubNumSub(context.Background(), inv.channel).Result()
		return err == nil && n[inv.channel] >= subscribers
	})
}

// pubsubClientIDs returns the ids of the pub/sub connections named name.
func pubsubClientIDs(t *testing.T, admin goredis.UniversalClient, name string) []string {
	t.Helper()
	list, err := admin.Do(context.Background(), "CLIENT", "LIST", "TYPE", "pubsub").Text()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	sc := bufio.NewScanner(strings.NewReader(list))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		var id string
		named := false
		for _, f := range fields {
			if v, ok := strings.CutPrefix(f, "id="); ok {
				id = v
			}
			if f == "name="+name {
				named = true
			}
		}
		if named && id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

func TestInvalidatorBroadcast(t *testing.T) {
	ctx := context.Background()
	admin, prefix := testenv.Redis(t)
	logA, logB := newInvalidationLog(), newInvalidationLog()
	a := NewInvalidator(namedClient(t, testenv.RandomName("inv-a-")), prefix, logA.onCode, logA.onReset)
	b := NewInvalidator(namedClient(t, testenv.RandomName("inv-b-")), prefix, logB.onCode, logB.onReset)
	t.Cleanup(func() { _ = a.Close(); _ = b.Close() })
	startInvalidator(t, b, admin, 1)

	key := prefix + "url:abc"
	if err := admin.Set(ctx, key, "cached", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	if err := a.Invalidate(ctx, "abc"); err != nil {
		t.Fatalf("Invalidate: %v", err)
	}
	// The caller's own L1 is dropped before Invalidate returns.
	select {
	case got := <-logA.codes:
		if got != "abc" {
			t.Fatalf("local onCode(%q), want abc", got)
		}
	default:
		t.Fatal("Invalidate did not call the local onCode")
	}
	logB.expect(t, "abc")
	if holdsTarget(t, admin, key) {
		t.Fatal("url key still there after Invalidate")
	}
	if n := logB.resets.Load(); n != 0 {
		t.Fatalf("onReset called %d times without a reconnect", n)
	}
}

// pipelineHook counts a client's pipelines that publish (not those that
// set up a connection) and holds the first at its gate, if it has one.
type pipelineHook struct {
	pipelines atomic.Int32
	gate      *testenv.Gate
}

func (h *pipelineHook) DialHook(next goredis.DialHook) goredis.DialHook          { return next }
func (h *pipelineHook) ProcessHook(next goredis.ProcessHook) goredis.ProcessHook { return next }
func (h *pipelineHook) ProcessPipelineHook(next goredis.ProcessPipelineHook) goredis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []goredis.Cmder) error {
		if !slices.ContainsFunc(cmds, func(c goredis.Cmder) bool { return c.Name() == "publish" }) {
			return next(ctx, cmds)
		}
		h.pipelines.Add(1)
		if h.gate != nil {
			h.gate.Hold()
		}
		return next(ctx, cmds)
	}
}

// Invalidate calls made while a broadcast is on its way share the next
// pipeline, and their repeats share pipelines too; every code still
// reaches the other instances and leaves the L2.
func TestInvalidationsShareAPipeline(t *testing.T) {
	ctx := context.Background()
	admin, prefix := testenv.Redis(t)
	hook := &pipelineHook{gate: testenv.NewGate()}
	clientA := namedClient(t, testenv.RandomName("inv-a-"))
	clientA.AddHook(hook)
	logA, logB := newInvalidationLog(), newInvalidationLog()
	a := NewInvalidator(clientA, prefix, logA.onCode, logA.onReset)
	a.redoDelay = 500 * time.Millisecond
	b := NewInvalidator(namedClient(t, testenv.RandomName("inv-b-")), prefix, logB.onCode, logB.onReset)
	t.Cleanup(func() { _ = a.Close(); _ = b.Close() })
	startInvalidator(t, b, admin, 1)

	const calls = 30
	codes := make([]string, calls)
	for i := range codes {
		codes[i] = fmt.Sprintf("c%d", i)
		if err := admin.Set(ctx, prefix+"url:"+codes[i], "cached", time.Minute).Err(); err != nil {
			t.Fatal(err)
		}
	}
	errs := make([]error, calls)
	invalidate := func(i int) func() { return func() { errs[i] = a.Invalidate(ctx, codes[i]) } }
	var rest []func()
	for i := 1; i < calls; i++ {
		rest = append(rest, invalidate(i))
	}
	hook.gate.QueueBehind(t, a.sends.Waiting, invalidate(0), rest...)
	for i, err := range errs {
		if err != nil {
			t.Errorf("Invalidate(%s): %v", codes[i], err)
		}
	}
	if n := hook.pipelines.Load(); n != 2 {
		t.Errorf("%d pipelines for %d calls, want 2: the first call's, then one for the %d that waited", n, calls, calls-1)
	}
	got := map[string]bool{}
	for len(got) < calls {
		select {
		case code := <-logB.codes:
			got[code] = true
		case <-time.After(2 * time.Second):
			t.Fatalf("the other instance received %d of %d codes", len(got), calls)
		}
	}
	for _, code := range codes {
		if holdsTarget(t, admin, prefix+"url:"+code) {
			t.Errorf("url:%s still in the L2", code)
		}
		// A stale write that the repeat must catch.
		if err := admin.Set(ctx, prefix+"url:"+code, "stale", time.Minute).Err(); err != nil {
			t.Fatal(err)
		}
	}
	pollUntil(t, "the repeats", func() bool {
		for _, code := range codes {
			if holdsTarget(t, admin, prefix+"url:"+code) {
				return false
			}
		}
		return true
	})
	// The repeats fall due within milliseconds of each other; one
	// pipeline each would be 30.
	if n := hook.pipelines.Load() - 2; n > 3 {
		t.Errorf("%d pipelines for the repeats of %d calls, want at most 3", n, calls)
	}
}

// Repeats that fall due a few milliseconds apart (the callers of one
// shared pipeline return one after another, more slowly on a busy
// machine) are sent in one pipeline.
func TestRepeatsDueTogetherShareAPipeline(t *testing.T) {
	_, prefix := testenv.Redis(t)
	hook := &pipelineHook{}
	client := namedClient(t, testenv.RandomName("inv-a-"))
	client.AddHook(hook)
	logA := newInvalidationLog()
	a := NewInvalidator(client, prefix, logA.onCode, logA.onReset)
	a.redoDelay = 100 * time.Millisecond
	t.Cleanup(func() { _ = a.Close() })

	a.scheduleRedo([]string{"first"})
	time.Sleep(redoSlack / 2)
	a.scheduleRedo([]string{"second"})
	pollUntil(t, "the repeats", func() bool {
		a.mu.Lock()
		defer a.mu.Unlock()
		return !a.redoRunning
	})
	if n := hook.pipelines.Load(); n != 1 {
		t.Errorf("%d pipelines for two repeats due %v apart, want 1", n, redoSlack/2)
	}
	logA.expect(t, "first")
	logA.expect(t, "second")
}

// After its connection is killed the subscriber resubscribes, drops its
// whole L1 (it may have missed messages) and receives again.
func TestInvalidatorReconnectResets(t *testing.T) {
	ctx := context.Background()
	admin, prefix := testenv.Redis(t)
	nameB := testenv.RandomName("inv-b-")
	logA, logB := newInvalidationLog(), newInvalidationLog()
	a := NewInvalidator(namedClient(t, testenv.RandomName("inv-a-")), prefix, logA.onCode, logA.onReset)
	b := NewInvalidator(namedClient(t, nameB), prefix, logB.onCode, logB.onReset)
	var lost atomic.Int32
	b.OnLost(func() {
		if logB.resets.Load() != 0 {
			t.Error("OnLost's function called after the reset")
		}
		lost.Add(1)
	})
	t.Cleanup(func() { _ = a.Close(); _ = b.Close() })
	startInvalidator(t, b, admin, 1)

	ids := pubsubClientIDs(t, admin, nameB)
	if len(ids) != 1 {
		t.Fatalf("found %d pub/sub connections named %s, want 1", len(ids), nameB)
	}
	if err := admin.Do(ctx, "CLIENT", "KILL", "ID", ids[0]).Err(); err != nil {
		t.Fatalf("CLIENT KILL ID %s: %v", ids[0], err)
	}
	pollUntil(t, "onReset", func() bool { return logB.resets.Load() == 1 })
	pollUntil(t, "the new subscription", func() bool {
		newIDs := pubsubClientIDs(t, admin, nameB)
		return len(newIDs) == 1 && newIDs[0] != ids[0]
	})

	if err := a.Invalidate(ctx, "after"); err != nil {
		t.Fatal(err)
	}
	logB.expect(t, "after")
	if n := logB.resets.Load(); n != 1 {
		t.Fatalf("onReset called %d times, want 1", n)
	}
	if n := lost.Load(); n != 1 {
		t.Fatalf("OnLost's function called %d times, want 1", n)
	}
}

// The repeated invalidation removes a stale value written after the first
// DEL (a slow L2 write of the old target) and tells the instances again.
func TestInvalidatorRepeats(t *testing.T) {
	ctx := context.Background()
	admin, prefix := testenv.Redis(t)
	logA, logB := newInvalidationLog(), newInvalidationLog()
	a := NewInvalidator(namedClient(t, testenv.RandomName("inv-a-")), prefix, logA.onCode, logA.onReset)
	a.redoDelay = 300 * time.Millisecond
	b := NewInvalidator(namedClient(t, testenv.RandomName("inv-b-")), prefix, logB.onCode, logB.onReset)
	t.Cleanup(func() { _ = a.Close(); _ = b.Close() })
	startInvalidator(t, b, admin, 1)

	key := prefix + "url:abc"
	if err := a.Invalidate(ctx, "abc"); err != nil {
		t.Fatal(err)
	}
	logB.expect(t, "abc")
	if err := admin.Set(ctx, key, "stale", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	logB.expect(t, "abc")
	if holdsTarget(t, admin, key) {
		t.Fatal("the stale value survived the repeated invalidation")
	}
}

// Close does the pending repetitions at once instead of dropping them.
func TestInvalidatorCloseRunsPendingRepeats(t *testing.T) {
	ctx := context.Background()
	admin, prefix := testenv.Redis(t)
	logA := newInvalidationLog()
	a := NewInvalidator(namedClient(t, testenv.RandomName("inv-a-")), prefix, logA.onCode, logA.onReset)
	a.redoDelay = time.Hour
	if err := a.Invalidate(ctx, "abc"); err != nil {
		t.Fatal(err)
	}
	<-logA.codes
	if err := admin.Set(ctx, prefix+"url:abc", "stale", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	closed := make(chan struct{})
	go func() {
		_ = a.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(2 * time.Second):
		t.Fatal("Close waited for the repeat delay")
	}
	if holdsTarget(t, admin, prefix+"url:abc") {
		t.Fatal("Close dropped the pending repeated invalidation")
	}
	if len(logA.codes) != 1 {
		t.Fatalf("local onCode called %d times by the repeat, want 1", len(logA.codes))
	}
}

// With Redis down, Invalidate still drops the local L1 and says it failed,
// and Run keeps retrying without spinning until its context ends.
func TestInvalidatorRedisDown(t *testing.T) {
	var dials atomic.Int32
	client := goredis.NewClient(&goredis.Options{
		Addr: "127.0.0.1:1", MaxRetries: -1,
		Dialer: func(ctx context.Context, network, addr string) (net.Conn, error) {
			dials.Add(1)
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
	})
	t.Cleanup(func() { _ = client.Close() })
	log := newInvalidationLog()
	inv := NewInvalidator(client, "down:", log.onCode, log.onReset)
	t.Cleanup(func() { _ = inv.Close() })

	if err := inv.Invalidate(context.Background(), "abc"); err == nil {
		t.Fatal("Invalidate with Redis down returned no error")
	}
	if len(log.codes) != 1 {
		t.Fatal("Invalidate with Redis down did not drop the local L1")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	start := time.Now()
	inv.Run(ctx)
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Fatalf("Run returned %v after its context ended", elapsed-700*time.Millisecond)
	}
	if n := log.resets.Load(); n != 0 {
		t.Fatalf("onReset called %d times without a subscription", n)
	}
	// Backoff: a handful of attempts, not a busy loop.
	if n := dials.Load(); n == 0 || n > 50 {
		t.Fatalf("%d dials while Redis was down for 700ms", n)
	}
	t.Logf("%d dials", dials.Load())
}

// Invalidate returns only once every instance has dropped the codes (the
// barrier): an instance slow to act on the message holds the call until
// it has, so no instance answers from the old link after the change was
// answered. One that never answers holds it for barrierWait at most.
func TestInvalidateWaitsForEveryInstance(t *testing.T) {
	ctx := context.Background()
	admin, prefix := testenv.Redis(t)
	var dropped atomic.Value
	dropped.Store("")
	slowDrop := func(code string) {
		time.Sleep(50 * time.Millisecond)
		dropped.Store(code)
	}
	a := NewInvalidator(namedClient(t, testenv.RandomName("inv-a-")), prefix, func(string) {}, func() {})
	b := NewInvalidator(namedClient(t, testenv.RandomName("inv-b-")), prefix, slowDrop, func() {})
	t.Cleanup(func() { _ = a.Close(); _ = b.Close() })
	// Alone, an instance waits for nobody: it has dropped the code itself.
	startInvalidator(t, a, admin, 1)
	start := time.Now()
	if err := a.Invalidate(ctx, "w0"); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took >= barrierWait {
		t.Errorf("a lone instance's Invalidate took %s: it waited for its own acknowledgement", took)
	}
	startInvalidator(t, b, admin, 2)
	for _, code := range []string{"w1", "w2", "w3"} {
		start := time.Now()
		if err := a.Invalidate(ctx, code); err != nil {
			t.Fatal(err)
		}
		if got := dropped.Load(); got != code {
			t.Fatalf("Invalidate(%s) returned before the other instance dropped it (last dropped %q)", code, got)
		}
		if took := time.Since(start); took >= barrierWait {
			t.Errorf("Invalidate(%s) took %s: the acknowledgements did not end the wait", code, took)
		}
	}

	// An instance that is subscribed but never acknowledges (here a bare
	// subscriber, as an older version would be) holds a call for
	// barrierWait, no longer.
	mute := admin.Subscribe(ctx, a.channel)
	t.Cleanup(func() { _ = mute.Close() })
	if _, err := mute.Receive(ctx); err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	if err := a.Invalidate(ctx, "w4"); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < barrierWait || took > barrierWait+time.Second {
		t.Errorf("with a receiver that never acknowledges, Invalidate took %s, want about %s", took, barrierWait)
	}
}

// TestInvalidateOverRedisCluster: in a Redis Cluster, where go-redis sends
// a PUBLISH (a command without a key) to any master, Invalidate still
// returns only once the other instance has dropped the code, every time:
// the codes, the barrier and its acknowledgements go to the node the
// listeners subscribe on, in order, and PUBLISH counts them there. (Sent
// to any master, the barrier overtook the code or counted nobody.) And the
// health check sees a cluster with a node down as down, although the other
// nodes still answer PING.
func TestInvalidateOverRedisCluster(t *testing.T) {
	ctx := context.Background()
	cluster := testenv.StartRedisCluster(t)
	connect := func() goredis.UniversalClient {
		t.Helper()
		c, err := Connect(ctx, cluster.URL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Close() })
		return c
	}
	// One node's address read as one server: refused at start, not a
	// third of the keys failing with MOVED later.
	node, _, _ := strings.Cut(strings.TrimPrefix(cluster.URL, "redis://"), "?")
	if c, err := Connect(ctx, "redis://"+node); !errors.Is(err, ErrClusterNode) || !strings.Contains(err.Error(), "cluster=true") {
		if c != nil {
			_ = c.Close()
		}
		t.Fatalf("Connect to the cluster node %s as one server: %v, want a refusal naming cluster=true", node, err)
	}
	const prefix = "test:"
	var dropped atomic.Value
	dropped.Store("")
	slowDrop := func(code string) {
		time.Sleep(20 * time.Millisecond)
		dropped.Store(code)
	}
	a := NewInvalidator(connect(), prefix, func(string) {}, func() {})
	b := NewInvalidator(connect(), prefix, slowDrop, func() {})
	t.Cleanup(func() { _ = a.Close(); _ = b.Close() })
	admin, err := connect().(*goredis.ClusterClient).MasterForKey(ctx, a.channel)
	if err != nil {
		t.Fatal(err)
	}
	startInvalidator(t, a, admin, 1)
	startInvalidator(t, b, admin, 2)
	for i := range 12 {
		code := "c" + strconv.Itoa(i)
		if err := a.Invalidate(ctx, code); err != nil {
			t.Fatal(err)
		}
		if got := dropped.Load(); got != code {
			t.Fatalf("Invalidate(%s) returned before the other instance dropped it (last dropped %q)", code, got)
		}
	}

	// A node down: it answers no more, the others still answer PING, and
	// the health check says the cache is down all the same.
	client := connect()
	if err := Healthy(ctx, client); err != nil {
		t.Fatalf("Healthy with every node up: %v", err)
	}
	cluster.KillNode(1)
	deadline := time.Now().Add(10 * time.Second)
	for Healthy(ctx, client) == nil {
		if time.Now().After(deadline) {
			t.Fatal("Healthy stayed nil for 10 s with a node of the cluster down")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestInvalidateFollowsAFailover: after the master of the invalidation
// channel's slot dies and its replica takes over, Invalidate again returns
// only once the other instance has dropped the code: the listeners follow
// the channel to the new master, where the codes are published and PUBLISH
// counts them. (They stayed on whichever node they had reached while the
// master was down, where they heard nothing; a change was answered before
// the other instance had it, until the instances restarted.) The health
// check says the cache is up again too.
func TestInvalidateFollowsAFailover(t *testing.T) {
	ctx := context.Background()
	cluster := testenv.StartRedisClusterWithReplicas(t)
	connect := func() *goredis.ClusterClient {
		t.Helper()
		c, err := Connect(ctx, cluster.URL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Close() })
		return c.(*goredis.ClusterClient)
	}
	const prefix = "failover:"
	var dropped atomic.Value
	dropped.Store("")
	a := NewInvalidator(connect(), prefix, func(string) {}, func() {})
	b := NewInvalidator(connect(), prefix, func(code string) { dropped.Store(code) }, func() {})
	a.SetLogger(slog.New(slog.DiscardHandler))
	b.SetLogger(slog.New(slog.DiscardHandler))
	t.Cleanup(func() { _ = a.Close(); _ = b.Close() })
	admin, err := connect().MasterForKey(ctx, a.channel)
	if err != nil {
		t.Fatal(err)
	}
	startInvalidator(t, a, admin, 1)
	startInvalidator(t, b, admin, 2)
	if err := a.Invalidate(ctx, "before"); err != nil || dropped.Load() != "before" {
		t.Fatalf("before the failover: %v, other instance dropped %q", err, dropped.Load())
	}

	cluster.KillMasterOf(t, a.channel)
	// A few seconds to notice the new master; then every change holds on
	// the other instance when it returns.
	deadline := time.Now().Add(15 * time.Second)
	for i, streak := 0, 0; streak < 20; i++ {
		if time.Now().After(deadline) {
			t.Fatalf("15 s after the failover, the last %d of %d changes held on the other instance when they returned", streak, i)
		}
		code := "after" + strconv.Itoa(i)
		if err := a.Invalidate(ctx, code); err == nil && dropped.Load() == code {
			streak++
		} else {
			streak = 0
			time.Sleep(100 * time.Millisecond)
		}
	}
	client := connect()
	pollUntil(t, "the health check after the failover", func() bool { return Healthy(ctx, client) == nil })

	// A replica that hangs leaves every slot served: the check says so
	// every time (it asked a node for the cluster's slots, sometimes the
	// frozen one, and failed then).
	thaw := cluster.FreezeReplica(t)
	for i := range 20 {
		hctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		err := Healthy(hctx, client)
		cancel()
		if err != nil {
			t.Fatalf("check %d with a replica frozen: %v", i, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	thaw()
}

// breakableConn fails every read and write while broken is set, as a
// Redis that stalls does for a client that gives up waiting.
type breakableConn struct {
	net.Conn
	broken *atomic.Bool
}

var errBroken = fmt.Errorf("the test broke the connection")

func (c breakableConn) Read(b []byte) (int, error) {
	if c.broken.Load() {
		return 0, errBroken
	}
	return c.Conn.Read(b)
}

func (c breakableConn) Write(b []byte) (int, error) {
	if c.broken.Load() {
		return 0, errBroken
	}
	return c.Conn.Write(b)
}

// breakableClient is a client of TEST_REDIS_URL whose connections fail
// while broken is set.
func breakableClient(t *testing.T, broken *atomic.Bool) goredis.UniversalClient {
	t.Helper()
	opts, err := goredis.ParseURL(testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	opts.MaxRetries = -1
	opts.DialerRetries, opts.DialerRetryTimeout = 1, time.Millisecond // a refused dial fails at once
	opts.Dialer = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if broken.Load() {
			return nil, errBroken
		}
		var d net.Dialer
		c, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return breakableConn{Conn: c, broken: broken}, nil
	}
	client := goredis.NewClient(opts)
	t.Cleanup(func() { _ = client.Close() })
	return client
}

// An invalidation that Redis did not take while it was away is repeated
// until it does: an instance that stayed subscribed (Redis stalled, its
// connection kept) hears of it once Redis is back, however long that
// took. Before, one repeat was tried and the code dropped, and the other
// instance's code filter called a new code unknown for good.
func TestInvalidatorRepeatsUntilRedisTakesIt(t *testing.T) {
	ctx := context.Background()
	admin, prefix := testenv.Redis(t)
	var broken atomic.Bool
	logA, logB := newInvalidationLog(), newInvalidationLog()
	a := NewInvalidator(breakableClient(t, &broken), prefix, logA.onCode, logA.onReset)
	a.redoDelay = 100 * time.Millisecond
	logs := &testenv.Buffer{}
	a.SetLogger(slog.New(slog.NewTextHandler(logs, nil)))
	b := NewInvalidator(namedClient(t, testenv.RandomName("inv-b-")), prefix, logB.onCode, logB.onReset)
	t.Cleanup(func() { _ = a.Close(); _ = b.Close() })
	startInvalidator(t, b, admin, 1)

	broken.Store(true)
	if err := a.Invalidate(ctx, "new1"); err == nil {
		t.Fatal("Invalidate succeeded through a broken connection")
	}
	pollUntil(t, "a repeat to fail", func() bool {
		a.mu.Lock()
		defer a.mu.Unlock()
		return a.failing
	})
	time.Sleep(3 * a.redoDelay) // more repeats fail meanwhile
	select {
	case code := <-logB.codes:
		t.Fatalf("b heard %q while a could not reach Redis", code)
	default:
	}
	broken.Store(false)
	logB.expect(t, "new1")
	if n := logB.resets.Load(); n != 0 {
		t.Errorf("b reset %d times; its subscription never broke", n)
	}
	// One line for the outage, one for its end, however many repeats.
	pollUntil(t, "the line saying they went out", func() bool { return strings.Contains(logs.String(), "delivered again") })
	if n := strings.Count(logs.String(), "not delivered"); n != 1 {
		t.Errorf("%d lines about the failed repeats, want 1:\n%s", n, logs)
	}
}

// Past maxRetryCodes waiting, the codes give way to one reset: every
// other instance drops its whole L1 and reloads its code filter.
func TestInvalidatorResetsPastTheRetryBound(t *testing.T) {
	ctx := context.Background()
	admin, prefix := testenv.Redis(t)
	var broken atomic.Bool
	var heardB atomic.Int32
	logA, logB := newInvalidationLog(), newInvalidationLog()
	a := NewInvalidator(breakableClient(t, &broken), prefix, func(string) {}, logA.onReset)
	a.SetLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	a.redoDelay = 100 * time.Millisecond
	b := NewInvalidator(namedClient(t, testenv.RandomName("inv-b-")), prefix, func(string) { heardB.Add(1) }, logB.onReset)
	t.Cleanup(func() { _ = a.Close(); _ = b.Close() })
	startInvalidator(t, b, admin, 1)

	broken.Store(true)
	many := make([]string, maxRetryCodes+1)
	for i := range many {
		many[i] = "c" + strconv.Itoa(i)
	}
	_ = a.Invalidate(ctx, many...)
	// The repeats go out in chunks; the chunks that fail once the reset is
	// queued are covered by it and dropped.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		a.mu.Lock()
		done := a.resetDue && a.queued == 1
		a.mu.Unlock()
		if done {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting for the reset in place of the codes")
		}
	}
	broken.Store(false)
	pollUntil(t, "b's reset", func() bool { return logB.resets.Load() == 1 })
	if n := heardB.Load(); n != 0 {
		t.Errorf("b heard %d codes; the reset stood for them", n)
	}
	if n := logA.resets.Load(); n != 0 {
		t.Errorf("a reset its own L1 %d times; it dropped each code already", n)
	}
	pollUntil(t, "a's queue to empty", func() bool {
		a.mu.Lock()
		defer a.mu.Unlock()
		return a.queued == 0 && !a.resetDue
	})
}

// A lookup that read the old target before a change, and fills the L2
// after the change's invalidation, must not put the old target back: the
// invalidation's tombstone refuses the fill (every instance's L1 would
// take the old target from the L2 until the repeat). A lookup meanwhile
// reads the tombstone as a miss. With either client of the fill.
func TestInvalidationRefusesAFillInFlight(t *testing.T) {
	for _, viaPipeline := range []bool{false, true} {
		t.Run(fmt.Sprintf("pipelined=%v", viaPipeline), func(t *testing.T) {
			ctx := context.Background()
			client, prefix := testenv.Redis(t)
			next := newCountingResolver(map[string]shortener.Target{"abc": exampleTarget})
			next.delay = 300 * time.Millisecond
			opts := LinkCacheOptions{Prefix: prefix}
			if viaPipeline {
				opts.Pipelined = pipelined(t)
			}
			c := NewLinkCache(next, client, opts)
			logA := newInvalidationLog()
			inv := NewInvalidator(client, prefix, logA.onCode, logA.onReset)
			inv.redoDelay = time.Hour
			t.Cleanup(func() { _ = inv.Close() })

			done := make(chan error, 1)
			go func() { _, err := c.Resolve(ctx, "abc"); done <- err }()
			time.Sleep(100 * time.Millisecond) // the lookup is reading SQL
			if err := inv.Invalidate(ctx, "abc"); err != nil {
				t.Fatal(err)
			}
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			_ = c.Close() // waits for the fill
			if holdsTarget(t, client, prefix+"url:abc") {
				t.Fatal("a fill that began before the invalidation put its target into the L2")
			}
			next.delay = 0
			c2 := NewLinkCache(next, client, opts)
			if got, err := c2.Resolve(ctx, "abc"); err != nil || !got.Found || next.callsOf("abc") != 2 {
				t.Fatalf("Resolve over the tombstone = %+v, %v with %d lookups below; want the target from below", got, err, next.callsOf("abc"))
			}
			_ = c2.Close()
		})
	}
}
