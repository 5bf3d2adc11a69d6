package pipeline_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/shortener-dev/shortener/pipeline"
	"github.com/shortener-dev/shortener/spool"
)

// TestPipelineFromDiskSpool runs the embedded mode's pipeline: recorders on
// many goroutines, the disk spool, the shipper and a counted sink, across a
// restart of the spool.
func TestPipelineFromDiskSpool(t *testing.T) {
	dir := t.TempDir()
	reg := prometheus.NewRegistry()
	metrics := pipeline.NewMetrics(reg)
	sink := &recordingSink{failFirst: 2}
	opts := spool.Options{Metrics: metrics, Logger: quietLogger()}

	src, err := spool.Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	// Before a shipper runs: these wait in the spool across the restart.
	var ids []string
	for i := range 100 {
		c := click(i, time.Now())
		src.RecordClick(c)
		ids = append(ids, c.ID.String())
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	src, err = spool.Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()

	sh := pipeline.NewShipper(src, plainEnrich, pipeline.CountWrites(sink, metrics), pipeline.ShipperOptions{
		BatchSize: 50, RetryMin: time.Millisecond, Logger: quietLogger(), Metrics: metrics,
	})
	ctx, cancel := context.WithCancel(context.Background())
	runDone := make(chan struct{})
	go func() {
		sh.Run(ctx)
		close(runDone)
	}()

	var mu sync.Mutex
	var wg sync.WaitGroup
	for g := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				c := click(g*100+i, time.Now())
				src.RecordClick(c)
				mu.Lock()
				ids = append(ids, c.ID.String())
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	waitFor(t, "all clicks delivered", func() bool { return len(sink.delivered()) == len(ids) })
	cancel()
	<-runDone
	if err := sh.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}

	got := sink.delivered()
	for _, id := range ids {
		if got[id] != 1 {
			t.Fatalf("click %s delivered %d times, want 1", id, got[id])
		}
	}
	assertMetric(t, reg, "shortener_clicks_spooled_total", "", 1100)
	assertMetric(t, reg, "shortener_clicks_shipped_total", "", 1100)
	assertMetric(t, reg, "shortener_clicks_written_total", "", 1100)
	assertMetric(t, reg, "shortener_click_write_errors_total", "", 2)
	assertMetric(t, reg, "shortener_click_ship_errors_total", "", 2)
	assertMetric(t, reg, "shortener_click_spool_pending", "", 0)
}
