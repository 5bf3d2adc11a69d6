package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shortener-dev/shortener"
)

// fuzzTargets are the calls whose request decoding FuzzRequestDecoding
// drives: the write endpoints' bodies and the list's query values. fields
// are the body's field names, each with whether it is nullable.
var fuzzTargets = []struct {
	method, path string
	fields       map[string]bool
}{
	{"POST", "/api/v1/urls", map[string]bool{"original_url": false, "custom_alias": true, "title": true, "expires_at": true, "is_public": false}},
	{"PATCH", linkPath, map[string]bool{"original_url": false, "title": true, "expires_at": true, "is_active": false, "is_public": false}},
	{"POST", "/api/v1/auth/register", map[string]bool{"email": false, "password": false, "full_name": true}},
	{"POST", "/api/v1/auth/login", map[string]bool{"email": false, "password": false}},
	{"POST", "/api/v1/auth/refresh", map[string]bool{"refresh_token": false}},
	{"GET", "/api/v1/urls", nil},
	{"POST", "/api/v1/keys", map[string]bool{"name": false, "scopes": false, "expires_at": true}},
	{"POST", "/api/v1/webhooks", map[string]bool{"url": false, "events": false, "description": true}},
	{"PATCH", "/api/v1/webhooks/" + hookID, map[string]bool{"url": false, "events": false, "description": false, "is_active": false}},
}

// FuzzRequestDecoding sends arbitrary bodies and query strings to the real
// handler, with fakes behind it that accept everything, and holds every
// answer to API.md: no panic, no 5xx, every error a problem+json with a
// detail, every 422 with a non-empty errors list, and a body accepted only
// when its field names are exact and it has no null where none is allowed.
// The seed corpus is in testdata/fuzz/FuzzRequestDecoding; CI runs it for
// 20 s.
func FuzzRequestDecoding(f *testing.F) {
	fakes := newFakes()
	fakes.logs = nil // a fuzzing run would keep every log line
	fakes.links.link = &shortener.Link{ID: "0190a0f4-0000-7000-8000-0000000000aa", ShortCode: "abc", IsActive: true}
	srv := fakes.server()
	f.Fuzz(func(t *testing.T, target uint8, body, query string) {
		call := fuzzTargets[int(target)%len(fuzzTargets)]
		var req *http.Request
		if call.method == "GET" {
			req = httptest.NewRequest(call.method, call.path, nil)
		} else {
			req = httptest.NewRequest(call.method, call.path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
		}
		req.URL.RawQuery = query
		req.RemoteAddr = "203.0.113.7:41000"
		req.Header.Set("Authorization", "Bearer "+adaToken)
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		checkFuzzAnswer(t, call.method+" "+call.path, w)
		if w.Code < 300 && call.fields != nil {
			checkAcceptedBody(t, call.method+" "+call.path, call.fields, body)
		}
	})
}

// checkAcceptedBody holds a body that was accepted to the input rules:
// a JSON object whose keys are field names exactly, with null only where
// the field is nullable. Duplicate keys count as decoded: the last wins.
func checkAcceptedBody(t *testing.T, call string, fields map[string]bool, body string) {
	t.Helper()
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("%s: accepted a body that is not a JSON object (%v): %q", call, err, body)
	}
	for k, v := range doc {
		nullable, known := fields[k]
		switch {
		case !known:
			t.Fatalf("%s: accepted the unknown field %q: %q", call, k, body)
		case !nullable && string(v) == "null":
			t.Fatalf("%s: accepted null for %s, which is not nullable: %q", call, k, body)
		}
	}
}

// checkFuzzAnswer holds one answer to the rules of API.md.
func checkFuzzAnswer(t *testing.T, call string, w *httptest.ResponseRecorder) {
	t.Helper()
	if w.Code >= 500 {
		t.Fatalf("%s: status %d: %s", call, w.Code, w.Body)
	}
	if w.Code < 400 {
		if w.Code != http.StatusNoContent && !json.Valid(w.Body.Bytes()) {
			t.Fatalf("%s: status %d with a body that is not JSON: %q", call, w.Code, w.Body)
		}
		return
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("%s: status %d with Content-Type %q", call, w.Code, ct)
	}
	var p struct {
		Status int    `json:"status"`
		Detail string `json:"detail"`
		Errors []struct {
			Location string `json:"location"`
			Message  string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatalf("%s: status %d, problem %q: %v", call, w.Code, w.Body, err)
	}
	if p.Status != w.Code || strings.TrimSpace(p.Detail) == "" {
		t.Fatalf("%s: status %d, problem %s: want its status and a detail", call, w.Code, w.Body)
	}
	if w.Code != http.StatusUnprocessableEntity {
		return
	}
	if len(p.Errors) == 0 {
		t.Fatalf("%s: 422 without errors: %s", call, w.Body)
	}
	for _, e := range p.Errors {
		if e.Location == "" || e.Message == "" {
			t.Fatalf("%s: 422 with an error lacking location or message: %s", call, w.Body)
		}
	}
}
