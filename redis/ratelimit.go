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
)

var _ shortener.RateLimiter = (*RateLimiter)(nil)

// allowScript checks and admits one event atomically, so that every instance
// sharing the Redis sees one log per key. Times are the Redis server's clock
// in microseconds: instances with skewed clocks still agree, and microsecond
// scores since 1970 (~2^51) are exact in the sorted set's doubles.
//
// KEYS[1] the key's sorted set: score = admission time, member = that time
// plus ARGV[3], a suffix unique to this call, so that two events in the same
// microsecond are two members.
// ARGV[1] limit, ARGV[2] window in µs.
//
// It returns {allowed (0/1), events in the window after this call,
// reset µs, retry-after µs}.
const allowScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
-- Stock Lua 5.1 turns numbers into strings with 14 significant digits (Redis
-- 7 widened it, older servers may not); µs scores need 16.
local function exact(x) return string.format('%.0f', x) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', exact(now - window))
local n = redis.call('ZCARD', KEYS[1])
local allowed = 0
local retry = 0
if n < limit then
  redis.call('ZADD', KEYS[1], exact(now), t[1] .. '.' .. t[2] .. '-' .. ARGV[3])
  redis.call('PEXPIRE', KEYS[1], exact(math.ceil(window / 1000)))
  n = n + 1
  allowed = 1
else
  -- One more is admitted once the event at index n-limit leaves (the oldest,
  -- unless the limit for this key shrank since the events were admitted).
  local e = redis.call('ZRANGE', KEYS[1], n - limit, n - limit, 'WITHSCORES')
  retry = tonumber(e[2]) + window - now
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local reset = tonumber(oldest[2]) + window - now
return {allowed, n, reset, retry}
`

// peekScript is allowScript without admitting: it drops the events that left
// the window and reports {allowed (0/1), events in the window, reset µs,
// retry-after µs}. KEYS and ARGV as allowScript's, without the member.
const peekScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local function exact(x) return string.format('%.0f', x) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', exact(now - window))
local n = redis.call('ZCARD', KEYS[1])
local allowed = 1
local retry = 0
if n >= limit then
  allowed = 0
  local e = redis.call('ZRANGE', KEYS[1], n - limit, n - limit, 'WITHSCORES')
  retry = tonumber(e[2]) + window - now
end
local reset = 0
if n > 0 then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  reset = tonumber(oldest[2]) + window - now
end
return {allowed, n, reset, retry}
`

// RateLimiter is a sliding-window log limiter shared by every instance that
// uses the same Redis and prefix. Each key is a sorted set of the admitted
// events' times under prefix + "ratelimit:{key}"; the hash tag keeps it on
// one Cluster slot, and it expires one window after its newest event.
type RateLimiter struct {
	client goredis.UniversalClient
	prefix string
	script *goredis.Script
	peek   *goredis.Script
	// instance and seq make each event's member unique across instances.
	instance string
	seq      atomic.Uint64
}

// NewRateLimiter returns a limiter that keeps its logs in client under keys
// starting with prefix.
func NewRateLimiter(client goredis.UniversalClient, prefix string) *RateLimiter {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // never fails (crypto/rand panics instead)
	return &RateLimiter{
		client:   client,
		prefix:   prefix,
		script:   goredis.NewScript(allowScript),
		peek:     goredis.NewScript(peekScript),
		instance: hex.EncodeToString(b),
	}
}

// Allow records an event for key and reports whether it is within limit; a
// refused event is not recorded. It returns an error for a limit that can
// admit nothing (Limit < 1 or Window <= 0) and when Redis fails; the caller
// decides whether to fail open.
func (l *RateLimiter) Allow(ctx context.Context, key string, limit shortener.RateLimit) (shortener.RateDecision, error) {
	member := l.instance + strconv.FormatUint(l.seq.Add(1), 36)
	return l.run(ctx, "allow", l.script, key, limit, member)
}

// Peek reports whether Allow would admit an event for key now, recording
// nothing.
func (l *RateLimiter) Peek(ctx context.Context, key string, limit shortener.RateLimit) (shortener.RateDecision, error) {
	return l.run(ctx, "peek", l.peek, key, limit)
}

// run runs script (allowScript or peekScript) for key and reads its answer.
func (l *RateLimiter) run(ctx context.Context, op string, script *goredis.Script, key string, limit shortener.RateLimit, args ...any) (shortener.RateDecision, error) {
	if limit.Limit < 1 || limit.Window <= 0 {
		return shortener.RateDecision{}, fmt.Errorf("redis ratelimit %s: invalid limit %d per %v", op, limit.Limit, limit.Window)
	}
	// Round a sub-microsecond remainder up so a tiny window is never zero.
	windowUS := (limit.Window + time.Microsecond - 1) / time.Microsecond
	res, err := script.Run(ctx, l.client,
		[]string{l.prefix + "ratelimit:{" + key + "}"},
		append([]any{limit.Limit, int64(windowUS)}, args...)...,
	).Int64Slice()
	if err != nil {
		return shortener.RateDecision{}, fmt.Errorf("redis ratelimit %s: %w", op, err)
	}
	if len(res) != 4 {
		return shortener.RateDecision{}, fmt.Errorf("redis ratelimit %s: script returned %d values, want 4", op, len(res))
	}
	d := shortener.RateDecision{
		Allowed:    res[0] == 1,
		Limit:      limit.Limit,
		Remaining:  max(limit.Limit-int(res[1]), 0),
		Reset:      time.Duration(res[2]) * time.Microsecond,
		RetryAfter: time.Duration(res[3]) * time.Microsecond,
	}
	// The window was rounded up to whole microseconds for the script.
	d.Reset, d.RetryAfter = min(d.Reset, limit.Window), min(d.RetryAfter, limit.Window)
	return d, nil
}
