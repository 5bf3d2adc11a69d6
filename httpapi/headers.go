package httpapi

import (
	"crypto/sha256"
	"encoding/base64"
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

// pagePolicy is the Content-Security-Policy of an HTML page of ours whose
// only resource is the inline style css: nothing else loads, nothing
// frames the page, and no <base> can redirect its links. The style is
// allowed by its hash, not by 'unsafe-inline'.
func pagePolicy(css string) string {
	sum := sha256.Sum256([]byte(css))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) +
		"'; frame-ancestors 'none'; base-uri 'none'"
}

// referrerPolicy lets a page tell other sites only the origin it came from.
const referrerPolicy = "strict-origin-when-cross-origin"

// emptyPagePolicy is the policy of an answer of the web app without a
// body of its own (the 303 after a right link password).
const emptyPagePolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
