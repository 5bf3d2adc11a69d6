package redis

import (
	"context"
	"hash/maphash"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// Hit counts a click on code in process; Run sends the counts to Redis. It
// is cheap enough for every redirect (a sharded map, no network). Call it
// only for codes that resolved, so that unknown codes cannot grow the map.
func (c *LinkCache) Hit(code string) { c.hot.hit(code) }

// Run sends the click counts every HotFlushInterval until ctx ends, then
// sends the last ones.
func (c *LinkCache) Run(ctx context.Context) {
	tick := time.NewTicker(c.opts.HotFlushInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.Background(), writeTimeout)
			c.flushHits(final)
			cancel()
			return
		case <-tick.C:
			c.flushHits(ctx)
			c.hot.forgetCold(c.opts.Clock())
		}
	}
}

// hotCountScript adds ARGV[1] to the counter and starts its window of
// ARGV[2] ms when it has none: the window is fixed, not renewed by every
// flush, so that the threshold counts "clicks within an hour". A script keeps
// it right on any Redis version (EXPIRE NX needs 7.0) and is single-key, so
// it runs on Cluster.
var hotCountScript = goredis.NewScript(`
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then
	redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return n`)

// hotExpireScript lengthens the life of a cached target, and not of an
// invalidation's tombstone, which would keep the code out of the L2.
var hotExpireScript = goredis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[2] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[1])`)

// flushHits sends the counts in one pipeline and doubles the url key TTL of
// the codes that became hot. Counts lost to a Redis failure are not retried:
// hot detection is an optimisation.
func (c *LinkCache) flushHits(ctx context.Context) {
	counts := c.hot.take()
	if len(counts) == 0 {
		return
	}
	totals := make(map[string]*goredis.Cmd, len(counts))
	_, err := c.client.Pipelined(ctx, func(p goredis.Pipeliner) error {
		for code, n := range counts {
			key := c.opts.Prefix + "hot:" + code
			totals[code] = hotCountScript.Eval(ctx, p, []string{key}, n, hotWindow.Milliseconds())
		}
		return nil
	})
	if err != nil {
		c.opts.OnError(ctx, "hot", err)
	}
	now := c.opts.Clock()
	var newlyHot []string
	for code, cmd := range totals {
		if total, err := cmd.Int64(); err == nil && total >= c.opts.HotThreshold && c.hot.markHot(code, now) {
			newlyHot = append(newlyHot, code)
		}
	}
	if len(newlyHot) == 0 {
		return
	}
	_, err = c.client.Pipelined(ctx, func(p goredis.Pipeliner) error {
		for _, code := range newlyHot {
			hotExpireScript.Eval(ctx, p, []string{c.urlKey(code)}, (2 * c.opts.TTL).Milliseconds(), tombstone)
		}
		return nil
	})
	if err != nil {
		c.opts.OnError(ctx, "hot_expire", err)
	}
}

const (
	// hotWindow is the window of the shared counter, and how long an
	// instance remembers a code as hot.
	hotWindow = time.Hour
	hitShards = 32
	// maxCodesPerShard bounds the memory of counts between two flushes.
	maxCodesPerShard = 4096
)

// hotCounter holds the clicks counted since the last flush, sharded to keep
// lock contention off the redirect path, and the codes known to be hot.
type hotCounter struct {
	seed   maphash.Seed
	shards [hitShards]hitShard

	mu    sync.Mutex
	until map[string]time.Time // hot code → end of its hot hour
}

type hitShard struct {
	mu     sync.Mutex
	counts map[string]int64
}

func (h *hotCounter) init() {
	h.seed = maphash.MakeSeed()
	for i := range h.shards {
		h.shards[i].counts = make(map[string]int64)
	}
	h.until = make(map[string]time.Time)
}

func (h *hotCounter) hit(code string) {
	s := &h.shards[maphash.String(h.seed, code)%hitShards]
	s.mu.Lock()
	if n, ok := s.counts[code]; ok || len(s.counts) < maxCodesPerShard {
		s.counts[code] = n + 1
	}
	s.mu.Unlock()
}

// take returns the counts and starts new ones.
func (h *hotCounter) take() map[string]int64 {
	all := make(map[string]int64)
	for i := range h.shards {
		s := &h.shards[i]
		s.mu.Lock()
		counts := s.counts
		if len(counts) == 0 {
			s.mu.Unlock()
			continue // keep the empty map rather than allocate another
		}
		s.counts = make(map[string]int64, len(counts))
		s.mu.Unlock()
		for code, n := range counts {
			all[code] = n
		}
	}
	return all
}

// markHot remembers code as hot for hotWindow and reports whether it was
// not hot before.
func (h *hotCounter) markHot(code string, now time.Time) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	until, ok := h.until[code]
	h.until[code] = now.Add(hotWindow)
	return !ok || !now.Before(until)
}

func (h *hotCounter) isHot(code string, now time.Time) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	until, ok := h.until[code]
	return ok && now.Before(until)
}

func (h *hotCounter) forgetCold(now time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for code, until := range h.until {
		if !now.Before(until) {
			delete(h.until, code)
		}
	}
}
