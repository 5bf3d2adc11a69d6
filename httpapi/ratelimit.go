package httpapi

import (
	"context"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/shortener-dev/shortener"
)

// Limits are the rate limits of CONFIG.md.
type Limits struct {
	User     shortener.RateLimit // API calls of an authenticated caller, per user
	Anon     shortener.RateLimit // API calls without one, per client IP
	Register shortener.RateLimit // registrations per client IP
	Login    shortener.RateLimit // login attempts per client IP
	Redirect shortener.RateLimit // redirects per client IP; Limit 0 = off
}

// rateClass is the rate-limit bucket an API call counts against. Every
// operation states its class where it is registered (registerOp), so that
// each call counts against exactly one bucket.
type rateClass int

const (
	// rateGeneral counts per user, or per client IP without an
	// authenticated caller. It is the zero value: a call whose operation
	// declares nothing, or that matches no operation, still counts.
	rateGeneral  rateClass = iota
	rateRegister           // registrations, per client IP, successful or not
	rateLogin              // login attempts, per client IP, successful or not
	rateNone               // never limited: the health check
)

// rateClassKey holds an operation's rateClass in huma.Operation.Metadata,
// which the OpenAPI document leaves out.
const rateClassKey = "httpapi.rateClass"

// registerOp registers an operation whose calls count against the bucket of
// class.
func registerOp[I, O any](api huma.API, class rateClass, op huma.Operation, handler func(context.Context, *I) (*O, error)) {
	if op.Metadata == nil {
		op.Metadata = map[string]any{}
	}
	op.Metadata[rateClassKey] = class
	huma.Register(api, op, handler)
}

// rateLimit is the API's huma middleware: it applies the limit of the
// operation's class before the request body is read, so that calls answered
// 4xx count too.
func (s *Server) rateLimit(ctx huma.Context, next func(huma.Context)) {
	class, _ := ctx.Operation().Metadata[rateClassKey].(rateClass)
	r, w := humago.Unwrap(ctx)
	if s.admitClass(w, r, class) {
		next(ctx)
	}
}

// admitClass applies the limit of class to r. It reports false when it has
// answered 429.
func (s *Server) admitClass(w http.ResponseWriter, r *http.Request, class rateClass) bool {
	key, limit := s.bucket(class, authFrom(r.Context()))
	return limit.Limit <= 0 || s.admit(w, r, key, limit)
}

// bucket returns the rate-limit key and limit of a call of class. The key
// formats are shared with other instances through Redis: keep them. A
// client without a user is keyed by clientKey (its IPv6 /64).
func (s *Server) bucket(class rateClass, a authState) (string, shortener.RateLimit) {
	switch {
	case class == rateNone:
		return "", shortener.RateLimit{}
	case class == rateRegister:
		return "register:" + clientKey(a.clientIP), s.limits.Register
	case class == rateLogin:
		return "login:" + clientKey(a.clientIP), s.limits.Login
	case a.user != nil:
		return "user:" + a.user.ID, s.limits.User
	default:
		return "ip:" + clientKey(a.clientIP), s.limits.Anon
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
