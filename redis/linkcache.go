package redis

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/shortener-dev/shortener"
)

var _ shortener.Resolver = (*LinkCache)(nil)

// Timing of L2 writes, shared with the Invalidator. A miss reads SQL and
// then writes Redis in the background; an update committed in between is
// invalidated (DEL) possibly before that write lands, which would put the old
// target back for a whole TTL. So a write is dropped once maxWriteDelay has
// passed since its lookup began, and the Invalidator repeats every
// invalidation after reinvalidateDelay, which is longer than any write that
// was not dropped can take (maxWriteDelay + writeTimeout, plus margin).
const (
	maxWriteDelay     = time.Second
	writeTimeout      = time.Second
	reinvalidateDelay = 3 * time.Second
)

// Defaults of LinkCacheOptions.
const (
	DefaultLinkTTL          = time.Hour
	DefaultHotThreshold     = 100
	DefaultHotFlushInterval = 5 * time.Second
	DefaultGetTimeout       = 250 * time.Millisecond
	DefaultMaxPendingWrites = 256
)

// LinkCacheOptions configures a LinkCache. Zero values take the defaults.
type LinkCacheOptions struct {
	// Prefix is put before every key (url:{code}, hot:{code}).
	Prefix string
	// TTL is the lifetime of a cached target; hot codes get twice as long.
	TTL time.Duration
	// HotThreshold is the number of clicks within an hour, counted over all
	// instances, that makes a code hot.
	HotThreshold int64
	// HotFlushInterval is how often the in-process click counts are sent.
	HotFlushInterval time.Duration
	// GetTimeout bounds the Redis GET of a lookup, so that a stalled Redis
	// delays a redirect by at most this much before SQL answers it. It
	// applies to socket I/O only with a client whose ContextTimeoutEnabled is
	// set, as Connect's are.
	GetTimeout time.Duration
	// MaxPendingWrites bounds the background writes in flight; a write
	// beyond it is dropped (the next miss of the code tries again).
	MaxPendingWrites int
	// OnError is told of Redis failures that the LinkCache works around:
	// op is "get", "decode", "set", "hot" or "hot_expire". It may be called
	// from any goroutine. Nil ignores them.
	OnError func(op string, err error)
	// Clock measures how long a code stays hot in process (SystemClock
	// when nil).
	Clock shortener.Clock
}

func (o *LinkCacheOptions) setDefaults() {
	if o.TTL <= 0 {
		o.TTL = DefaultLinkTTL
	}
	if o.HotThreshold <= 0 {
		o.HotThreshold = DefaultHotThreshold
	}
	if o.HotFlushInterval <= 0 {
		o.HotFlushInterval = DefaultHotFlushInterval
	}
	if o.GetTimeout <= 0 {
		o.GetTimeout = DefaultGetTimeout
	}
	if o.MaxPendingWrites <= 0 {
		o.MaxPendingWrites = DefaultMaxPendingWrites
	}
	if o.OnError == nil {
		o.OnError = func(string, error) {}
	}
	if o.Clock == nil {
		o.Clock = shortener.SystemClock
	}
}

// LinkCache is the L2 Resolver: Redis url:{code} in front of next (the SQL
// store). It caches found targets only; negative caching is the L1's job, so
// that a flood of unknown codes cannot fill Redis. Redis failures never fail a
// lookup: they fall through to next and are reported to OnError.
type LinkCache struct {
	next   shortener.Resolver
	client goredis.UniversalClient
	opts   LinkCacheOptions

	writeSlots chan struct{} // one token per background write in flight
	writesMu   sync.RWMutex  // orders writes.Add against Close's Wait
	closed     bool
	writes     sync.WaitGroup

	hot hotCounter
}

// NewLinkCache returns the L2 layer over next. Call Run for the hot-link
// loop and Close at shutdown.
func NewLinkCache(next shortener.Resolver, client goredis.UniversalClient, opts LinkCacheOptions) *LinkCache {
	opts.setDefaults()
	c := &LinkCache{
		next:       next,
		client:     client,
		opts:       opts,
		writeSlots: make(chan struct{}, opts.MaxPendingWrites),
	}
	c.hot.init()
	return c
}

func (c *LinkCache) urlKey(code string) string { return c.opts.Prefix + "url:" + code }

// Resolve returns the target of code from Redis, or from next on a miss, in
// which case a found target is written to Redis without waiting for it.
func (c *LinkCache) Resolve(ctx context.Context, code string) (shortener.Target, error) {
	started := time.Now()
	t, hit, redisOK := c.lookup(ctx, code)
	if hit {
		return t, nil
	}
	t, err := c.next.Resolve(ctx, code)
	if err != nil || !t.Found {
		return t, err
	}
	// After a failed GET Redis is most likely down: a write would only
	// fail too, and report a second error for the same click.
	if redisOK {
		c.storeAsync(code, t, started)
	}
	return t, nil
}

