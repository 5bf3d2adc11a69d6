package httpapi

import "net/http"

// refuseUnroutable answers, before any routing, the requests that no route
// can take: a method the service does not know is 501. The answer is a
// problem like every other error, and its detail names nothing the client
// sent.
func (s *Server) refuseUnroutable(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !knownMethod(r.Method) {
			writeProblem(w, newProblem(http.StatusNotImplemented, "The request method is not supported by this service."))
			return
		}
		next.ServeHTTP(w, r)
	})
}
