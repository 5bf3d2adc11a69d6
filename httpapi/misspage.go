package httpapi

import (
	"html/template"
	"net/http"
	"strings"
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