// lookup reads the cached target. redisOK is false when Redis failed.
func (c *LinkCache) lookup(ctx context.Context, code string) (t shortener.Target, hit, redisOK bool) {
	getCtx, cancel := context.WithTimeout(ctx, c.opts.GetTimeout)
	defer cancel()
	b, err := c.client.Get(getCtx, c.urlKey(code)).Bytes()
	switch {
	case errors.Is(err, goredis.Nil):
		return t, false, true
	case err != nil:
		// A caller that gave up is not a Redis failure.
		if ctx.Err() == nil {
			c.opts.OnError("get", err)
		}
		return t, false, false
	}
	t, err = decodeTarget(b)
	if err != nil {
		// Overwritten by the write that follows the miss.
		c.opts.OnError("decode", fmt.Errorf("url:%s: %w", code, err))
		return t, false, true
	}
	return t, true, true
}

// storeAsync writes t in the background, or drops it when too many writes
// are in flight or the cache is closed: a redirect never waits for it.
func (c *LinkCache) storeAsync(code string, t shortener.Target, started time.Time) {
	select {
	case c.writeSlots <- struct{}{}:
	default:
		return
	}
	c.writesMu.RLock()
	if c.closed {
		c.writesMu.RUnlock()
		<-c.writeSlots
		return
	}
	c.writes.Add(1)
	c.writesMu.RUnlock()
	go func() {
		defer func() {
			<-c.writeSlots
			c.writes.Done()
		}()
		if time.Since(started) > maxWriteDelay {
			return // may predate an invalidation; see maxWriteDelay
		}
		ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
		defer cancel()
		if err := c.client.Set(ctx, c.urlKey(code), encodeTarget(t), c.ttlFor(code)).Err(); err != nil {
			c.opts.OnError("set", err)
		}
	}()
}

// ttlFor is the lifetime of a new url key: doubled for a hot code.
func (c *LinkCache) ttlFor(code string) time.Duration {
	if c.hot.isHot(code, c.opts.Clock()) {
		return 2 * c.opts.TTL
	}
	return c.opts.TTL
}

// Close waits for the background writes in flight; later misses are not
// written to Redis. It does not stop Run: cancel its context for that.
func (c *LinkCache) Close() error {
	c.writesMu.Lock()
	c.closed = true
	c.writesMu.Unlock()
	c.writes.Wait()
	return nil
}

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
		c.opts.OnError("hot", err)
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
			p.PExpire(ctx, c.urlKey(code), 2*c.opts.TTL)
		}
		return nil
	})
	if err != nil {
		c.opts.OnError("hot_expire", err)
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

// The value of url:{code}: a version byte, flags, the expiry (if any) as
// Unix seconds and nanoseconds, then the link ID and URL, each prefixed with
// its length. Compact and cheap to decode; an unknown version reads as a miss
// and is overwritten.
const (
	targetFormatV1 = 1
	flagActive     = 1 << 0
	flagExpires    = 1 << 1
)

func encodeTarget(t shortener.Target) []byte {
	b := make([]byte, 0, 2+3*binary.MaxVarintLen64+len(t.LinkID)+len(t.URL))
	var flags byte
	if t.Active {
		flags |= flagActive
	}
	if !t.ExpiresAt.IsZero() {
		flags |= flagExpires
	}
	b = append(b, targetFormatV1, flags)
	if !t.ExpiresAt.IsZero() {
		b = binary.AppendVarint(b, t.ExpiresAt.Unix())
		b = binary.AppendUvarint(b, uint64(t.ExpiresAt.Nanosecond()))
	}
	b = binary.AppendUvarint(b, uint64(len(t.LinkID)))
	b = append(b, t.LinkID...)
	b = binary.AppendUvarint(b, uint64(len(t.URL)))
	return append(b, t.URL...)
}

var errBadTarget = errors.New("malformed cached target")

func decodeTarget(b []byte) (shortener.Target, error) {
	if len(b) < 2 || b[0] != targetFormatV1 {
		return shortener.Target{}, errBadTarget
	}
	t := shortener.Target{Found: true, Active: b[1]&flagActive != 0}
	rest := b[2:]
	if b[1]&flagExpires != 0 {
		sec, n := binary.Varint(rest)
		if n <= 0 {
			return shortener.Target{}, errBadTarget
		}
		nsec, m := binary.Uvarint(rest[n:])
		if m <= 0 || nsec >= uint64(time.Second) {
			return shortener.Target{}, errBadTarget
		}
		t.ExpiresAt = time.Unix(sec, int64(nsec)).UTC()
		rest = rest[n+m:]
	}
	var ok bool
	if t.LinkID, rest, ok = readString(rest); !ok {
		return shortener.Target{}, errBadTarget
	}
	if t.URL, rest, ok = readString(rest); !ok || len(rest) != 0 {
		return shortener.Target{}, errBadTarget
	}
	return t, nil
}

// readString reads a length-prefixed string from b and returns what follows.
func readString(b []byte) (string, []byte, bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return "", nil, false
	}
	end := k + int(n)
	return string(b[k:end]), b[end:], true
}
