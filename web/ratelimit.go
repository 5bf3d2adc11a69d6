package web

import (
	"net/http"
	"time"

	"github.com/shortener-dev/shortener"
)

// limited is a rate-limit refusal. It unwraps to an ERATELIMIT error, so
// that forms and pages report it like any other coded error, and keeps
// the wait for Retry-After.
type limited struct{ wait, window time.Duration }

func (e *limited) Error() string { return "rate limited for " + e.wait.String() }

func (e *limited) Unwrap() error {
	return &shortener.Error{Code: shortener.ERATELIMIT,
		Message: "Too many requests; try again in " + shortener.WaitText(e.seconds()) + "."}
}

// seconds is the wait in whole seconds, as Retry-After says it.
func (e *limited) seconds() int { return shortener.CeilSeconds(e.wait, e.window) }

// admit counts the request against its rate-limit bucket: class with the
// user, or the client IP's bucket when user is nil. Like the API, it sets
// the bucket's RateLimit headers on the answer, admitted or not, and
// Retry-After when it refuses.
func (a *App) admit(w http.ResponseWriter, r *http.Request, class shortener.RateClass, user *shortener.User) error {
	d, limit := a.limiter.Admit(r.Context(), class, user, a.clientIP(r))
	if limit.Limit <= 0 {
		return nil
	}
	shortener.SetRateHeaders(w.Header(), d, limit)
	if d.Allowed {
		return nil
	}
	return &limited{wait: d.RetryAfter, window: limit.Window}
}

// admitView counts a signed-in page view against the user's bucket.
func (a *App) admitView(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := a.admit(w, r, classUser, visitOf(r).user); err != nil {
			a.failPage(w, r, err)
			return
		}
		next(w, r)
	}
}
