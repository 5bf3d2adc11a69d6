package redis

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/testenv"
)

// scriptHook holds the first script command at its gate, and empties the
// server's script cache (admin) before the first pipeline, so that its
// scripts come back NOSCRIPT.
type scriptHook struct {
	admin     goredis.UniversalClient
	gate      *testenv.Gate
	flushed   atomic.Bool
	pipelines atomic.Int32
}

func (h *scriptHook) DialHook(next goredis.DialHook) goredis.DialHook { return next }

func (h *scriptHook) ProcessHook(next goredis.ProcessHook) goredis.ProcessHook {
	return func(ctx context.Context, cmd goredis.Cmder) error {
		if cmd.Name() == "evalsha" || cmd.Name() == "eval" {
			h.gate.Hold()
		}
		return next(ctx, cmd)
	}
}

func (h *scriptHook) ProcessPipelineHook(next goredis.ProcessPipelineHook) goredis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []goredis.Cmder) error {
		if slices.ContainsFunc(cmds, func(c goredis.Cmder) bool { return c.Name() == "evalsha" }) {
			h.pipelines.Add(1)
			if h.flushed.CompareAndSwap(false, true) {
				if err := h.admin.ScriptFlush(ctx).Err(); err != nil {
					return err
				}
			}
		}
		return next(ctx, cmds)
	}
}

// Allow calls made while a check is on its way are checked together: the
// calls of one key by one script run, in order, as that many calls one
// after the other would be (each admitted call its own Remaining, the
// refused ones a Retry-After), the keys in one pipeline; a script the
// server has forgotten is loaded again.
func TestRateLimiterGroupsConcurrentCalls(t *testing.T) {
	srv := testenv.StartRedisServer(t)
	opts, err := goredis.ParseURL(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	admin := goredis.NewClient(opts)
	client := goredis.NewClient(opts)
	t.Cleanup(func() { _ = admin.Close(); _ = client.Close() })
	hook := &scriptHook{admin: admin, gate: testenv.NewGate()}
	client.AddHook(hook)
	l := NewRateLimiter(client, "group:")
	limits := map[string]shortener.RateLimit{
		"a": {Limit: 20, Window: time.Minute},
		"b": {Limit: 10, Window: time.Minute},
	}
	keys := []string{"a"}
	for i := range 40 {
		keys = append(keys, []string{"a", "b"}[i%2])
	}
	decisions := make([]shortener.RateDecision, len(keys))
	errs := make([]error, len(keys))
	call := func(i int) func() {
		return func() { decisions[i], errs[i] = l.Allow(context.Background(), keys[i], limits[keys[i]]) }
	}
	var rest []func()
	for i := 1; i < len(keys); i++ {
		rest = append(rest, call(i))
	}
	hook.gate.QueueBehind(t, l.allows.Waiting, call(0), rest...)

	if n := hook.pipelines.Load(); n != 1 {
		t.Errorf("%d pipelines, want 1 for the two keys of the waiting calls", n)
	}
	for key, limit := range limits {
		admitted, refused := map[int]int{}, 0
		for i, d := range decisions {
			switch {
			case keys[i] != key:
			case errs[i] != nil:
				t.Errorf("call %d (%s): %v", i, key, errs[i])
			case d.Allowed:
				admitted[d.Remaining]++
			case d.Remaining != 0 || d.RetryAfter <= 0 || d.RetryAfter > limit.Window:
				t.Errorf("call %d (%s) refused with %+v, want Remaining 0 and a Retry-After within the window", i, key, d)
			default:
				refused++
			}
		}
		calls := 21
		if key == "b" {
			calls = 20
		}
		if len(admitted) != limit.Limit || refused != calls-limit.Limit {
			t.Errorf("key %s: admitted with Remaining %v, %d refused; want each of 0..%d once and %d refused",
				key, admitted, refused, limit.Limit-1, calls-limit.Limit)
		}
		for r := range limit.Limit {
			if admitted[r] != 1 {
				t.Errorf("key %s: Remaining %d seen %d times, want once", key, r, admitted[r])
			}
		}
		if n, err := admin.ZCard(context.Background(), "group:ratelimit:{"+key+"}").Result(); err != nil || n != int64(limit.Limit) {
			t.Errorf("key %s: %d events logged (%v), want the %d admitted", key, n, err, limit.Limit)
		}
	}
}
