package web

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/shortener-dev/shortener"
)

// limited is a rate-limit refusal. It unwraps to an ERATELIMIT error, so
// that forms and pages report it like any other coded error, and keeps
// the wait for Retry-After.
type limited struct{ wait time.Duration }

func (e *limited) Error() string { return "rate limited for " + e.wait.String() }

func (e *limited) Unwrap() error {
	return &shortener.Error{Code: shortener.ERATELIMIT,
		Message: fmt.Sprintf("Too many attempts; try again in %s.", plural(int64(e.seconds()), "second", "seconds"))}
}

// seconds is the wait in whole seconds, rounded up, at least 1.
func (e *limited) seconds() int { return max(1, int(math.Ceil(e.wait.Seconds()))) }

// admit counts the request against its rate-limit bucket: class with the
// user, or the client IP's bucket when user is nil.
func (a *App) admit(r *http.Request, class shortener.RateClass, user *shortener.User) error {
	ok, wait := a.limiter.Admit(r.Context(), class, user, a.clientIP(r))
	if ok {
		return nil
	}
	return &limited{wait: wait}
}

// admitView counts a signed-in page view against the user's bucket.
func (a *App) admitView(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := a.admit(r, classUser, visitOf(r).user); err != nil {
			a.failPage(w, r, err)
			return
		}
		next(w, r)
	}
}

// setRetryAfter sets Retry-After when err is a rate-limit refusal.
func setRetryAfter(w http.ResponseWriter, err error) {
	var l *limited
	if errors.As(err, &l) {
		w.Header().Set("Retry-After", strconv.Itoa(l.seconds()))
	}
}
