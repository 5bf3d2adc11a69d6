package redis

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/testenv"
	"github.com/shortener-dev/shortener/ratelimittest"
)

func TestRateLimiterConformance(t *testing.T) {
	ratelimittest.Run(t, func(t *testing.T) (shortener.RateLimiter, ratelimittest.Advance) {
		client, prefix := testenv.Redis(t)
		// The script reads the Redis server's clock, so time moves by waiting.
		return NewRateLimiter(client, prefix), time.Sleep
	})
}

// Two instances, each with its own connection pool, share one limit: the
// check-and-admit is atomic on the server, not per client.
func TestRateLimiterSharedAcrossInstances(t *testing.T) {
	client, prefix := testenv.Redis(t)
	opts, err := goredis.ParseURL(testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	other := goredis.NewClient(opts)
	t.Cleanup(func() { _ = other.Close() })
	instances := []*RateLimiter{NewRateLimiter(client, prefix), NewRateLimiter(other, prefix)}
	rl := shortener.RateLimit{Limit: 20, Window: time.Minute}

	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		admitted [2]int
		seen     = make(map[int]int)
		errs     []error
	)
	start := make(chan struct{})
	for i := range 60 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			d, err := instances[i%2].Allow(context.Background(), "shared", rl)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
			} else if d.Allowed {
				admitted[i%2]++
				seen[d.Remaining]++
			}
		}()
	}
	close(start)
	wg.Wait()

	if len(errs) > 0 {
		t.Fatalf("%d calls failed, first: %v", len(errs), errs[0])
	}
	if total := admitted[0] + admitted[1]; total != 20 {
		t.Fatalf("admitted %d (%d + %d) of 60 calls across two instances, want exactly 20", total, admitted[0], admitted[1])
	}
	for r := range 20 {
		if seen[r] != 1 {
			t.Errorf("Remaining %d seen %d times, want once", r, seen[r])
		}
	}
}

// The log is one sorted set under prefix + "ratelimit:{key}" that expires a
// window after its newest event and holds admitted events only.
func TestRateLimiterKeyLayout(t *testing.T) {
	client, prefix := testenv.Redis(t)
	l := NewRateLimiter(client, prefix)
	ctx := context.Background()
	rl := shortener.RateLimit{Limit: 3, Window: time.Minute}
	for range 5 {
		if _, err := l.Allow(ctx, "user:42", rl); err != nil {
			t.Fatal(err)
		}
	}
	key := prefix + "ratelimit:{user:42}"
	if n, err := client.ZCard(ctx, key).Result(); err != nil || n != 3 {
		t.Errorf("ZCARD %s = %d, %v; want the 3 admitted events", key, n, err)
	}
	if ttl, err := client.PTTL(ctx, key).Result(); err != nil || ttl <= 0 || ttl > rl.Window {
		t.Errorf("PTTL %s = %v, %v; want in (0, %v]", key, ttl, err, rl.Window)
	}
	var keys []string
	iter := client.Scan(ctx, 0, prefix+"*", 100).Iterator()
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil || len(keys) != 1 || keys[0] != key {
		t.Errorf("keys under the prefix = %q, %v; want only %q", keys, err, key)
	}
}

// A Redis that is closed or unreachable is an error, never a decision: the
// HTTP layer decides whether to fail open.
func TestRateLimiterRedisDown(t *testing.T) {
	rl := shortener.RateLimit{Limit: 10, Window: time.Minute}

	closed := goredis.NewClient(&goredis.Options{Addr: "127.0.0.1:1"})
	_ = closed.Close()
	d, err := NewRateLimiter(closed, "test:").Allow(context.Background(), "k", rl)
	if !errors.Is(err, goredis.ErrClosed) || d.Allowed {
		t.Errorf("closed client: Allow = %+v, %v; want goredis.ErrClosed and not allowed", d, err)
	}

	// Port 1 on loopback refuses connections at once.
	down := goredis.NewClient(&goredis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: time.Second})
	t.Cleanup(func() { _ = down.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	d, err = NewRateLimiter(down, "test:").Allow(ctx, "k", rl)
	if err == nil || d.Allowed {
		t.Errorf("unreachable Redis: Allow = %+v, %v; want an error and not allowed", d, err)
	}
}

func BenchmarkRedisAllow(b *testing.B) {
	client, prefix := testenv.Redis(b)
	l := NewRateLimiter(client, prefix)
	ctx := context.Background()
	b.Run("warm-refused", func(b *testing.B) {
		rl := shortener.RateLimit{Limit: 100, Window: time.Minute}
		for b.Loop() {
			if _, err := l.Allow(ctx, "bench:refused", rl); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("admitted", func(b *testing.B) {
		// A window short enough that the log stays small while every call
		// is admitted.
		rl := shortener.RateLimit{Limit: 1 << 30, Window: 100 * time.Millisecond}
		for b.Loop() {
			if _, err := l.Allow(ctx, "bench:admitted", rl); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		rl := shortener.RateLimit{Limit: 100, Window: time.Minute}
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := l.Allow(ctx, "bench:parallel", rl); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
