package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/shortener-dev/shortener"
)

// redirectPattern is the route of the hot path.
const redirectPattern = "GET /{code}"

// redirect answers GET and HEAD /{code} (and POST, a posted password form):
// what shortener.Decide makes of the link and the request. A redirect
// that records a click hands it to the recorder (a local spool append)
// before answering; the response never waits on the network for
// analytics or cache writes.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request) {
	if key, t, ok := s.resolveCode(w, r); ok {
		s.answer(w, r, key, t)
	}
}

// resolveCode looks up the code of the request's path on the domain of
// its Host header, within the redirect rate limit, and returns the link
// key it looked up. It has answered the request when ok is false (a junk
// or reserved code, a limited client, a failed lookup).
func (s *Server) resolveCode(w http.ResponseWriter, r *http.Request) (key string, t shortener.Target, ok bool) {
	code := r.PathValue("code")
	if !validCode(code) || shortener.IsReservedCode(code) {
		s.redirectMiss(w, r, http.StatusNotFound)
		return code, t, false
	}
	if s.limits.Redirect.Limit > 0 && !s.admit(w, r, "redirect:"+shortener.ClientKey(s.clientIP(r)), s.limits.Redirect) {
		return code, t, false
	}
	key = shortener.LinkKey(s.domainFor(r).ID, code)
	t, err := s.resolver.Resolve(r.Context(), key)
	if err != nil {
		s.unavailable(w, r, "resolve short code", err)
		return key, t, false
	}
	return key, t, true
}

// answer answers a request for the link of t, whose link key is key.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, key string, t shortener.Target) {
	if r.Method == http.MethodPost && t.Found && t.PasswordHash == "" {
		// Only a password form is posted to a short link. (An unknown
		// code is 404, as for GET.)
		w.Header().Set("Allow", "GET, HEAD")
		writeProblem(w, newProblem(http.StatusMethodNotAllowed, "This link takes no form: use GET."))
		return
	}
	visit := shortener.Visit{Now: s.clock(), Method: r.Method, Query: r.URL.RawQuery}
	var facts *visitFacts
	if t.NeedsFacts() { // a plain link pays for none of the options
		facts = s.newVisitFacts(r, t, visit.Now)
		visit.Facts = facts
	}
	out := shortener.Decide(t, visit)
	if facts != nil && facts.err != nil {
		s.unavailable(w, r, "decide a visit", facts.err)
		return
	}
	switch out.Kind {
	case shortener.OutcomeNotFound:
		s.redirectMiss(w, r, http.StatusNotFound)
	case shortener.OutcomeGone:
		s.redirectMiss(w, r, http.StatusGone)
	case shortener.OutcomePassword:
		s.passwordRefused(w, r, facts)
	case shortener.OutcomeRedirect:
		if facts != nil && facts.counted {
			// A right password was an attempt within the limit too: its
			// redirect says what is left, as a wrong one's 401 does.
			shortener.SetRateHeaders(w.Header(), facts.attempt, passwordAttempts)
		}
		s.follow(w, r, key, t, out, visit)
	}
}

// follow answers a redirect: it uses one of a capped link's clicks
// first, records the click, and sends the link's redirect status.
func (s *Server) follow(w http.ResponseWriter, r *http.Request, key string, t shortener.Target, out shortener.Outcome, v shortener.Visit) {
	if out.UsesClick {
		ctx, cancel := context.WithTimeout(r.Context(), capTimeout)
		ok, err := s.caps.TakeLinkClick(ctx, t.LinkID)
		cancel()
		if err != nil {
			s.unavailable(w, r, "take a click of a capped link", err)
			return
		}
		if !ok {
			s.redirectMiss(w, r, http.StatusGone) // used up by a concurrent request
			return
		}
	}
	if out.Record {
		s.clicks.RecordClick(shortener.Click{
			ID: shortener.NewClickIDAt(v.Now), LinkID: t.LinkID, At: v.Now, Target: out.Target,
			IP: s.clientIP(r), UserAgent: r.Header.Get("User-Agent"), Referrer: visitReferrer(r),
		})
		if s.onHit != nil {
			s.onHit(key)
		}
	}
	h := w.Header()
	h["Location"] = headerValue(w, out.Location)
	h["Cache-Control"] = cacheControlPrivate
	h["X-Robots-Tag"] = robotsNoindex
	if out.Status == http.StatusSeeOther {
		// The answer to the password form, a page of the web app: its
		// headers as the form's (API.md, "Web app").
		h.Set("Content-Security-Policy", emptyPagePolicy)
		h.Set("Referrer-Policy", referrerPolicy)
	}
	w.WriteHeader(out.Status)
	s.metrics.redirected(out.Status)
}

// unavailable answers 503 when a dependency of the redirect failed.
func (s *Server) unavailable(w http.ResponseWriter, r *http.Request, op string, err error) {
	s.metrics.resolveErrors.Inc()
	if s.outageLog.Allow(op) { // counted every time, logged once a minute: an outage fails every redirect
		s.logger.ErrorContext(r.Context(), op, "error", err)
	}
	w.Header().Set("Retry-After", unavailableRetryAfter)
	s.visitFailed(w, r, http.StatusServiceUnavailable, "Temporarily unavailable",
		"The link service is temporarily unavailable; try again shortly.")
}

// capTimeout bounds a capped link's count in the database, as the lookup
// below the L1 is bounded: a stalled database fails the redirect (503)
// rather than holding it.
const capTimeout = 5 * time.Second

// unavailableRetryAfter is the Retry-After of a 503, an answer that failed
// because a dependency did: seconds, about the time a lookup may take.
const unavailableRetryAfter = "5"

var (
	cacheControlPrivate = []string{"private, max-age=0"}
	robotsNoindex       = []string{"noindex"}
)
