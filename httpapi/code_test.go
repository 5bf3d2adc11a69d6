package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
)

// junkCodes cannot be short codes: one rule (1-50 characters of
// [A-Za-z0-9_-]) answers them 404 on every route that takes a code,
// without asking a service, so NUL and invalid UTF-8 never reach a store.
var junkCodes = []string{"%00", "a%00b", "%ff", "%C3%28", "a%20b", "caf%C3%A9", "a.b", strings.Repeat("x", 51)}

func TestJunkCodesAreNotFound(t *testing.T) {
	for _, code := range junkCodes {
		t.Run(code, func(t *testing.T) {
			f := newFakes()
			srv := f.server()
			p := decodeProblem(t, serve(t, srv, "GET", "/api/v1/analytics/"+code+"/summary", "", bearer(adaToken)...), http.StatusNotFound)
			if p.Detail != "Link not found." || f.summaries.caller != nil {
				t.Errorf("summary: detail %q, service asked: %v", p.Detail, f.summaries.caller != nil)
			}
			p = decodeProblem(t, serve(t, srv, "GET", "/api/v1/qr/"+code, ""), http.StatusNotFound)
			if p.Detail != "Link not found." || f.qr.calls != 0 {
				t.Errorf("QR: detail %q after %d service calls", p.Detail, f.qr.calls)
			}
			decodeProblem(t, serve(t, srv, "GET", "/"+code, ""), http.StatusNotFound)
			if f.resolver.calls != 0 {
				t.Errorf("redirect: %d lookups", f.resolver.calls)
			}
		})
	}
}
