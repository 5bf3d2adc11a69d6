package httpapi

import (
	"context"
	"log/slog"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
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

// authState is what the API middleware learned from the Authorization
// header, kept in the request context for the handlers.
type authState struct {
	present  bool   // a Bearer token was sent
	userID   string // set when the token verified
	err      error  // why it did not
	clientIP netip.Addr
}

func authFrom(ctx context.Context) authState {
	a, _ := ctx.Value(authKey).(authState)
	return a
}

// bearerToken returns the token of an "Authorization: Bearer" header.
func bearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", false
	}
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", true
	}
	return strings.TrimSpace(token), true
}

// api verifies the access token (signature only, no database) and applies
// the rate limit of the call: register and login have buckets of their own
// per client IP; every other call counts per user, or per client IP
// without a valid token. Health checks are not limited.
func (s *Server) api(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := authState{clientIP: s.clientIP(r)}
		if token, ok := bearerToken(r); ok {
			a.present = true
			a.userID, a.err = s.auth.VerifyAccess(token)
		}
		ctx := context.WithValue(r.Context(), authKey, a)
		r = r.WithContext(ctx)

		key, limit := s.bucket(r, a)
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
	case a.userID != "":
		return "user:" + a.userID, s.limits.User
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
