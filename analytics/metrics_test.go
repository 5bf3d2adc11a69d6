package analytics_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/analytics"
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

func TestPipelineMetricsNilIsSafe(t *testing.T) {
	var m *analytics.PipelineMetrics
	m.ClicksSpooled(1)
	m.ClicksDropped(shortener.DropSpoolFull, 1)
	m.ClicksShipped(1)
	m.ClicksWritten(1)
	m.ShipError()
	m.WriteError()
	m.SetPending(1)
	m.SetLag(time.Second)
	sink := &recordingSink{}
	if err := m.CountWrites(sink).WriteClicks(context.Background(), []shortener.ClickEvent{{ID: "a"}}); err != nil {
		t.Fatal(err)
	}
	if len(sink.delivered()) != 1 {
		t.Fatal("CountWrites on nil metrics did not pass the write on")
	}
}

func TestPipelineMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := analytics.NewPipelineMetrics(reg)
	// Every known drop reason is exported before anything is dropped.
	assertMetric(t, reg, "shortener_clicks_dropped_total", "spool_full", 0)
	assertMetric(t, reg, "shortener_clicks_dropped_total", "stream_undecodable", 0)
	m.ClicksDropped(shortener.DropSpoolFull, 2)
	m.ClicksSpooled(5)
	m.SetLag(-time.Second) // clocks of two machines: never negative
	assertMetric(t, reg, "shortener_clicks_dropped_total", "spool_full", 2)
	assertMetric(t, reg, "shortener_clicks_spooled_total", "", 5)
	assertMetric(t, reg, "shortener_click_pipeline_lag_seconds", "", 0)

	ok := &recordingSink{}
	events := []shortener.ClickEvent{{ID: "a"}, {ID: "b"}}
	if err := m.CountWrites(ok).WriteClicks(context.Background(), events); err != nil {
		t.Fatal(err)
	}
	failing := &recordingSink{alwaysFail: true}
	if err := m.CountWrites(failing).WriteClicks(context.Background(), events); !errors.Is(err, errSinkDown) {
		t.Fatalf("CountWrites changed the error: %v", err)
	}
	assertMetric(t, reg, "shortener_clicks_written_total", "", 2)
	assertMetric(t, reg, "shortener_click_write_errors_total", "", 1)
}
