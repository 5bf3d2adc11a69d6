package httpapi

import (
	"net/http"
	"strings"

	"github.com/shortener-dev/shortener"
)

// domainPages answers what a domain's host decides before routing: GET /
// on a domain with a root_url redirects there (on the default domain too,
// instead of the home page), and the home page and the web app (/app/...)
// exist on the default domain only; another domain answers them 404.
// Every other path goes on untouched, after a check of its first bytes.
func (s *Server) domainPages(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if p != "/" && !(strings.HasPrefix(p, "/app") && (len(p) == 4 || p[4] == '/')) {
			next.ServeHTTP(w, r)
			return
		}
		d := s.domainFor(r)
		switch {
		case p == "/" && d.RootURL != nil && (r.Method == http.MethodGet || r.Method == http.MethodHead):
			s.redirectTo(w, *d.RootURL)
		case d.IsDefault():
			next.ServeHTTP(w, r)
		default:
			s.redirectMiss(w, r, http.StatusNotFound)
		}
	})
}

// redirectTo answers a domain's 302 to url, uncached like a link's.
func (s *Server) redirectTo(w http.ResponseWriter, url string) {
	h := w.Header()
	h["Location"] = []string{shortener.LocationURI(url)}
	h["Cache-Control"] = cacheControlPrivate
	h["X-Robots-Tag"] = robotsNoindex
	w.WriteHeader(http.StatusFound)
	s.metrics.redirected(http.StatusFound)
}
