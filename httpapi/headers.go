package httpapi

import (
	"net/http"
)

// nosniff keeps browsers from reading an answer as another type than it
// says (a problem+json document as HTML, say). One shared, never
// modified slice: the redirect sets it on every request.
var nosniff = []string{"nosniff"}

// sendNosniff gives every answer X-Content-Type-Options: nosniff, whoever
// writes it: huma, the redirect, the mux, promhttp or a refusal.
func sendNosniff(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["X-Content-Type-Options"] = nosniff
		next.ServeHTTP(w, r)
	})
}

// pagePolicy is the Content-Security-Policy of the HTML pages the redirect
// answers itself (the password form, the 404 and 410 pages): nothing loads
// but the web app's stylesheet from this origin, nothing frames the page,
// and no <base> can redirect its links.
const pagePolicy = "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'"

// referrerPolicy lets a page tell other sites only the origin it came from.
const referrerPolicy = "strict-origin-when-cross-origin"

// emptyPagePolicy is the policy of an answer of the web app without a
// body of its own (the 303 after a right link password).
const emptyPagePolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
