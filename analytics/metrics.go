package analytics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/shortener-dev/shortener"
)

// PipelineMetrics are the Prometheus metrics of the click pipeline, from the
// redirect's spool to the click store. Every method is safe on a nil
// *PipelineMetrics, which records nothing.
type PipelineMetrics struct {
	spooled     prometheus.Counter
	shipped     prometheus.Counter
	written     prometheus.Counter
	dropped     *prometheus.CounterVec
	shipErrors  prometheus.Counter
	writeErrors prometheus.Counter
	pending     prometheus.Gauge
	lag         prometheus.Gauge
}

var _ shortener.PipelineMetrics = (*PipelineMetrics)(nil)

// NewPipelineMetrics makes the metrics and registers them with reg (unless
// reg is nil). It panics if they are already registered there, as
// prometheus.MustRegister does: that is a wiring bug.
func NewPipelineMetrics(reg prometheus.Registerer) *PipelineMetrics {
	counter := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help})
	}
	gauge := func(name, help string) prometheus.Gauge {
		return prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help})
	}
	m := &PipelineMetrics{
		spooled: counter("shortener_clicks_spooled_total",
			"Clicks kept by the spool before their redirect answered."),
		shipped: counter("shortener_clicks_shipped_total",
			"Clicks the shipper delivered to the next hop (the click stream or the store)."),
		written: counter("shortener_clicks_written_total",
			"Clicks handed to the click store in successful writes (duplicates of a replay included)."),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shortener_clicks_dropped_total",
			Help: "Clicks lost, by reason.",
		}, []string{"reason"}),
		shipErrors: counter("shortener_click_ship_errors_total",
			"Failed attempts to deliver a batch of clicks; the batch is retried."),
		writeErrors: counter("shortener_click_write_errors_total",
			"Failed writes of a batch of clicks to the click store; the batch is retried."),
		pending: gauge("shortener_click_spool_pending",
			"Clicks in the spool not yet delivered."),
		lag: gauge("shortener_click_pipeline_lag_seconds",
			"Age of the oldest click not yet delivered by the shipper; 0 when none is waiting."),
	}
	// Every reason exported as zero from the start, so that an alert on
	// one has a series to watch.
	for _, r := range shortener.DropReasons {
		m.dropped.WithLabelValues(string(r))
	}
	if reg != nil {
		reg.MustRegister(m.spooled, m.shipped, m.written, m.dropped,
			m.shipErrors, m.writeErrors, m.pending, m.lag)
	}
	return m
}

// ClicksSpooled counts clicks kept by the spool.
func (m *PipelineMetrics) ClicksSpooled(n int) {
	if m != nil {
		m.spooled.Add(float64(n))
	}
}

// ClicksDropped counts clicks lost for reason.
func (m *PipelineMetrics) ClicksDropped(reason shortener.DropReason, n int) {
	if m != nil {
		m.dropped.WithLabelValues(string(reason)).Add(float64(n))
	}
}

// ClicksShipped counts clicks delivered by the shipper.
func (m *PipelineMetrics) ClicksShipped(n int) {
	if m != nil {
		m.shipped.Add(float64(n))
	}
}

// ClicksWritten counts clicks written to the click store.
func (m *PipelineMetrics) ClicksWritten(n int) {
	if m != nil {
		m.written.Add(float64(n))
	}
}

// ShipError counts a failed delivery attempt.
func (m *PipelineMetrics) ShipError() {
	if m != nil {
		m.shipErrors.Inc()
	}
}

// WriteError counts a failed write to the click store.
func (m *PipelineMetrics) WriteError() {
	if m != nil {
		m.writeErrors.Inc()
	}
}

// SetPending sets the number of clicks waiting in the spool.
func (m *PipelineMetrics) SetPending(n int) {
	if m != nil {
		m.pending.Set(float64(n))
	}
}

// SetLag sets the age of the oldest click not yet delivered.
func (m *PipelineMetrics) SetLag(d time.Duration) {
	if m != nil {
		m.lag.Set(max(d, 0).Seconds())
	}
}

// CountWrites wraps the click store (or anything that writes clicks to it)
// so that its successful writes count as written and its failures as write
// errors. Wrap the store where it is the last hop: the shipper's sink in
// embedded mode, the click stream consumer's writer in Redis mode.
func (m *PipelineMetrics) CountWrites(store shortener.ClickWriter) shortener.ClickWriter {
	return countedWriter{store: store, m: m}
}

type countedWriter struct {
	store shortener.ClickWriter
	m     *PipelineMetrics
}

func (w countedWriter) WriteClicks(ctx context.Context, clicks []shortener.ClickEvent) error {
	if err := w.store.WriteClicks(ctx, clicks); err != nil {
		w.m.WriteError()
		return err
	}
	w.m.ClicksWritten(len(clicks))
	return nil
}
