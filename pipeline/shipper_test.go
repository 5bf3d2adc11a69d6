package pipeline_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/pipeline"
	"github.com/shortener-dev/shortener/spool"
)

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// plainEnrich stands in for Enricher.Enrich: the shipper must not care.
func plainEnrich(c shortener.Click) shortener.ClickEvent {
	return shortener.ClickEvent{ID: c.ID.String(), LinkID: c.LinkID, OccurredAt: c.At, Referrer: c.Referrer}
}

func click(i int, at time.Time) shortener.Click {
	return shortener.Click{ID: shortener.NewClickIDAt(at), LinkID: "link-" + strconv.Itoa(i), At: at}
}

// waitFor polls cond; the deadline only stops a broken test from hanging.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestShipperRetriesUntilDelivered(t *testing.T) {
	src := spool.NewMemory(1000, spool.Options{})
	var want []string
	for i := range 250 {
		c := click(i, time.Now())
		src.RecordClick(c)
		want = append(want, c.ID.String())
	}
	sink := &recordingSink{failFirst: 3, src: src}
	reg := prometheus.NewRegistry()
	metrics := pipeline.NewMetrics(reg)
	sh := pipeline.NewShipper(src, plainEnrich, sink, pipeline.ShipperOptions{
		BatchSize: 100, RetryMin: time.Millisecond, RetryMax: 4 * time.Millisecond,
		Logger: quietLogger(), Metrics: metrics,
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		sh.Run(ctx)
		close(done)
	}()
	waitFor(t, "every click to be delivered", func() bool { return len(sink.delivered()) == len(want) })
	waitFor(t, "the spool to be empty", func() bool { return src.Pending() == 0 })
	cancel()
	<-done

	got := sink.delivered()
	for _, id := range want {
		if got[id] != 1 {
			t.Fatalf("click %s delivered %d times, want 1", id, got[id])
		}
	}
	// The failed attempts were the same first batch, and nothing had been
	// acknowledged while they failed.
	if len(sink.failed) != 3 {
		t.Fatalf("%d failed calls, want 3", len(sink.failed))
	}
	for i, ids := range sink.failed {
		if !equalIDs(ids, want[:100]) {
			t.Fatalf("failed call %d had clicks %v..., want the first batch", i, ids[:1])
		}
		if sink.pendingAtFailure[i] != 250 {
			t.Fatalf("Pending during failed call %d = %d, want 250", i, sink.pendingAtFailure[i])
		}
	}
	// Successful batches are in spool order and within BatchSize.
	var order []string
	for _, b := range sink.batches {
		if len(b) > 100 {
			t.Fatalf("batch of %d clicks, BatchSize is 100", len(b))
		}
		order = append(order, b...)
	}
	if !equalIDs(order, want) {
		t.Fatal("clicks delivered out of order")
	}
	assertMetric(t, reg, "shortener_click_ship_errors_total", "", 3)
	assertMetric(t, reg, "shortener_clicks_shipped_total", "", 250)
	assertMetric(t, reg, "shortener_click_spool_pending", "", 0)
	assertMetric(t, reg, "shortener_click_pipeline_lag_seconds", "", 0)
}

