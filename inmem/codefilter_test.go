package inmem_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/inmem"
)

// codeSource serves codes like a LinkStore's ShortCodes.
type codeSource struct {
	codes []string
	fail  bool
	calls atomic.Int32
}

func (s *codeSource) ShortCodes(_ context.Context, fn func(string) error) error {
	s.calls.Add(1)
	if s.fail {
		return errors.New("database down")
	}
	for _, c := range s.codes {
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}

func TestCodeFilter(t *testing.T) {
	src := &codeSource{}
	for i := range 5000 {
		src.codes = append(src.codes, fmt.Sprintf("code%05d", i))
	}
	f := inmem.NewCodeFilter(src.ShortCodes)
	if !f.MayExist("anything") {
		t.Fatal("before the first load every code must be allowed")
	}
	if err := f.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, c := range src.codes {
		if !f.MayExist(c) {
			t.Fatalf("loaded code %s reported as missing", c)
		}
	}
	falsePositives := 0
	for i := range 10000 {
		if f.MayExist(fmt.Sprintf("unknown%05d", i)) {
			falsePositives++
		}
	}
	if falsePositives > 300 { // 1% target, generous bound
		t.Fatalf("%d of 10000 unknown codes pass the filter", falsePositives)
	}
	f.Add("fresh")
	if !f.MayExist("fresh") {
		t.Fatal("an added code is reported as missing")
	}
	src.fail = true
	if err := f.Load(context.Background()); err == nil {
		t.Fatal("load from a failing store succeeded")
	}
	if !f.MayExist("fresh") || !f.MayExist("code00042") {
		t.Fatal("a failed reload lost the previous filter")
	}

	// Suspended (this instance may have missed creates), every code may
	// exist until the next load.
	known := func() int {
		n := 0
		for i := range 1000 {
			if !f.MayExist(fmt.Sprintf("unknown%05d", i)) {
				n++
			}
		}
		return n
	}
	f.Suspend()
	if n := known(); n != 0 {
		t.Fatalf("suspended, the filter refused %d codes", n)
	}
	src.fail = false
	if err := f.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := known(); n < 900 {
		t.Fatalf("reloaded, the filter refused only %d of 1000 unknown codes", n)
	}
}

// countingResolver counts lookups that reach it.
type countingResolver struct{ n atomic.Int32 }

func (r *countingResolver) Resolve(context.Context, string) (shortener.Target, error) {
	r.n.Add(1)
	return shortener.Target{}, nil
}

func TestLinkCacheFilterStopsUnknownCodes(t *testing.T) {
	src := &codeSource{codes: []string{"known"}}
	f := inmem.NewCodeFilter(src.ShortCodes)
	if err := f.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	next := &countingResolver{}
	c := inmem.NewLinkCache(next, inmem.LinkCacheOptions{Size: 100, TTL: 60e9, NegativeTTL: 5e9, Filter: f})
	for i := range 1000 {
		tgt, err := c.Resolve(context.Background(), fmt.Sprintf("random%d", i))
		if err != nil || tgt.Found {
			t.Fatalf("unknown code: %+v, %v", tgt, err)
		}
	}
	if n := next.n.Load(); n > 30 {
		t.Fatalf("%d of 1000 random unknown codes reached the store", n)
	}
	// A create elsewhere arrives as an invalidation: the code passes at once.
	c.Drop("brandnew")
	before := next.n.Load()
	if _, err := c.Resolve(context.Background(), "brandnew"); err != nil {
		t.Fatal(err)
	}
	if next.n.Load() != before+1 {
		t.Fatal("a code created after the load was not looked up")
	}
}

// A reload that the cache asks for (after missed invalidations) runs on
// Run's goroutine and nowhere else: before Run starts nothing touches the
// store, and once Run's context is cancelled and it has returned, nothing
// does any more.
func TestCodeFilterReloadsOnlyUnderRun(t *testing.T) {
	src := &codeSource{codes: []string{"known"}}
	f := inmem.NewCodeFilter(src.ShortCodes)
	if err := f.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	c := inmem.NewLinkCache(&countingResolver{}, inmem.LinkCacheOptions{Size: 100, TTL: 60e9, NegativeTTL: 5e9, Filter: f})
	src.codes = append(src.codes, "created-while-deaf")
	c.DropAll()
	time.Sleep(20 * time.Millisecond)
	if n := src.calls.Load(); n != 1 {
		t.Fatalf("%d loads before Run started, want 1 (the initial one)", n)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.Run(ctx); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for !f.MayExist("created-while-deaf") {
		if time.Now().After(deadline) {
			t.Fatal("the reload requested by DropAll did not run")
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its context was cancelled")
	}
	before := src.calls.Load()
	c.DropAll()
	time.Sleep(20 * time.Millisecond)
	if n := src.calls.Load(); n != before {
		t.Fatalf("a reload ran after Run returned (%d loads, want %d)", n, before)
	}
}
