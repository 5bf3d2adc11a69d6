package inmem_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/inmem"
)

// stalled is a database that takes the query and never answers: it
// returns only when its context ends.
type stalled struct{}

func (stalled) Resolve(ctx context.Context, _ string) (shortener.Target, error) {
	<-ctx.Done()
	return shortener.Target{}, ctx.Err()
}

// A lookup below the cache ends with its own time, though it serves every
// waiter and so does not end with any caller's request: a stalled database
// makes a redirect an error, not a request that waits for ever.
func TestLinkCacheLookupTimesOut(t *testing.T) {
	for _, size := range []int{100, 0} { // with the cache, and without (every lookup goes below)
		c := inmem.NewLinkCache(stalled{}, inmem.LinkCacheOptions{Size: size, TTL: time.Minute, NegativeTTL: time.Second,
			LookupTimeout: 100 * time.Millisecond})
		start := time.Now()
		_, err := c.Resolve(context.Background(), "abc")
		if took := time.Since(start); !errors.Is(err, context.DeadlineExceeded) || took > 2*time.Second {
			t.Errorf("size %d: a stalled lookup returned %v after %v, want a deadline error after about 100ms", size, err, took)
		}
	}
}
