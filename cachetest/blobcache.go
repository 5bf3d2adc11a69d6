// Package cachetest holds the conformance suite that every
// shortener.BlobCache implementation passes, so that the in-process and the
// Redis caches behave the same. It is imported only by tests.
package cachetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

// Advance moves the cache's time forward by d: a fake clock steps, a real
// cache sleeps.
type Advance func(d time.Duration)

// ShortTTL is the lifetime the suite gives entries that must expire. It is
// short so that a cache on real time sleeps little, and long enough that an
// entry read right after Set is still alive on a loaded machine.
const ShortTTL = 300 * time.Millisecond

// expiryMargin is added to ShortTTL before expecting an entry to be gone,
// because a server measures lifetimes with its own, slightly later, clock.
const expiryMargin = 150 * time.Millisecond

// RunBlobCache runs the conformance suite. newCache returns an empty cache,
// private to the subtest, and the way to move its time.
func RunBlobCache(t *testing.T, newCache func(t *testing.T) (shortener.BlobCache, Advance)) {
	tests := []struct {
		name string
		fn   func(t *testing.T, c shortener.BlobCache, advance Advance)
	}{
		{"GetMiss", testGetMiss},
		{"SetGet", testSetGet},
		{"EmptyValue", testEmptyValue},
		{"ValueIsCopied", testValueIsCopied},
		{"Overwrite", testOverwrite},
		{"Delete", testDelete},
		{"TTLExpiry", testTTLExpiry},
		{"OverwriteResetsTTL", testOverwriteResetsTTL},
		{"NonPositiveTTL", testNonPositiveTTL},
		{"LargeValue", testLargeValue},
		{"Concurrent", testConcurrent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, advance := newCache(t)
			tt.fn(t, c, advance)
		})
	}
}

func mustSet(t *testing.T, c shortener.BlobCache, key string, value []byte, ttl time.Duration) {
	t.Helper()
	if err := c.Set(context.Background(), key, value, ttl); err != nil {
		t.Fatalf("Set(%q): %v", key, err)
	}
}

// wantValue fails unless key holds want.
func wantValue(t *testing.T, c shortener.BlobCache, key string, want []byte) {
	t.Helper()
	got, ok, err := c.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	if !ok {
		t.Fatalf("Get(%q): missing, want %q", key, abbreviate(want))
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("Get(%q) = %q, want %q", key, abbreviate(got), abbreviate(want))
	}
}

// wantMissing fails unless key is missing.
func wantMissing(t *testing.T, c shortener.BlobCache, key string) {
	t.Helper()
	got, ok, err := c.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	if ok {
		t.Fatalf("Get(%q) = %q, want missing", key, abbreviate(got))
	}
}

func abbreviate(b []byte) string {
	if len(b) > 40 {
		return fmt.Sprintf("%s... (%d bytes)", b[:40], len(b))
	}
	return string(b)
}

func testGetMiss(t *testing.T, c shortener.BlobCache, _ Advance) {
	wantMissing(t, c, "never-set")
}

func testSetGet(t *testing.T, c shortener.BlobCache, _ Advance) {
	mustSet(t, c, "a", []byte("alpha"), time.Hour)
	mustSet(t, c, "b", []byte{0, 1, 2, 255}, time.Hour)
	wantValue(t, c, "a", []byte("alpha"))
	wantValue(t, c, "b", []byte{0, 1, 2, 255})
	wantMissing(t, c, "c")
}

func testEmptyValue(t *testing.T, c shortener.BlobCache, _ Advance) {
	mustSet(t, c, "empty", []byte{}, time.Hour)
	wantValue(t, c, "empty", []byte{})
}

// A cache must not share memory with its callers: a caller may reuse the
// buffer it stored, or change what it read.
func testValueIsCopied(t *testing.T, c shortener.BlobCache, _ Advance) {
	buf := []byte("original")
	mustSet(t, c, "k", buf, time.Hour)
	copy(buf, "CHANGED!")
	wantValue(t, c, "k", []byte("original"))

	got, _, err := c.Get(context.Background(), "k")
	if err != nil {
		t.Fatal(err)
	}
	copy(got, "CHANGED!")
	wantValue(t, c, "k", []byte("original"))
}

