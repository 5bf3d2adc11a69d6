// Package allow tells a wrong method from a wrong path: the methods a
// ServeMux routes a request's path to, for the Allow header of a 405. The
// API and the web app both answer a request no route takes with it.
package allow

import "net/http"

// probed are the methods tried: those the service's routes use (HEAD
// goes with GET).
var probed = [...]string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete}

// Methods returns the methods that mux routes r's path to a pattern for
// which catchAll is false, HEAD after GET; none when only the catch-alls
// (or nothing) would take the path.
func Methods(mux *http.ServeMux, r *http.Request, catchAll func(pattern string) bool) []string {
	var allow []string
	for _, m := range probed {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := mux.Handler(probe); pattern != "" && !catchAll(pattern) {
			allow = append(allow, m)
			if m == http.MethodGet {
				allow = append(allow, http.MethodHead)
			}
		}
	}
	return allow
}