func equalIDs(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestShipperShipsWithoutWaitingForAFullBatch(t *testing.T) {
	src := spool.NewMemory(100, spool.Options{})
	sink := &recordingSink{}
	sh := pipeline.NewShipper(src, plainEnrich, sink, pipeline.ShipperOptions{
		BatchSize: 100, RetryMax: time.Hour, Logger: quietLogger(),
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go sh.Run(ctx)

	// One click, and a retry interval of an hour: only natural batching
	// delivers it within the test's deadline.
	c := click(1, time.Now())
	src.RecordClick(c)
	waitFor(t, "the single click", func() bool { return sink.delivered()[c.ID.String()] == 1 })
}

// TestShipperLingersForFullerBatches sends a steady trickle: a click every
// millisecond. Without the pause after a short batch every write would
// carry one or two clicks; with a 40 ms pause they carry tens.
func TestShipperLingersForFullerBatches(t *testing.T) {
	src := spool.NewMemory(10000, spool.Options{})
	sink := &recordingSink{}
	sh := pipeline.NewShipper(src, plainEnrich, sink, pipeline.ShipperOptions{
		BatchSize: 100, Linger: 40 * time.Millisecond, Logger: quietLogger(),
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go sh.Run(ctx)

	const n = 300
	for i := range n {
		src.RecordClick(click(i, time.Now()))
		time.Sleep(time.Millisecond)
	}
	waitFor(t, "every click", func() bool { return len(sink.delivered()) == n })
	sink.mu.Lock()
	writes := len(sink.batches)
	sink.mu.Unlock()
	// 300 clicks over at least 300 ms: about 8 pauses of 40 ms, so about
	// 9 writes; 30 leaves room for a slow machine and still fails at one
	// write per click or two.
	if writes > 30 {
		t.Errorf("%d writes for %d clicks, want batches of tens (at most 30 writes)", writes, n)
	}
}

// shortBatches hands out at most 10 clicks a call, as a disk spool does
// when it skips corrupt entries.
type shortBatches struct{ *spool.Memory }

func (s shortBatches) Next(ctx context.Context, limit int) ([]shortener.Click, uint64, error) {
	return s.Memory.Next(ctx, min(limit, 10))
}

// TestShipperDoesNotLingerOnABacklog: short batches with a backlog behind
// them are written back to back; only a pending count under BatchSize
// earns the pause (an hour here).
func TestShipperDoesNotLingerOnABacklog(t *testing.T) {
	mem := spool.NewMemory(10000, spool.Options{})
	for i := range 1000 {
		mem.RecordClick(click(i, time.Now()))
	}
	sink := &recordingSink{}
	sh := pipeline.NewShipper(shortBatches{mem}, plainEnrich, sink, pipeline.ShipperOptions{
		BatchSize: 100, Linger: time.Hour, RetryMax: time.Hour, Logger: quietLogger(),
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go sh.Run(ctx)
	waitFor(t, "all but the last 100 clicks", func() bool { return len(sink.delivered()) > 900 })
}

func TestShipperLagWhileTheSinkIsDown(t *testing.T) {
	at := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	src := spool.NewMemory(10, spool.Options{})
	src.RecordClick(click(1, at))
	src.RecordClick(click(2, at.Add(time.Second)))
	sink := &recordingSink{alwaysFail: true}
	reg := prometheus.NewRegistry()
	sh := pipeline.NewShipper(src, plainEnrich, sink, pipeline.ShipperOptions{
		RetryMin: time.Millisecond, RetryMax: time.Millisecond, Logger: quietLogger(),
		Metrics: pipeline.NewMetrics(reg),
		Clock:   func() time.Time { return at.Add(90 * time.Second) },
	})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := sh.Drain(ctx); err == nil {
		t.Fatal("Drain into a dead sink succeeded")
	}
	assertMetric(t, reg, "shortener_click_pipeline_lag_seconds", "", 90)
	assertMetric(t, reg, "shortener_click_spool_pending", "", 2)
	if src.Pending() != 2 {
		t.Fatalf("Pending = %d, want 2: a failed batch must stay in the spool", src.Pending())
	}
}

func TestShipperDrain(t *testing.T) {
	t.Run("empties the spool", func(t *testing.T) {
		src := spool.NewMemory(1000, spool.Options{})
		for i := range 250 {
			src.RecordClick(click(i, time.Now()))
		}
		sink := &recordingSink{failFirst: 1}
		sh := pipeline.NewShipper(src, plainEnrich, sink, pipeline.ShipperOptions{
			BatchSize: 100, RetryMin: time.Millisecond, Logger: quietLogger(),
		})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := sh.Drain(ctx); err != nil {
			t.Fatalf("Drain: %v", err)
		}
		if src.Pending() != 0 || len(sink.delivered()) != 250 {
			t.Fatalf("after Drain: %d pending, %d delivered; want 0, 250", src.Pending(), len(sink.delivered()))
		}
	})
	t.Run("respects its deadline", func(t *testing.T) {
		src := spool.NewMemory(10, spool.Options{})
		src.RecordClick(click(1, time.Now()))
		sh := pipeline.NewShipper(src, plainEnrich, &recordingSink{alwaysFail: true}, pipeline.ShipperOptions{
			RetryMin: time.Hour, Logger: quietLogger(),
		})
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		done := make(chan error, 1)
		go func() { done <- sh.Drain(ctx) }()
		select {
		case err := <-done:
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Drain = %v, want DeadlineExceeded", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Drain ignored its deadline (it backs off for an hour)")
		}
		if src.Pending() != 1 {
			t.Fatalf("Pending = %d, want 1", src.Pending())
		}
	})
	t.Run("waits for Run to stop", func(t *testing.T) {
		src := spool.NewMemory(10, spool.Options{})
		sink := &recordingSink{}
		sh := pipeline.NewShipper(src, plainEnrich, sink, pipeline.ShipperOptions{Logger: quietLogger()})
		runCtx, stopRun := context.WithCancel(context.Background())
		runDone := make(chan struct{})
		go func() {
			sh.Run(runCtx)
			close(runDone)
		}()
		first := click(0, time.Now())
		src.RecordClick(first)
		waitFor(t, "Run to ship", func() bool { return sink.delivered()[first.ID.String()] == 1 })
		src.RecordClick(click(1, time.Now())) // Run ships it; Drain must not race for it
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		if err := sh.Drain(ctx); err == nil {
			t.Fatal("Drain ran beside Run")
		}
		stopRun()
		<-runDone
		src.RecordClick(click(1, time.Now()))
		if err := sh.Drain(context.Background()); err != nil || src.Pending() != 0 {
			t.Fatalf("Drain after Run stopped = %v, pending %d", err, src.Pending())
		}
	})
}
