package httpapi

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// httpMetrics are the server's own Prometheus metrics.
type httpMetrics struct {
	requests      *prometheus.CounterVec
	duration      *prometheus.HistogramVec
	rateLimited   prometheus.Counter
	limiterErrors prometheus.Counter
	redirects     *prometheus.CounterVec
	redirectFound prometheus.Counter // redirects{status="302"}, resolved once for the hot path
	resolveErrors prometheus.Counter
	series        sync.Map // seriesKey → *series
}

func newHTTPMetrics(reg prometheus.Registerer) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shortener_http_requests_total", Help: "HTTP requests by route, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "shortener_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
		rateLimited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "shortener_rate_limited_total", Help: "Requests refused by a rate limit.",
		}),
		limiterErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "shortener_rate_limiter_errors_total", Help: "Rate-limit checks that failed (the request was let through).",
		}),
		redirects: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shortener_redirects_total", Help: "Redirect answers by status: 301, 302, 303, 307 and 308 are redirects (each GET among them a click that should reach analytics), 404 and 410 misses.",
		}, []string{"status"}),
		resolveErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "shortener_resolve_errors_total", Help: "Redirect lookups that failed in every layer.",
		}),
	}
	m.redirectFound = m.redirects.WithLabelValues("302")
	reg.MustRegister(m.requests, m.duration, m.rateLimited, m.limiterErrors, m.redirects, m.resolveErrors)
	return m
}

// seriesKey names the metric series of one kind of response.
type seriesKey struct {
	route, method string
	status        int
}

type series struct {
	requests prometheus.Counter
	duration prometheus.Observer
}

// observe counts a response. The series are looked up once per kind of
// response and kept: resolving label values on every request would cost
// the redirect more than the rest of its bookkeeping.
func (m *httpMetrics) observe(route, method string, status int, d time.Duration) {
	k := seriesKey{route, method, status}
	v, ok := m.series.Load(k)
	if !ok {
		v, _ = m.series.LoadOrStore(k, &series{
			requests: m.requests.WithLabelValues(route, method, strconv.Itoa(status)),
			duration: m.duration.WithLabelValues(route),
		})
	}
	sr := v.(*series)
	sr.requests.Inc()
	sr.duration.Observe(d.Seconds())
}

// redirected counts a redirect answered with status (301, 302, 303, 307,
// 308): the hot path's 302 without a label lookup.
func (m *httpMetrics) redirected(status int) {
	if status == http.StatusFound {
		m.redirectFound.Inc()
		return
	}
	m.redirects.WithLabelValues(strconv.Itoa(status)).Inc()
}
