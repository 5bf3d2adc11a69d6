package redis

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/redis/rueidis"

	"github.com/shortener-dev/shortener"
)

var _ shortener.Resolver = (*LinkCache)(nil)

// Timing of L2 writes, shared with the Invalidator. A miss reads SQL and
// then fills Redis in the background; an update committed in between is
// invalidated possibly before that fill lands, which would put the old
// target back for a whole TTL, and every instance's L1 would take it from
// there. So an invalidation leaves a tombstone in url:{code} for
// tombstoneTTL, which a fill never replaces (fillScript), and a fill is
// dropped once maxWriteDelay has passed since its lookup began: every fill
// that was not dropped lands within maxWriteDelay + writeTimeout of its
// lookup, while the tombstone of a change made after that lookup began is
// still there. The Invalidator also repeats every invalidation after
// reinvalidateDelay, for an instance that missed the first.
const (
	maxWriteDelay     = time.Second
	writeTimeout      = time.Second
	tombstoneTTL      = maxWriteDelay + writeTimeout + time.Second
	reinvalidateDelay = 3 * time.Second
)

// tombstone is the value an invalidation leaves in url:{code}: a miss for
// a lookup, and not to be replaced by a fill. No target encodes to it
// (version 0 is no format).
const tombstone = "\x00\x00"

// fillScript writes a target unless an invalidation's tombstone holds the
// key: KEYS[1] url:{code}, ARGV the value, its lifetime in ms, the
// tombstone.
const fillScript = `if redis.call('GET', KEYS[1]) == ARGV[3] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`

var (
	goredisFill = goredis.NewScript(fillScript)
	rueidisFill = rueidis.NewLuaScript(fillScript)
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
	// op is "get", "decode", "set", "hot" or "hot_expire"; ctx is the
	// request's that met the failure (its ID for the log), or the
	// background's. It may be called from any goroutine. Nil ignores them.
	OnError func(ctx context.Context, op string, err error)
	// Clock measures how long a code stays hot in process (SystemClock
	// when nil).
	Clock shortener.Clock
	// Pipelined, when set, is the client of the redirect path's GET and of
	// the SET that fills the cache after a miss (ConnectPipelined:
	// concurrent commands share one connection's writes); nil sends them
	// with the go-redis client like every other command.
	Pipelined rueidis.Client
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
		o.OnError = func(context.Context, string, error) {}
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
	get    func(ctx context.Context, key string) (value string, found bool, err error)
	set    func(ctx context.Context, key string, value []byte, ttl time.Duration) error
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
		get:        goredisGet(client),
		set:        goredisSet(client),
	}
	if opts.Pipelined != nil {
		c.get, c.set = rueidisGet(opts.Pipelined), rueidisSet(opts.Pipelined)
	}
	c.hot.init()
	return c
}

func (c *LinkCache) urlKey(code string) string { return urlKey(c.opts.Prefix, code) }

// urlKey is the Redis key of a link's L2 entry, which the invalidation
// replaces with a tombstone.
func urlKey(prefix, linkKey string) string { return prefix + "url:" + linkKey }

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
		c.storeAsync(ctx, code, t, started)
	}
	return t, nil
}

// lookup reads the cached target. redisOK is false when Redis failed.
func (c *LinkCache) lookup(ctx context.Context, code string) (t shortener.Target, hit, redisOK bool) {
	getCtx, cancel := context.WithTimeout(ctx, c.opts.GetTimeout)
	defer cancel()
	value, found, err := c.get(getCtx, c.urlKey(code))
	switch {
	case err == nil && (!found || value == tombstone):
		return t, false, true
	case err != nil:
		// A caller that gave up is not a Redis failure.
		if ctx.Err() == nil {
			c.opts.OnError(ctx, "get", err)
		}
		return t, false, false
	}
	t, err = decodeTarget(value)
	if err != nil {
		// Overwritten by the write that follows the miss. Another
		// version's entry is expected during a rolling deploy.
		if !errors.Is(err, errOtherFormat) {
			c.opts.OnError(ctx, "decode", fmt.Errorf("url:%s: %w", code, err))
		}
		return shortener.Target{}, false, true
	}
	return t, true, true
}

// goredisGet and rueidisGet read a key with either client; found is false
// when the key does not exist.
func goredisGet(client goredis.UniversalClient) func(context.Context, string) (string, bool, error) {
	return func(ctx context.Context, key string) (string, bool, error) {
		value, err := client.Get(ctx, key).Result()
		if errors.Is(err, goredis.Nil) {
			return "", false, nil
		}
		return value, err == nil, err
	}
}

// goredisSet and rueidisSet fill a key with a lifetime with either client,
// unless it holds a tombstone (fillScript).
func goredisSet(client goredis.UniversalClient) func(context.Context, string, []byte, time.Duration) error {
	return func(ctx context.Context, key string, value []byte, ttl time.Duration) error {
		return goredisFill.Run(ctx, client, []string{key}, value, ttl.Milliseconds(), tombstone).Err()
	}
}

func rueidisSet(client rueidis.Client) func(context.Context, string, []byte, time.Duration) error {
	return func(ctx context.Context, key string, value []byte, ttl time.Duration) error {
		return rueidisFill.Exec(ctx, client, []string{key},
			[]string{rueidis.BinaryString(value), strconv.FormatInt(ttl.Milliseconds(), 10), tombstone}).Error()
	}
}

func rueidisGet(client rueidis.Client) func(context.Context, string) (string, bool, error) {
	return func(ctx context.Context, key string) (string, bool, error) {
		value, err := client.Do(ctx, client.B().Get().Key(key).Build()).ToString()
		if rueidis.IsRedisNil(err) {
			return "", false, nil
		}
		return value, err == nil, err
	}
}

// storeAsync writes t in the background, or drops it when too many writes
// are in flight or the cache is closed: a redirect never waits for it.
// reqCtx is the request's, for the log of a failure only.
func (c *LinkCache) storeAsync(reqCtx context.Context, code string, t shortener.Target, started time.Time) {
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
		if err := c.set(ctx, c.urlKey(code), encodeTarget(t), c.ttlFor(code)); err != nil {
			c.opts.OnError(reqCtx, "set", err)
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
