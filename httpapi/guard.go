package httpapi

import (
	"net/http"
	"path"
	"strings"

	"github.com/shortener-dev/shortener"
)

// refuseUnroutable answers, before any routing, the requests that no route
// can take. Both answers are problems whose detail names nothing the client
// sent.
//
//   - A method the service does not know is 501.
//   - An unclean path (//code, /./code, /api/v1//urls, /a/../b) is 404, as
//     its route would answer it: the mux would redirect it to the cleaned
//     path with an HTML body, which turns any junk into a request for a
//     real resource. An unclean API path counts against the general rate
//     limit like any API call.
//   - "OPTIONS *" asks what the server as a whole supports: 204 with the
//     methods some route takes in Allow. Any other method with "*" is 404.
func (s *Server) refuseUnroutable(next http.Handler) http.Handler {
	apiNotFound := s.authenticate(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.admitClass(w, r, shortener.RateGeneral) {
			writeProblem(w, noResource())
		}
	}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch clean := cleanPath(r.URL.Path); {
		case !knownMethod(r.Method):
			writeProblem(w, newProblem(http.StatusNotImplemented, "The request method is not supported by this service."))
		case r.RequestURI == "*":
			if r.Method != http.MethodOptions {
				writeProblem(w, noResource())
				return
			}
			w.Header().Set("Allow", serverMethods)
			w.WriteHeader(http.StatusNoContent)
		case clean == r.URL.Path:
			next.ServeHTTP(w, r)
		case strings.HasPrefix(clean, "/api/"):
			apiNotFound.ServeHTTP(w, r)
		default:
			writeProblem(w, noResource())
		}
	})
}

// serverMethods are the methods some route of the service takes.
const serverMethods = "GET, HEAD, POST, PATCH, DELETE, OPTIONS"

// noResource is the answer for a path that no route serves.
func noResource() *Problem {
	return newProblem(http.StatusNotFound, "There is no resource at this path.")
}

// cleanPath is the path as net/http's ServeMux cleans it before matching:
// no empty, "." or ".." segments, a trailing slash kept. The mux redirects
// any path that differs from it.
func cleanPath(p string) string {
	if p == "" || p[0] != '/' {
		p = "/" + p
	}
	clean := path.Clean(p)
	if p[len(p)-1] == '/' && clean != "/" {
		clean += "/"
	}
	return clean
}
