package httpapi

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/shortener-dev/shortener/internal/allow"
)

// observe begins the exchange of every request (its ID), logs it and
// records its metrics. Redirects are logged at debug level: at tens of
// thousands a second their log lines would cost more than the redirect
// itself; the metrics still count each one.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw, r := s.begin(w, r)
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.logger.ErrorContext(r.Context(), "panic serving request",
					slog.String("panic", fmt.Sprint(v)), slog.String("stack", string(debug.Stack())))
				if sw.status == 0 {
					writeProblem(sw, newProblem(http.StatusInternalServerError, "Internal error."))
				}
			}
			elapsed := time.Since(start)
			status := sw.status
			if status == 0 {
				status = http.StatusOK
			}
			route := sw.route
			if route == "" {
				route = r.Pattern
			}
			if route == "" {
				route = "unmatched"
			}
			s.metrics.observe(route, methodLabel(r.Method), status, elapsed)
			level := slog.LevelInfo
			if route == redirectPattern && status < 500 {
				level = slog.LevelDebug
			}
			if s.logger.Enabled(r.Context(), level) {
				s.logger.LogAttrs(r.Context(), level, "request",
					slog.String("method", methodLogValue(r.Method)), slog.String("path", pathLogValue(r.URL.Path)),
					slog.Int("status", status), slog.Int("bytes", sw.bytes),
					slog.Duration("duration", elapsed), slog.String("client_ip", s.clientIP(r).String()),
				)
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

// cors answers preflight requests and adds CORS headers for the allowed
// origins.
func (s *Server) cors(next http.Handler) http.Handler {
	if len(s.corsOrigins) == 0 {
		return next
	}
	allowed := map[string]bool{}
	for _, o := range s.corsOrigins {
		allowed[o] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		// Every answer depends on the Origin once CORS is on: a shared
		// cache (a QR code is public for a day) must not give one
		// origin's copy to another.
		h.Add("Vary", "Origin")
		origin := r.Header.Get("Origin")
		if origin == "" || !(allowed[origin] || allowed["*"]) {
			next.ServeHTTP(w, r)
			return
		}
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Expose-Headers", "X-Request-ID, Location, Retry-After, RateLimit-Limit, RateLimit-Remaining, "+
			"RateLimit-Reset, ETag, WWW-Authenticate, Content-Disposition")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", serverMethods)
			h.Set("Access-Control-Allow-Headers", "Authorization, X-API-Key, Content-Type, X-Request-ID, If-None-Match, X-Link-Password")
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// unmatched answers requests that match no route (it is registered as the
// catch-all "/"): 405 with Allow when the path exists for other methods,
// else 404, both as problem+json instead of the mux's plain text.
func (s *Server) unmatched(w http.ResponseWriter, r *http.Request) {
	s.unmatchedIn(s.mux, w, r)
}

// unmatchedIn is unmatched for the routes of mux. The password form's
// POST /{code} counts only on a path that can be a code.
func (s *Server) unmatchedIn(mux *http.ServeMux, w http.ResponseWriter, r *http.Request) {
	methods := allow.Methods(mux, r, func(pattern string) bool {
		return pattern == "/" || (pattern == passwordPostPattern && !s.codePath(r))
	})
	if len(methods) == 0 {
		writeProblem(w, noResource())
		return
	}
	w.Header().Set("Allow", strings.Join(methods, ", "))
	writeProblem(w, newProblem(http.StatusMethodNotAllowed,
		"This method is not allowed here; allowed: "+strings.Join(methods, ", ")+"."))
}
