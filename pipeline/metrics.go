package pipeline

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shortener-dev/shortener"
)

// Metrics are the Prometheus metrics of the click pipeline, from the
// redirect's spool to the click store. Every method is safe on a nil
// *Metrics, which records nothing.
type Metrics struct {
	spooled     prometheus.Counter
	shipped     prometheus.Counter
	written     prometheus.Counter
	dropped     *prometheus.CounterVec
	shipErrors  prometheus.Counter
	writeErrors prometheus.Counter
	pending     prometheus.Gauge
	lag         prometheus.Gauge
	spoolWrite  prometheus.Histogram
}

var _ shortener.PipelineMetrics = (*Metrics)(nil)

// NewMetrics makes the metrics and registers them with reg (unless reg is
// nil). It panics if they are already registered there, as
// prometheus.MustRegister does: that is a wiring bug.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	counter := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help})
	}
	gauge := func(name, help string) prometheus.Gauge {
		return prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help})
	}
	m := &Metrics{
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
		spoolWrite: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "shortener_click_spool_write_seconds",
			Help:    "Time of each write of the click spool's log (CLICK_SPOOL=disk), which the redirects of its clicks wait for.",
			Buckets: []float64{.00005, .0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25},
		}),
	}
	// Every reason exported as zero from the start, so that an alert on
	// one has a series to watch.
	for _, r := range shortener.DropReasons {
		m.dropped.WithLabelValues(string(r))
	}
	if reg != nil {
		reg.MustRegister(m.spooled, m.shipped, m.written, m.dropped,
			m.shipErrors, m.writeErrors, m.pending, m.lag, m.spoolWrite)
	}
	return m
}

// ClicksSpooled counts clicks kept by the spool.
func (m *Metrics) ClicksSpooled(n int) {
	if m != nil {
		m.spooled.Add(float64(n))
	}
}

// SpoolWrite records the time of one write of the spool's log.
func (m *Metrics) SpoolWrite(took time.Duration) {
	if m != nil {
		m.spoolWrite.Observe(took.Seconds())
	}
}

// ClicksDropped counts clicks lost for reason.
func (m *Metrics) ClicksDropped(reason shortener.DropReason, n int) {
	if m != nil {
		m.dropped.WithLabelValues(string(reason)).Add(float64(n))
	}
}

// ClicksShipped counts clicks delivered by the shipper.
func (m *Metrics) ClicksShipped(n int) {
	if m != nil {
		m.shipped.Add(float64(n))
	}
}

// ClicksWritten counts clicks written to the click store.
func (m *Metrics) ClicksWritten(n int) {
	if m != nil {
		m.written.Add(float64(n))
	}
}

// ShipError counts a failed delivery attempt.
func (m *Metrics) ShipError() {
	if m != nil {
		m.shipErrors.Inc()
	}
}

// WriteError counts a failed write to the click store.
func (m *Metrics) WriteError() {
	if m != nil {
		m.writeErrors.Inc()
	}
}

// SetPending sets the number of clicks waiting in the spool.
func (m *Metrics) SetPending(n int) {
	if m != nil {
		m.pending.Set(float64(n))
	}
}

// SetLag sets the age of the oldest click not yet delivered; a negative
// age (the clocks of two machines) counts as 0.
func (m *Metrics) SetLag(d time.Duration) {
	if m != nil {
		m.lag.Set(max(d, 0).Seconds())
	}
}
