package redis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/groupcommit"
)

var _ shortener.RateLimiter = (*RateLimiter)(nil)

// allowScript checks and admits events atomically, so that every instance
// sharing the Redis sees one log per key. Times are the Redis server's clock
// in microseconds: instances with skewed clocks still agree, and microsecond
// scores since 1970 (~2^51) are exact in the sorted set's doubles.
//
// It takes ARGV[4] events in a row (the concurrent calls of one key, see
// RateLimiter): each is admitted while the window has room, the rest are
// refused, as that many calls one after the other would be.
//
// KEYS[1] the key's sorted set: score = admission time, member = that time
// plus ARGV[3], a suffix unique to this call, and the event's number, so
// that two events in the same microsecond are two members.
// ARGV[1] limit, ARGV[2] window in µs, ARGV[4] events.
//
// It returns {events in the window before the first, events admitted,
// reset µs, retry-after µs of a refused event}.
const allowScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local events = tonumber(ARGV[4])
-- Stock Lua 5.1 turns numbers into strings with 14 significant digits (Redis
-- 7 widened it, older servers may not); µs scores need 16.
local function exact(x) return string.format('%.0f', x) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', exact(now - window))
local n0 = redis.call('ZCARD', KEYS[1])
local admitted = 0
if n0 < limit then
  admitted = math.min(events, limit - n0)
  local args = {}
  for i = 1, admitted do
    args[#args + 1] = exact(now)
    args[#args + 1] = t[1] .. '.' .. t[2] .. '-' .. ARGV[3] .. '-' .. i
  end
  redis.call('ZADD', KEYS[1], unpack(args))
  redis.call('PEXPIRE', KEYS[1], exact(math.ceil(window / 1000)))
end
local n = n0 + admitted
local retry = 0
if admitted < events then
  -- One more is admitted once the event at index n-limit leaves (the oldest,
  -- unless the limit for this key shrank since the events were admitted).
  local e = redis.call('ZRANGE', KEYS[1], n - limit, n - limit, 'WITHSCORES')
  retry = tonumber(e[2]) + window - now
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local reset = tonumber(oldest[2]) + window - now
return {n0, admitted, reset, retry}
`

// maxAllowGroup is the most Allow calls one group serves.
const maxAllowGroup = 256

// allowTimeout bounds a group's scripts once no single caller does.
const allowTimeout = 3 * time.Second

// RateLimiter is a sliding-window log limiter shared by every instance that
// uses the same Redis and prefix. Each key is a sorted set of the admitted
// events' times under prefix + "ratelimit:{key}"; the hash tag keeps it on
// one Cluster slot, and it expires one window after its newest event.
//
// Concurrent Allow calls share the trip to Redis (internal/groupcommit):
// the calls that wait while a group is checked are checked next, those of
// one key by one script run that takes them in order, and the scripts of
// several keys in one pipeline (BENCHMARKS.md, "The rate limit's calls
// share a script run").
type RateLimiter struct {
	client goredis.UniversalClient
	prefix string
	script *goredis.Script
	allows *groupcommit.Queue[*pendingAllow]
	// instance and seq make each event's member unique across instances.
	instance string
	seq      atomic.Uint64
}

// pendingAllow is one Allow call.
type pendingAllow struct {
	ctx      context.Context
	key      string
	limit    shortener.RateLimit
	decision shortener.RateDecision
	err      error
}

// NewRateLimiter returns a limiter that keeps its logs in client under keys
// starting with prefix.
func NewRateLimiter(client goredis.UniversalClient, prefix string) *RateLimiter {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // never fails (crypto/rand panics instead)
	l := &RateLimiter{
		client:   client,
		prefix:   prefix,
		script:   goredis.NewScript(allowScript),
		instance: hex.EncodeToString(b),
	}
	l.allows = groupcommit.New(maxAllowGroup, l.allowGroup)
	return l
}

// Allow records an event for key and reports whether it is within limit; a
// refused event is not recorded. It returns an error for a limit that can
// admit nothing (Limit < 1 or Window <= 0) and when Redis fails; the caller
// decides whether to fail open.
func (l *RateLimiter) Allow(ctx context.Context, key string, limit shortener.RateLimit) (shortener.RateDecision, error) {
	if err := checkLimit("allow", limit); err != nil {
		return shortener.RateDecision{}, err
	}
	a := &pendingAllow{ctx: ctx, key: key, limit: limit}
	l.allows.Do(a)
	return a.decision, a.err
}

// allowGroup checks a group of Allow calls: one script run for the calls
// of each key and limit, in the order they came, all runs in one pipeline.
func (l *RateLimiter) allowGroup(group []*pendingAllow) {
	type run struct {
		calls []*pendingAllow
		cmd   *goredis.Cmd
	}
	type runKey struct {
		key   string
		limit shortener.RateLimit
	}
	var runs []*run
	byKey := map[runKey]*run{}
	var first context.Context
	for _, a := range group {
		// A caller who has gone is not counted, as the script would not be run.
		if a.err = a.ctx.Err(); a.err != nil {
			continue
		}
		if first == nil {
			first = a.ctx
		}
		k := runKey{a.key, a.limit}
		if byKey[k] == nil {
			byKey[k] = &run{}
			runs = append(runs, byKey[k])
		}
		byKey[k].calls = append(byKey[k].calls, a)
	}
	if first == nil {
		return
	}
	ctx, cancel := groupcommit.Context(first, allowTimeout)
	defer cancel()
	member := l.instance + strconv.FormatUint(l.seq.Add(1), 36)
	args := func(r *run) ([]string, []any) {
		a := r.calls[0]
		return []string{rateKey(l.prefix, a.key)},
			[]any{a.limit.Limit, windowMicros(a.limit), member, len(r.calls)}
	}
	if len(runs) == 1 {
		keys, argv := args(runs[0])
		runs[0].cmd = l.script.Run(ctx, l.client, keys, argv...)
	} else {
		// Errors are each command's; a script not yet loaded is run below.
		_, _ = l.client.Pipelined(ctx, func(p goredis.Pipeliner) error {
			for _, r := range runs {
				keys, argv := args(r)
				r.cmd = l.script.EvalSha(ctx, p, keys, argv...)
			}
			return nil
		})
		for _, r := range runs {
			if err := r.cmd.Err(); err != nil && goredis.HasErrorPrefix(err, "NOSCRIPT") {
				keys, argv := args(r)
				r.cmd = l.script.Run(ctx, l.client, keys, argv...)
			}
		}
	}
	for _, r := range runs {
		res, err := r.cmd.Int64Slice()
		if err == nil && len(res) != 4 {
			err = fmt.Errorf("script returned %d values, want 4", len(res))
		}
		for i, a := range r.calls {
			if err != nil {
				a.err = fmt.Errorf("redis ratelimit allow: %w", err)
				continue
			}
			n0, admitted := int(res[0]), int(res[1])
			d := shortener.RateDecision{Limit: a.limit.Limit, Reset: time.Duration(res[2]) * time.Microsecond}
			if i < admitted {
				d.Allowed, d.Remaining = true, max(a.limit.Limit-(n0+i+1), 0)
			} else {
				d.Remaining = max(a.limit.Limit-(n0+admitted), 0)
				d.RetryAfter = time.Duration(res[3]) * time.Microsecond
			}
			a.decision = clampToWindow(d, a.limit)
		}
	}
}

// Release removes the newest event of key (the highest score; members of
// one microsecond tie, and which of them goes makes no difference).
func (l *RateLimiter) Release(ctx context.Context, key string) error {
	if err := l.client.ZPopMax(ctx, rateKey(l.prefix, key)).Err(); err != nil {
		return fmt.Errorf("redis ratelimit release: %w", err)
	}
	return nil
}

// checkLimit refuses a limit that can admit nothing.
func checkLimit(op string, limit shortener.RateLimit) error {
	if limit.Limit < 1 || limit.Window <= 0 {
		return fmt.Errorf("redis ratelimit %s: invalid limit %d per %v", op, limit.Limit, limit.Window)
	}
	return nil
}

// windowMicros is the window for the scripts, in whole microseconds: a
// sub-microsecond remainder is rounded up, so a tiny window is never zero.
func windowMicros(limit shortener.RateLimit) int64 {
	return int64((limit.Window + time.Microsecond - 1) / time.Microsecond)
}

// clampToWindow undoes the scripts' rounding of the window to whole
// microseconds.
func clampToWindow(d shortener.RateDecision, limit shortener.RateLimit) shortener.RateDecision {
	d.Reset, d.RetryAfter = min(d.Reset, limit.Window), min(d.RetryAfter, limit.Window)
	return d
}

// rateKey is the Redis key of a bucket's sorted set; the hash tag keeps it
// on one node of a Redis Cluster.
func rateKey(prefix, bucket string) string { return prefix + "ratelimit:{" + bucket + "}" }
