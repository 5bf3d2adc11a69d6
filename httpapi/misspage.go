package httpapi

import (
	"html/template"
	"net/http"
	"strings"
)

// missStyle is the one resource of the miss page; missPolicy allows it by
// its hash.
const missStyle = `body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2328;background:#fff;line-height:1.5}` +
	`a{color:#0550ae;display:inline-block;min-height:44px;line-height:44px}:focus-visible{outline:3px solid #0969da;outline-offset:2px}` +
	`@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}a{color:#58a6ff}}`

var (
	missPage = template.Must(template.New("miss").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Heading}}</title>
<style>` + missStyle + `</style>
</head><body><main><h1>{{.Heading}}</h1><p>{{.Detail}}</p><p><a href="/">Shorten a link of your own</a></p></main></body></html>
`))
	missPolicy = pagePolicy(missStyle)
)

// redirectMiss answers a code that does not redirect: a small HTML page
// for browsers, problem+json for everyone else.
func (s *Server) redirectMiss(w http.ResponseWriter, r *http.Request, status int) {
	if d := s.domainFor(r); status == http.StatusNotFound && d.NotFoundURL != nil {
		// The domain sends unknown codes elsewhere, browsers and API
		// clients alike.
		s.redirectTo(w, *d.NotFoundURL)
		return
	}
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
		heading := "Link not found"
		if status == http.StatusGone {
			heading = "Link expired"
		}
		_ = missPage.Execute(w, struct{ Heading, Detail string }{heading, detail})
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
