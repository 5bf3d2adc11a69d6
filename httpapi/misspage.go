package httpapi

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/shortener-dev/shortener"
)

// missPage is the page of a code that does not redirect, styled by the
// web app's stylesheet (Config.Stylesheet) like the app's own pages.
var missPage = template.Must(template.New("miss").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{{.Heading}}</title>
{{with .CSS}}<link rel="stylesheet" href="{{.}}">
{{end}}</head><body><main><div class="wrap narrow"><h1>{{.Heading}}</h1><p>{{.Detail}}</p><p><a href="/">Shorten a link of your own</a></p></div></main></body></html>
`))

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
	if status == http.StatusGone {
		s.visitFailed(w, r, status, "Link expired", "This short link has expired, or has had all the clicks it allows.")
		return
	}
	s.visitFailed(w, r, status, "Link not found", "This short link does not exist or has been disabled.")
}

// visitFailed answers a visit of a short link that cannot be followed:
// the small page of heading and detail for browsers, in the app's style,
// and problem+json with detail for everyone else.
func (s *Server) visitFailed(w http.ResponseWriter, r *http.Request, status int, heading, detail string) {
	h := w.Header()
	h["X-Robots-Tag"] = robotsNoindex
	if !acceptsHTML(r) {
		writeProblem(w, newProblem(status, detail))
		return
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", pagePolicy)
	h.Set("Referrer-Policy", referrerPolicy)
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_ = missPage.Execute(w, struct{ Heading, Detail, CSS string }{heading, detail, s.stylesheet})
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

// acceptsHTML reports whether the client asks for text/html, as browsers
// do: Accept names text/html (or text/*) with a quality above 0 and at
// least that of JSON (application/problem+json, application/json,
// application/* or */*). Each type takes the quality of the most specific
// element that matches it. "*/*" alone is JSON.
func acceptsHTML(r *http.Request) bool {
	var html, json acceptMatch
	for _, v := range r.Header.Values("Accept") {
		for media, q := range shortener.QualityValues(v) {
			major, minor, _ := strings.Cut(media, "/")
			switch {
			case strings.EqualFold(major, "text") && strings.EqualFold(minor, "html"):
				html.offer(3, q)
			case strings.EqualFold(major, "text") && minor == "*":
				html.offer(2, q)
			case strings.EqualFold(major, "application") &&
				(strings.EqualFold(minor, "problem+json") || strings.EqualFold(minor, "json")):
				json.offer(3, q)
			case strings.EqualFold(major, "application") && minor == "*":
				json.offer(2, q)
			case major == "*" && minor == "*":
				html.offer(1, q)
				json.offer(1, q)
			}
		}
	}
	return html.rank >= 2 && html.q > 0 && html.q >= json.q
}

// acceptMatch is the quality Accept gives a media type: that of the most
// specific element matching it (rank 3 names the type, 2 its major type
// with "*", 1 is "*/*"); of equally specific ones, the highest.
type acceptMatch struct {
	rank int
	q    float64
}

func (m *acceptMatch) offer(rank int, q float64) {
	if rank > m.rank || (rank == m.rank && q > m.q) {
		m.rank, m.q = rank, q
	}
}