func testOverwrite(t *testing.T, c shortener.BlobCache, _ Advance) {
	mustSet(t, c, "k", []byte("first value, longer"), time.Hour)
	mustSet(t, c, "k", []byte("second"), time.Hour)
	wantValue(t, c, "k", []byte("second"))
}

func testDelete(t *testing.T, c shortener.BlobCache, _ Advance) {
	ctx := context.Background()
	for _, k := range []string{"d1", "d2", "d3", "keep"} {
		mustSet(t, c, k, []byte("v-"+k), time.Hour)
	}
	if err := c.Delete(ctx, "d1", "missing", "d2", "d3", "also-missing"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	for _, k := range []string{"d1", "d2", "d3", "missing"} {
		wantMissing(t, c, k)
	}
	wantValue(t, c, "keep", []byte("v-keep"))

	if err := c.Delete(ctx, "nothing-here"); err != nil {
		t.Fatalf("Delete of a missing key: %v", err)
	}
	if err := c.Delete(ctx); err != nil {
		t.Fatalf("Delete of no keys: %v", err)
	}
}

func testTTLExpiry(t *testing.T, c shortener.BlobCache, advance Advance) {
	mustSet(t, c, "short", []byte("s"), ShortTTL)
	mustSet(t, c, "long", []byte("l"), time.Hour)
	wantValue(t, c, "short", []byte("s"))
	advance(ShortTTL + expiryMargin)
	wantMissing(t, c, "short")
	wantValue(t, c, "long", []byte("l"))
}

// Set replaces the lifetime along with the value, both ways.
func testOverwriteResetsTTL(t *testing.T, c shortener.BlobCache, advance Advance) {
	mustSet(t, c, "shortened", []byte("v1"), time.Hour)
	mustSet(t, c, "shortened", []byte("v2"), ShortTTL)
	mustSet(t, c, "lengthened", []byte("v1"), ShortTTL)
	mustSet(t, c, "lengthened", []byte("v2"), time.Hour)
	advance(ShortTTL + expiryMargin)
	wantMissing(t, c, "shortened")
	wantValue(t, c, "lengthened", []byte("v2"))
}

// A value stored with no lifetime left is never served, and it replaces
// (removes) what was there.
func testNonPositiveTTL(t *testing.T, c shortener.BlobCache, _ Advance) {
	mustSet(t, c, "zero", []byte("old"), time.Hour)
	mustSet(t, c, "zero", []byte("new"), 0)
	wantMissing(t, c, "zero")
	mustSet(t, c, "negative", []byte("v"), -time.Second)
	wantMissing(t, c, "negative")
}

func testLargeValue(t *testing.T, c shortener.BlobCache, _ Advance) {
	big := make([]byte, 1<<20)
	_, _ = rand.Read(big)
	mustSet(t, c, "big", big, time.Hour)
	wantValue(t, c, "big", big)
}

// Concurrent readers and writers on shared keys: no race, and a read only
// ever sees a whole value written for that key.
func testConcurrent(t *testing.T, c shortener.BlobCache, _ Advance) {
	const workers, ops, keys = 8, 200, 10
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range ops {
				key := fmt.Sprintf("k%d", (w+i)%keys)
				var err error
				switch i % 4 {
				case 0, 1:
					err = c.Set(ctx, key, []byte(fmt.Sprintf("%s|%d|%d", key, w, i)), time.Hour)
				case 2:
					var v []byte
					var ok bool
					v, ok, err = c.Get(ctx, key)
					if err == nil && ok && !strings.HasPrefix(string(v), key+"|") {
						err = fmt.Errorf("Get(%q) = %q, a value of another key", key, v)
					}
				case 3:
					err = c.Delete(ctx, key)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	// The cache still works after the storm.
	mustSet(t, c, "after", []byte("ok"), time.Hour)
	wantValue(t, c, "after", []byte("ok"))
}
