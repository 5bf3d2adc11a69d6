package httpapi

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/shortener-dev/shortener"
)

// redirectPattern is the route of the hot path.
const redirectPattern = "GET /{code}"

// redirect answers GET and HEAD /{code}: 302 to the target, 404 for
// unknown, disabled or deleted codes, 410 for expired ones. A GET hands
// its click to the recorder (a local spool append) before answering; the
// response never waits on the network for analytics or cache writes.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	if !validCode(code) || shortener.IsReservedCode(code) {
		s.redirectMiss(w, r, http.StatusNotFound)
		return
	}
	if s.limits.Redirect.Limit > 0 && !s.admit(w, r, "redirect:"+shortener.ClientKey(s.clientIP(r)), s.limits.Redirect) {
		return
	}
	t, err := s.resolver.Resolve(r.Context(), code)
	if err != nil {
		s.metrics.resolveErrors.Inc()
		s.logger.ErrorContext(r.Context(), "resolve short code", "code", code, "error", err)
		writeProblem(w, newProblem(http.StatusServiceUnavailable, "The link service is temporarily unavailable; try again shortly."))
		return
	}
	if !t.Found || !t.Active {
		s.redirectMiss(w, r, http.StatusNotFound)
		return
	}
	now := s.clock()
	if t.Expired(now) {
		s.redirectMiss(w, r, http.StatusGone)
		return
	}
	if r.Method == http.MethodGet {
		s.clicks.RecordClick(shortener.Click{
			ID: shortener.NewIDAt(now), LinkID: t.LinkID, At: now,
			IP: s.clientIP(r).String(), UserAgent: r.Header.Get("User-Agent"), Referrer: r.Header.Get("Referer"),
		})
		if s.onHit != nil {
			s.onHit(code)
		}
	}
	h := w.Header()
	h["Location"] = []string{t.URL}
	h["Cache-Control"] = cacheControlPrivate
	h["X-Robots-Tag"] = robotsNoindex
	w.WriteHeader(http.StatusFound)
	s.metrics.redirectFound.Inc()
}

var (
	cacheControlPrivate = []string{"private, max-age=0"}
	robotsNoindex       = []string{"noindex"}
)

// missStyle is the one resource of the miss page; missPolicy allows it by
// its hash.
const missStyle = `body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}`

var (
	missPage = template.Must(template.New("miss").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<title>{{.Title}}</title>
<style>` + missStyle + `</style>
</head><body><h1>{{.Title}}</h1><p>{{.Detail}}</p></body></html>
`))
	missPolicy = pagePolicy(missStyle)
)

// redirectMiss answers a code that does not redirect: a small HTML page
// for browsers, problem+json for everyone else.
func (s *Server) redirectMiss(w http.ResponseWriter, r *http.Request, status int) {
	s.metrics.redirects.WithLabelValues(statusText(status)).Inc()
	detail := "This short link does not exist or has been disabled."
	if status == http.StatusGone {
		detail = "This short link has expired."
	}
	h := w.Header()
	h["X-Robots-Tag"] = robotsNoindex
	if !acceptsHTML(r) {
		writeProblem(w, newProblem(status, detail))
		return
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", missPolicy)
	h.Set("Referrer-Policy", referrerPolicy)
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_ = missPage.Execute(w, struct{ Title, Detail string }{http.StatusText(status), detail})
	}
}

func statusText(status int) string {
	switch status {
	case http.StatusNotFound:
		return "404"
	case http.StatusGone:
		return "410"
	}
	return "other"
}

// acceptsHTML reports whether the client asks for text/html, as browsers do.
func acceptsHTML(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept") {
		if strings.Contains(strings.ToLower(v), "text/html") {
			return true
		}
	}
	return false
}
