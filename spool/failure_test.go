package spool

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/testenv"
)

func TestSpoolWriteFailureDropsAndRecovers(t *testing.T) {
	m := &countingMetrics{}
	s := mustOpen(t, t.TempDir(), Options{Metrics: m, Overflow: -1})
	first := testClick(1)
	s.RecordClick(first)

	// Close the log under the spool: the next write fails as a dead disk
	// would, and the spool must reopen it.
	if err := s.log.Load().Close(); err != nil {
		t.Fatal(err)
	}
	lost := testClick(2)
	returned := make(chan struct{})
	go func() {
		s.RecordClick(lost)
		close(returned)
	}()
	select {
	case <-returned:
	case <-time.After(5 * time.Second):
		t.Fatal("RecordClick blocked on a failed write")
	}
	spooled, dropped := m.counts()
	if spooled != 1 || dropped[shortener.DropSpoolWriteFailed] != 1 {
		t.Fatalf("spooled %d, dropped %v; want 1 spooled, 1 %s", spooled, dropped, shortener.DropSpoolWriteFailed)
	}

	after := testClick(3)
	s.RecordClick(after)
	assertSameClicks(t, drain(t, s, 10), []shortener.Click{first, after})

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s.RecordClick(testClick(4))
	if _, dropped := m.counts(); dropped[shortener.DropSpoolClosed] != 1 {
		t.Fatalf("dropped after Close = %v, want 1 %s", dropped, shortener.DropSpoolClosed)
	}
}

// With the overflow (the default), the click of a failed write is kept in
// memory and shipped like the others; the spool says it is degraded until
// the log takes writes again.
func TestSpoolWriteFailureKeepsClicksInMemory(t *testing.T) {
	m := &countingMetrics{}
	logs := &testenv.Buffer{}
	s := mustOpen(t, t.TempDir(), Options{Metrics: m, SyncInterval: 10 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(logs, nil))})
	first := testClick(1)
	s.RecordClick(first)
	if err := s.log.Load().Close(); err != nil {
		t.Fatal(err)
	}
	kept := testClick(2)
	s.RecordClick(kept)
	spooled, dropped := m.counts()
	if spooled != 2 || len(dropped) != 0 {
		t.Fatalf("spooled %d, dropped %v; want 2 spooled, none dropped", spooled, dropped)
	}
	// The log says what happened: kept, not dropped. (The writer logs
	// after it has released the recorders.)
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(logs.String(), "clicks kept in memory") && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	if l := logs.String(); !strings.Contains(l, "level=WARN") || !strings.Contains(l, "clicks kept in memory") || strings.Contains(l, "dropped") {
		t.Errorf("a failed write whose clicks were kept logged:\n%s", l)
	}
	if s.Ping(context.Background()) == nil {
		t.Fatal("Ping is nil after a failed write")
	}
	// The maintenance loop reopens the log and probes the disk; no click is
	// needed for the spool to recover.
	deadline := time.Now().Add(5 * time.Second)
	for s.Ping(context.Background()) != nil {
		if time.Now().After(deadline) {
			t.Fatal("the spool did not recover by itself")
		}
		time.Sleep(5 * time.Millisecond)
	}
	after := testClick(3)
	s.RecordClick(after)
	assertSameClicks(t, drain(t, s, 10), []shortener.Click{first, after, kept})
}

// Each write of the log reports its time, including a slow one: the
// redirects of its clicks waited that long.
func TestSpoolReportsItsWriteTimes(t *testing.T) {
	m := &countingMetrics{}
	s := mustOpen(t, t.TempDir(), Options{Metrics: m})
	s.testHookWrite = func() { time.Sleep(20 * time.Millisecond) }
	s.RecordClick(testClick(1))
	s.RecordClick(testClick(2))
	m.mu.Lock()
	writes := slices.Clone(m.writes)
	m.mu.Unlock()
	if len(writes) != 2 {
		t.Fatalf("writes reported = %v, want 2 (one per RecordClick, each waiting for its own)", writes)
	}
	for _, took := range writes {
		if took < 20*time.Millisecond {
			t.Fatalf("write reported as %v; it took at least 20ms", took)
		}
	}
	if spooled, _ := m.counts(); spooled != 2 {
		t.Fatalf("clicks spooled = %d, want 2", spooled)
	}
}

func TestSpoolRecordClickBoundsItsWait(t *testing.T) {
	s := mustOpen(t, t.TempDir(), Options{MaxWait: 20 * time.Millisecond})
	release := make(chan struct{})
	var once sync.Once
	s.testHookWrite = func() { once.Do(func() { <-release }) } // the first write hangs

	var wg sync.WaitGroup
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.RecordClick(testClick(i))
		}()
	}
	waited := make(chan struct{})
	go func() {
		wg.Wait()
		close(waited)
	}()
	select {
	case <-waited:
	case <-time.After(5 * time.Second):
		t.Fatal("RecordClick still blocked behind a hung write")
	}
	close(release)
	// Once the disk is back, nothing was lost.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := mustOpen(t, s.dir, Options{})
	if got := len(drain(t, s2, 100)); got != 10 {
		t.Fatalf("clicks after the stall = %d, want 10", got)
	}
}

func TestSpoolRepairsTornTail(t *testing.T) {
	tests := []struct {
		name        string
		tail        []byte
		wantCorrupt int
	}{
		// A partial entry: its length says 100 bytes, 3 follow.
		{name: "partial entry", tail: []byte{100, 1, 2, 3}},
		// Zeros read as empty entries; their checksum rejects them.
		{name: "zero filled", tail: make([]byte, 2), wantCorrupt: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			m := &countingMetrics{}
			s := mustOpen(t, dir, Options{Metrics: m})
			var clicks []shortener.Click
			for i := range 3 {
				c := testClick(i)
				s.RecordClick(c)
				clicks = append(clicks, c)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			appendToNewestSegment(t, dir, tt.tail)

			s2 := mustOpen(t, dir, Options{Metrics: m})
			c := testClick(3)
			s2.RecordClick(c)
			assertSameClicks(t, drain(t, s2, 100), append(clicks, c))
			if _, dropped := m.counts(); dropped[shortener.DropSpoolCorrupt] != tt.wantCorrupt {
				t.Fatalf("dropped = %v, want %d %s", dropped, tt.wantCorrupt, shortener.DropSpoolCorrupt)
			}
		})
	}
}

func appendToNewestSegment(t *testing.T, dir string, data []byte) {
	t.Helper()
	path, err := newestSegment(dir)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		t.Fatal(err)
	}
}

func TestSpoolUnreadableAckFileReplaysEverything(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir, Options{})
	var clicks []shortener.Click
	for i := range 3 {
		c := testClick(i)
		s.RecordClick(c)
		clicks = append(clicks, c)
	}
	drain(t, s, 1)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ackFile), []byte("garbage"), 0o640); err != nil {
		t.Fatal(err)
	}
	s2 := mustOpen(t, dir, Options{})
	// The log kept only its last entry; replaying it is a harmless
	// duplicate, losing it would not be.
	assertSameClicks(t, drain(t, s2, 10), clicks[2:])
}

func TestSpoolOpenFailsOnAFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(path, nil, 0o640); err != nil {
		t.Fatal(err)
	}
	if s, err := Open(path, Options{Logger: quietLogger()}); err == nil {
		_ = s.Close()
		t.Fatal("Open on a regular file succeeded")
	}
}
