package spool

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/testenv"
)

// On a real filesystem that fills up while clicks arrive: no click is
// dropped (those that find the disk full are kept in memory and shipped),
// Ping fails while the disk refuses writes, and once there is room again
// the spool recovers by itself and writes to its log again.
func TestSpoolOnAFullDisk(t *testing.T) {
	disk := testenv.SmallDisk(t, "2m")
	m := &countingMetrics{}
	s := mustOpen(t, filepath.Join(disk, "spool"), Options{
		Metrics: m, SegmentSize: 32 << 10, TruncateEvery: 100, SyncInterval: 10 * time.Millisecond,
	})
	ctx := context.Background()
	var want []shortener.Click
	record := func(n int) {
		for range n {
			c := testClick(len(want))
			s.RecordClick(c)
			want = append(want, c)
		}
	}
	record(200)
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping before the disk filled: %v", err)
	}

	free := testenv.FillDisk(t, disk)
	record(2000) // more than the sliver a filled tmpfs may still take
	if err := s.Ping(ctx); err == nil {
		t.Fatal("Ping is nil while the disk is full")
	}
	spooled, dropped := m.counts()
	if spooled != len(want) || len(dropped) != 0 {
		t.Fatalf("with the disk full: spooled %d of %d, dropped %v", spooled, len(want), dropped)
	}
	// The shipper keeps taking clicks meanwhile (to Redis, say).
	got := drain(t, s, 100)

	free()
	deadline := time.Now().Add(10 * time.Second)
	for s.Ping(ctx) != nil {
		if time.Now().After(deadline) {
			t.Fatal("the spool did not recover after the disk was freed")
		}
		time.Sleep(10 * time.Millisecond)
	}
	writesBefore := s.writes.Load()
	record(300)
	if s.writes.Load() == writesBefore {
		t.Fatal("clicks after the recovery did not reach the log")
	}
	got = append(got, drain(t, s, 100)...)
	if len(got) != len(want) {
		t.Fatalf("shipped %d clicks, recorded %d", len(got), len(want))
	}
	seen := map[shortener.UUID]bool{}
	for _, c := range got {
		seen[c.ID] = true
	}
	for _, c := range want {
		if !seen[c.ID] {
			t.Fatalf("click %s was lost", c.ID)
		}
	}
	if _, dropped := m.counts(); len(dropped) != 0 {
		t.Fatalf("dropped %v", dropped)
	}
}
