package spool

import (
	"context"
	"errors"
	"testing"

	"github.com/shortener-dev/shortener"
)

func TestMemoryReturnsClicksInOrder(t *testing.T) {
	m := NewMemory(1000, Options{})
	var want []shortener.Click
	for i := range 250 {
		c := testClick(i)
		m.RecordClick(c)
		want = append(want, c)
	}
	// Batches of 64 make the ring wrap around.
	assertSameClicks(t, drain(t, m, 64), want)
	for i := range 900 {
		c := testClick(i)
		m.RecordClick(c)
		want = append(want, c)
	}
	assertSameClicks(t, drain(t, m, 64), want[250:])
}

func TestMemoryGrowsUpToCapacity(t *testing.T) {
	metrics := &countingMetrics{}
	m := NewMemory(3000, Options{Metrics: metrics})
	var want []shortener.Click
	for i := range 700 {
		c := testClick(i)
		m.RecordClick(c)
		want = append(want, c)
	}
	// Move the head so that growing has to unwrap the ring.
	drained := drain(t, m, 500)
	assertSameClicks(t, drained, want)
	want = nil
	for i := range 3100 {
		c := testClick(i)
		m.RecordClick(c)
		want = append(want, c)
	}
	spooled, dropped := metrics.counts()
	if spooled != 3700 || dropped[shortener.DropSpoolFull] != 100 {
		t.Fatalf("spooled %d, dropped %v; want 3700 spooled, 100 %s", spooled, dropped, shortener.DropSpoolFull)
	}
	assertSameClicks(t, drain(t, m, 128), want[:3000])
}

func TestMemoryNextRepeatsUntilAck(t *testing.T) {
	m := NewMemory(10, Options{})
	for i := range 5 {
		m.RecordClick(testClick(i))
	}
	first, token, err := m.Next(context.Background(), 3)
	if err != nil {
		t.Fatal(err)
	}
	again, _, err := m.Next(context.Background(), 3)
	if err != nil {
		t.Fatal(err)
	}
	assertSameClicks(t, again, first)
	if err := m.Ack(token); err != nil {
		t.Fatal(err)
	}
	if got := m.Pending(); got != 2 {
		t.Fatalf("Pending = %d, want 2", got)
	}
	if err := m.Ack(token + 5); err == nil {
		t.Fatal("Ack beyond the queue succeeded")
	}
}

func TestMemoryFullDrops(t *testing.T) {
	metrics := &countingMetrics{}
	m := NewMemory(3, Options{Metrics: metrics})
	var want []shortener.Click
	for i := range 5 {
		c := testClick(i)
		m.RecordClick(c)
		want = append(want, c)
	}
	spooled, dropped := metrics.counts()
	if spooled != 3 || dropped[shortener.DropSpoolFull] != 2 {
		t.Fatalf("spooled %d, dropped %v; want 3 spooled, 2 %s", spooled, dropped, shortener.DropSpoolFull)
	}
	assertSameClicks(t, drain(t, m, 10), want[:3])

	// Acknowledging makes room again.
	c := testClick(9)
	m.RecordClick(c)
	assertSameClicks(t, drain(t, m, 10), []shortener.Click{c})
}

func TestMemoryClose(t *testing.T) {
	metrics := &countingMetrics{}
	m := NewMemory(3, Options{Metrics: metrics})
	done := make(chan error, 1)
	go func() {
		_, _, err := m.Next(context.Background(), 1)
		done <- err
	}()
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, ErrClosed) {
		t.Fatalf("Next across Close = %v, want ErrClosed", err)
	}
	m.RecordClick(testClick(1))
	if _, dropped := metrics.counts(); dropped[shortener.DropSpoolClosed] != 1 {
		t.Fatalf("dropped = %v, want 1 %s", dropped, shortener.DropSpoolClosed)
	}
}
