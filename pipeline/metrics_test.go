package pipeline_test

import (
	"math"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/pipeline"
)

// assertMetric checks the value of the series name{reason=label} (or name,
// when label is "") in reg.
func assertMetric(t *testing.T, reg *prometheus.Registry, name, label string, want float64) {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			if label != "" && (len(m.GetLabel()) != 1 || m.GetLabel()[0].GetValue() != label) {
				continue
			}
			got := m.GetCounter().GetValue() + m.GetGauge().GetValue()
			if got != want {
				t.Fatalf("%s{%s} = %v, want %v", name, label, got, want)
			}
			return
		}
	}
	t.Fatalf("no series %s{%s}", name, label)
}

func TestMetricsNilIsSafe(t *testing.T) {
	var m *pipeline.Metrics
	m.ClicksSpooled(1)
	m.ClicksDropped(shortener.DropSpoolFull, 1)
	m.ClicksShipped(1)
	m.ClicksWritten(1)
	m.ShipError()
	m.WriteError()
	m.SetPending(1)
	m.SetLag(time.Second)
	m.SpoolWrite(time.Millisecond)
}

func TestMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := pipeline.NewMetrics(reg)
	// Every drop reason is exported before anything is dropped, under the
	// label values that dashboards and alerts already use.
	labels := []string{"spool_closed", "spool_write_failed", "spool_overflow", "spool_full",
		"spool_corrupt", "stream_undecodable"}
	if len(shortener.DropReasons) != len(labels) {
		t.Fatalf("%d drop reasons, want %d: %v", len(shortener.DropReasons), len(labels), shortener.DropReasons)
	}
	for _, label := range labels {
		assertMetric(t, reg, "shortener_clicks_dropped_total", label, 0)
	}
	m.ClicksDropped(shortener.DropSpoolFull, 2)
	m.ClicksSpooled(5)
	m.ClicksShipped(4)
	m.ClicksWritten(3)
	m.ShipError()
	m.WriteError()
	m.WriteError()
	m.SetPending(7)
	m.SetLag(-time.Second) // clocks of two machines: never negative
	assertMetric(t, reg, "shortener_clicks_dropped_total", "spool_full", 2)
	assertMetric(t, reg, "shortener_clicks_spooled_total", "", 5)
	assertMetric(t, reg, "shortener_clicks_shipped_total", "", 4)
	assertMetric(t, reg, "shortener_clicks_written_total", "", 3)
	assertMetric(t, reg, "shortener_click_ship_errors_total", "", 1)
	assertMetric(t, reg, "shortener_click_write_errors_total", "", 2)
	assertMetric(t, reg, "shortener_click_spool_pending", "", 7)
	assertMetric(t, reg, "shortener_click_pipeline_lag_seconds", "", 0)
	m.SetLag(1500 * time.Millisecond)
	assertMetric(t, reg, "shortener_click_pipeline_lag_seconds", "", 1.5)

	m.SpoolWrite(200 * time.Microsecond)
	m.SpoolWrite(30 * time.Millisecond)
	h := histogram(t, reg, "shortener_click_spool_write_seconds")
	if h.GetSampleCount() != 2 || math.Abs(h.GetSampleSum()-0.0302) > 1e-12 {
		t.Fatalf("spool writes: count %d, sum %v; want 2, 0.0302", h.GetSampleCount(), h.GetSampleSum())
	}
	// The buckets tell a 200 µs write from a 30 ms one.
	for _, b := range h.GetBucket() {
		want := uint64(0)
		switch {
		case b.GetUpperBound() >= 0.03:
			want = 2
		case b.GetUpperBound() >= 0.0002:
			want = 1
		}
		if b.GetCumulativeCount() != want {
			t.Fatalf("bucket le=%v holds %d writes, want %d", b.GetUpperBound(), b.GetCumulativeCount(), want)
		}
	}
}

func histogram(t *testing.T, reg *prometheus.Registry, name string) *dto.Histogram {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() == name && len(f.GetMetric()) == 1 {
			return f.GetMetric()[0].GetHistogram()
		}
	}
	t.Fatalf("no histogram %s", name)
	return nil
}
