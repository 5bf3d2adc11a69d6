package httpapi

import (
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/shortener-dev/shortener"
)

// Limits are the rate limits of CONFIG.md.
type Limits struct {
	User     shortener.RateLimit // API calls with a valid token, per user
	Anon     shortener.RateLimit // API calls without one, per client IP
	Register shortener.RateLimit // registrations per client IP
	Login    shortener.RateLimit // login attempts per client IP
	Redirect shortener.RateLimit // redirects per client IP; Limit 0 = off
}

// limit applies the rate limit of the call: register and login have
// buckets of their own per client IP; every other call counts per user, or
// per client IP without an authenticated caller. Health checks are not
// limited.
func (s *Server) limit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, limit := s.bucket(r, authFrom(r.Context()))
		if limit.Limit > 0 && !s.admit(w, r, key, limit) {
			return
		}
		next.ServeHTTP(w, r)
	})
}

// bucket picks the rate-limit key and limit for an API call.
func (s *Server) bucket(r *http.Request, a authState) (string, shortener.RateLimit) {
	path := r.URL.Path
	switch {
	case path == "/api/v1/health":
		return "", shortener.RateLimit{}
	case path == "/api/v1/auth/register":
		return "register:" + a.clientIP.String(), s.limits.Register
	case path == "/api/v1/auth/login":
		return "login:" + a.clientIP.String(), s.limits.Login
	case a.user != nil:
		return "user:" + a.user.ID, s.limits.User
	default:
		return "ip:" + a.clientIP.String(), s.limits.Anon
	}
}

// admit asks the limiter, sets the RateLimit headers and answers 429 when
// the limit is reached. A limiter that fails lets the request through
// (failing open), logged at most once a minute and counted.
func (s *Server) admit(w http.ResponseWriter, r *http.Request, key string, limit shortener.RateLimit) bool {
	d, err := s.limiter.Allow(r.Context(), key, limit)
	if err != nil {
		s.metrics.limiterErrors.Inc()
		if s.limiterLog.Allow("rate limit") {
			s.logger.WarnContext(r.Context(), "rate limiter unavailable; failing open", slog.Any("error", err))
		}
		return true
	}
	h := w.Header()
	h.Set("RateLimit-Limit", strconv.Itoa(d.Limit))
	h.Set("RateLimit-Remaining", strconv.Itoa(d.Remaining))
	h.Set("RateLimit-Reset", strconv.Itoa(ceilSeconds(d.Reset, limit.Window)))
	if d.Allowed {
		return true
	}
	s.metrics.rateLimited.Inc()
	retry := ceilSeconds(d.RetryAfter, limit.Window)
	h.Set("Retry-After", strconv.Itoa(retry))
	writeProblem(w, newProblem(http.StatusTooManyRequests,
		"Too many requests: the limit is "+strconv.Itoa(limit.Limit)+" per "+strconv.Itoa(int(limit.Window/time.Second))+
			" seconds. Retry in "+strconv.Itoa(retry)+" seconds."))
	return false
}

// ceilSeconds rounds d up to whole seconds, between 1 and the window.
func ceilSeconds(d, window time.Duration) int {
	n := int(math.Ceil(d.Seconds()))
	max := int(math.Ceil(window.Seconds()))
	if n < 1 {
		n = 1
	}
	if n > max {
		n = max
	}
	return n
}
