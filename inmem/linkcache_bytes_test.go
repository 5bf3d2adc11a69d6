package inmem_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/inmem"
)

// bigTargets answers every code with a link of twenty long rules, about
// 40 KB in memory.
type bigTargets struct{ lookups atomic.Int32 }

func (b *bigTargets) Resolve(_ context.Context, code string) (shortener.Target, error) {
	b.lookups.Add(1)
	t := shortener.Target{Found: true, Active: true, LinkID: code, URL: "https://example.com/" + code}
	for i := range 20 {
		t.Rules = append(t.Rules, shortener.TargetRule{URL: "https://example.com/" + strings.Repeat("x", 2000) + fmt.Sprint(i),
			Countries: []string{"DE"}})
	}
	return t, nil
}

// The L1 is bounded by bytes as well as entries: large targets evict each
// other long before the entry limit, so memory stays within the budget.
func TestLinkCacheBoundedByBytes(t *testing.T) {
	next := &bigTargets{}
	c := inmem.NewLinkCache(next, inmem.LinkCacheOptions{Size: 10000, MaxBytes: 400 << 10, TTL: time.Minute, NegativeTTL: time.Second})
	ctx := context.Background()
	const codes = 100
	for round := range 2 {
		for i := range codes {
			if _, err := c.Resolve(ctx, fmt.Sprintf("code%d", i)); err != nil {
				t.Fatal(err)
			}
		}
		if round == 0 && next.lookups.Load() != codes {
			t.Fatalf("first round: %d lookups, want %d", next.lookups.Load(), codes)
		}
	}
	// 100 targets of about 40 KB cannot stay in 400 KB: most second
	// lookups miss. With an entry bound alone (10,000) every one would hit.
	if again := next.lookups.Load() - codes; again < codes/2 {
		t.Fatalf("only %d of %d large targets were evicted from a 400 KB cache", again, codes)
	}
}
