package httpapi

import (
	"net/http"

	"github.com/shortener-dev/shortener"
)

// The request method and path are chosen by the client. Used as they come,
// a metric label or a log field lets a client pick how many series the
// registry holds and how large every log line is (200 requests with long
// made-up methods once took the process from 33 MB to 107 MB). The
// functions below are the only way either reaches a label or a log field.

// methodOther is the label value of every method the service does not know.
const methodOther = "other"

// methodLabel maps a request method to the fixed label set: the methods
// of HTTP that the service knows, and "other".
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
		http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return m
	}
	return methodOther
}

// knownMethod reports whether the service recognises the method at all;
// any other is answered 501 before routing.
func knownMethod(m string) bool { return methodLabel(m) != methodOther }

// logFieldMarker ends a log field that was cut.
const logFieldMarker = "..."

// Bounds of the request's log fields, in bytes.
const (
	maxLoggedMethod = 16
	maxLoggedPath   = 256
)

// methodLogValue is the method as a log field: at most 16 bytes of a
// made-up one, the marker included (methods are ASCII tokens: bytes are
// characters).
func methodLogValue(m string) string { return clip(m, maxLoggedMethod) }

// pathLogValue is the path as a log field: at most 256 bytes, cut on a
// character boundary.
func pathLogValue(p string) string { return clip(p, maxLoggedPath) }

// clip cuts s to at most n bytes on a character boundary, the marker of
// the cut included; a shorter s is returned as it is, without allocating.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return shortener.ClipText(s, n-len(logFieldMarker)) + logFieldMarker
}
