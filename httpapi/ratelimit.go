package httpapi

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/shortener-dev/shortener"
)

// rateLimit is the API's huma middleware: it applies the limit of the
// operation's class before the request body is read, so that calls answered
// 4xx count too.
func (s *Server) rateLimit(ctx huma.Context, next func(huma.Context)) {
	class, _ := ctx.Operation().Metadata[rateClassKey].(shortener.RateClass)
	r, w := humago.Unwrap(ctx)
	if s.admitClass(w, r, class) {
		next(ctx)
	}
}

// admitClass applies the limit of class to r. It reports false when it has
// answered 429.
func (s *Server) admitClass(w http.ResponseWriter, r *http.Request, class shortener.RateClass) bool {
	a := authFrom(r.Context())
	key, limit := s.limits.Bucket(class, a.user, a.clientIP)
	return limit.Limit <= 0 || s.admit(w, r, key, limit)
}

// limiterUnavailable counts a failed limiter check and logs it at most
// once a minute; the request goes through (failing open).
func (s *Server) limiterUnavailable(r *http.Request, err error) {
	s.metrics.limiterErrors.Inc()
	if s.outageLog.Allow("rate limit") {
		s.logger.WarnContext(r.Context(), "rate limiter unavailable; failing open", slog.Any("error", err))
	}
}

// admit asks the limiter, sets the RateLimit headers and answers 429 when
// the limit is reached. A limiter that fails lets the request through
// (failing open), logged at most once a minute and counted.
func (s *Server) admit(w http.ResponseWriter, r *http.Request, key string, limit shortener.RateLimit) bool {
	d, err := s.limiter.Allow(r.Context(), key, limit)
	if err != nil {
		s.limiterUnavailable(r, err)
		return true
	}
	retry := shortener.SetRateHeaders(w.Header(), d, limit)
	if d.Allowed {
		return true
	}
	s.metrics.rateLimited.Inc()
	writeProblem(w, newProblem(http.StatusTooManyRequests,
		"Too many requests: the limit is "+strconv.Itoa(limit.Limit)+" per "+strconv.Itoa(int(limit.Window/time.Second))+
			" seconds. Retry in "+strconv.Itoa(retry)+" seconds."))
	return false
}
