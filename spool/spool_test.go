package spool

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

// countingMetrics records what the spool reports. The spool reports only
// spooled and dropped clicks and its writes' times: any other method would
// call the nil embedded interface and panic, failing the test.
type countingMetrics struct {
	shortener.PipelineMetrics
	mu      sync.Mutex
	spooled int
	dropped map[shortener.DropReason]int
	writes  []time.Duration
}

func (m *countingMetrics) SpoolWrite(took time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.writes = append(m.writes, took)
}

func (m *countingMetrics) ClicksSpooled(n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.spooled += n
}

func (m *countingMetrics) ClicksDropped(reason shortener.DropReason, n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.dropped == nil {
		m.dropped = map[shortener.DropReason]int{}
	}
	m.dropped[reason] += n
}

func (m *countingMetrics) counts() (spooled int, dropped map[shortener.DropReason]int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	dropped = map[shortener.DropReason]int{}
	for k, v := range m.dropped {
		dropped[k] = v
	}
	return m.spooled, dropped
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func testClick(i int) shortener.Click {
	return shortener.Click{
		ID:        shortener.NewClickIDAt(time.Now()),
		LinkID:    "link-" + strconv.Itoa(i),
		At:        time.Date(2026, 11, 28, 12, 0, 0, i, time.UTC),
		IP:        netip.AddrFrom4([4]byte{198, 51, 100, byte(i)}),
		UserAgent: "test-agent/" + strconv.Itoa(i),
		Referrer:  "https://example.com/" + strconv.Itoa(i),
	}
}

func mustOpen(t testing.TB, dir string, opts Options) *Spool {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = quietLogger()
	}
	s, err := Open(dir, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// source is the reading side that Spool and Memory share.
type source interface {
	Next(ctx context.Context, limit int) ([]shortener.Click, uint64, error)
	Ack(token uint64) error
	Pending() int
}

// drain acknowledges and returns everything pending, in batches of limit.
func drain(t *testing.T, src source, limit int) []shortener.Click {
	t.Helper()
	var all []shortener.Click
	for src.Pending() > 0 {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		batch, token, err := src.Next(ctx, limit)
		cancel()
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		if len(batch) == 0 || len(batch) > limit {
			t.Fatalf("Next returned %d clicks, want 1..%d", len(batch), limit)
		}
		if err := src.Ack(token); err != nil {
			t.Fatalf("Ack: %v", err)
		}
		all = append(all, batch...)
	}
	return all
}

func assertSameClicks(t *testing.T, got, want []shortener.Click) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d clicks, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("click %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func TestSpoolReturnsClicksInOrder(t *testing.T) {
	s := mustOpen(t, t.TempDir(), Options{})
	var want []shortener.Click
	for i := range 1000 {
		c := testClick(i)
		s.RecordClick(c)
		want = append(want, c)
	}
	if got := s.Pending(); got != 1000 {
		t.Fatalf("Pending = %d, want 1000", got)
	}
	assertSameClicks(t, drain(t, s, 64), want)
	if got := s.Pending(); got != 0 {
		t.Fatalf("Pending after draining = %d, want 0", got)
	}
}

func TestSpoolNextRepeatsUntilAck(t *testing.T) {
	s := mustOpen(t, t.TempDir(), Options{})
	for i := range 5 {
		s.RecordClick(testClick(i))
	}
	ctx := context.Background()
	first, token1, err := s.Next(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	again, token2, err := s.Next(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if token1 != token2 {
		t.Fatalf("tokens differ without Ack: %d, %d", token1, token2)
	}
	assertSameClicks(t, again, first)
	if err := s.Ack(token1); err != nil {
		t.Fatal(err)
	}
	rest, _, err := s.Next(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(rest) != 2 || s.Pending() != 2 {
		t.Fatalf("after Ack: Next gave %d clicks, Pending %d; want 2, 2", len(rest), s.Pending())
	}
}

func TestSpoolNextWaits(t *testing.T) {
	s := mustOpen(t, t.TempDir(), Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, _, err := s.Next(ctx, 10); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Next on an empty spool = %v, want DeadlineExceeded", err)
	}

	c := testClick(1)
	go func() {
		time.Sleep(10 * time.Millisecond)
		s.RecordClick(c)
	}()
	batch, _, err := s.Next(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	assertSameClicks(t, batch, []shortener.Click{c})

	done := make(chan error, 1)
	go func() {
		_ = s.Ack(1)
		_, _, err := s.Next(context.Background(), 10)
		done <- err
	}()
	time.Sleep(10 * time.Millisecond)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, ErrClosed) {
			t.Fatalf("Next across Close = %v, want ErrClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Next still blocked after Close")
	}
}

func TestSpoolReopenReplaysOnlyUnacked(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir, Options{})
	var clicks []shortener.Click
	for i := range 10 {
		c := testClick(i)
		s.RecordClick(c)
		clicks = append(clicks, c)
	}
	batch, token, err := s.Next(context.Background(), 4)
	if err != nil {
		t.Fatal(err)
	}
	assertSameClicks(t, batch, clicks[:4])
	if err := s.Ack(token); err != nil {
		t.Fatal(err)
	}
	// Fetched but not acknowledged: must come back.
	if _, _, err := s.Next(context.Background(), 3); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Ack(token); !errors.Is(err, ErrClosed) {
		t.Fatalf("Ack after Close = %v, want ErrClosed", err)
	}

	s2 := mustOpen(t, dir, Options{})
	if got := s2.Pending(); got != 6 {
		t.Fatalf("Pending after reopen = %d, want 6", got)
	}
	assertSameClicks(t, drain(t, s2, 100), clicks[4:])

	// New clicks continue after the replayed ones, across another reopen.
	c := testClick(99)
	s2.RecordClick(c)
	if err := s2.Close(); err != nil {
		t.Fatal(err)
	}
	s3 := mustOpen(t, dir, Options{})
	assertSameClicks(t, drain(t, s3, 100), []shortener.Click{c})
}

// segmentIndexes lists the first index of each log segment in dir.
func segmentIndexes(t *testing.T, dir string) []uint64 {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []uint64
	for _, e := range entries {
		if isSegmentName(e.Name()) {
			n, _ := strconv.ParseUint(e.Name(), 10, 64)
			out = append(out, n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func TestSpoolAckTruncatesLog(t *testing.T) {
	dir := t.TempDir()
	// Small segments so that the clicks span many files.
	s := mustOpen(t, dir, Options{SegmentSize: 1024, SyncInterval: 5 * time.Millisecond, TruncateEvery: 50})
	var clicks []shortener.Click
	for i := range 200 {
		c := testClick(i)
		s.RecordClick(c)
		clicks = append(clicks, c)
	}
	before := segmentIndexes(t, dir)
	if len(before) < 5 || before[0] != 1 {
		t.Fatalf("segments before Ack = %v, want several starting at 1", before)
	}
	batch, token, err := s.Next(context.Background(), 150)
	if err != nil || len(batch) != 150 {
		t.Fatalf("Next = %d clicks, %v", len(batch), err)
	}
	if err := s.Ack(token); err != nil {
		t.Fatal(err)
	}
	// The maintenance tick cuts the acknowledged front off.
	deadline := time.Now().Add(5 * time.Second)
	for idx := segmentIndexes(t, dir); len(idx) == 0 || idx[0] != 151; idx = segmentIndexes(t, dir) {
		if time.Now().After(deadline) {
			t.Fatalf("segments after Ack = %v, want the first to start at 151", segmentIndexes(t, dir))
		}
		time.Sleep(5 * time.Millisecond)
	}

	// Acknowledging everything keeps one entry (the library's minimum),
	// which the saved position skips.
	assertSameClicks(t, drain(t, s, 100), clicks[150:])
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// The segment holding entry 200 (and maybe an empty one after it).
	if got := segmentIndexes(t, dir); len(got) == 0 || len(got) > 2 || got[0] != 200 {
		t.Fatalf("segments after acknowledging all = %v, want [200] or [200 201]", got)
	}
	s2 := mustOpen(t, dir, Options{})
	if got := s2.Pending(); got != 0 {
		t.Fatalf("Pending after reopen = %d, want 0", got)
	}
	c := testClick(1000)
	s2.RecordClick(c)
	assertSameClicks(t, drain(t, s2, 10), []shortener.Click{c})
}

func TestSpoolConcurrentRecordersDeliverEachClickOnce(t *testing.T) {
	const writers, perWriter = 50, 200
	s := mustOpen(t, t.TempDir(), Options{})

	seen := make(map[shortener.UUID]int)
	readerDone := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		for len(seen) < writers*perWriter {
			batch, token, err := s.Next(ctx, 100)
			if err != nil {
				readerDone <- err
				return
			}
			for _, c := range batch {
				seen[c.ID]++
			}
			if err := s.Ack(token); err != nil {
				readerDone <- err
				return
			}
		}
		readerDone <- nil
	}()

	var wg sync.WaitGroup
	ids := make([][]shortener.UUID, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWriter {
				c := testClick(w*perWriter + i)
				s.RecordClick(c)
				ids[w] = append(ids[w], c.ID)
			}
		}()
	}
	wg.Wait()
	if err := <-readerDone; err != nil {
		t.Fatalf("reader: %v", err)
	}
	for w := range ids {
		for _, id := range ids[w] {
			if seen[id] != 1 {
				t.Fatalf("click %s delivered %d times, want 1", id, seen[id])
			}
		}
	}
	if len(seen) != writers*perWriter {
		t.Fatalf("delivered %d distinct clicks, want %d", len(seen), writers*perWriter)
	}
	if w := s.writes.Load(); w >= writers*perWriter {
		t.Fatalf("%d writes for %d clicks: no group commit", w, writers*perWriter)
	} else {
		t.Logf("%d clicks in %d writes", writers*perWriter, w)
	}
}

func ExampleSpool() {
	dir, _ := os.MkdirTemp("", "spool")
	defer os.RemoveAll(dir)
	s, _ := Open(dir, Options{})
	s.RecordClick(shortener.Click{ID: shortener.NewClickIDAt(time.Now())})
	s.RecordClick(shortener.Click{ID: shortener.NewClickIDAt(time.Now())})
	batch, token, _ := s.Next(context.Background(), 10)
	_ = s.Ack(token)
	fmt.Println(len(batch), s.Pending())
	_ = s.Close()
	// Output: 2 0
}
