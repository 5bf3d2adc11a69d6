package main

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// openAPIDocument is the part of the OpenAPI document the tests read.
type openAPIDocument struct {
	Paths map[string]map[string]struct {
		RequestBody *struct {
			Content map[string]any `json:"content"`
		} `json:"requestBody"`
		Responses map[string]struct {
			Content map[string]any `json:"content"`
			Headers map[string]any `json:"headers"`
		} `json:"responses"`
		Security []map[string][]string `json:"security"`
	} `json:"paths"`
}

// openAPI fetches and decodes the service's OpenAPI document.
func (s *testServer) openAPI(t *testing.T) openAPIDocument {
	t.Helper()
	r := s.do(t, "GET", "/openapi.json", nil)
	expectStatus(t, r, http.StatusOK)
	var doc openAPIDocument
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestE2EOpenAPIStatusesDocumented: what a schema-driven client finds when
// it sends every operation of the document a malformed body, a body of the
// wrong media type, an oversized body, and an API key without the scope:
// each status the service answers is one the document lists for that
// operation, with the headers it declares (X-Request-ID; the RateLimit-*
// trio where the call is limited).
func TestE2EOpenAPIStatusesDocumented(t *testing.T) {
	t.Parallel()
	srv := startServer(t, "embedded", map[string]string{"MAX_BODY_BYTES": "1024", "MAX_IMPORT_BYTES": "1024"})
	acct := srv.newAccount(t)
	srv.promote(t, acct)
	admin := srv.newAccount(t)
	srv.promote(t, admin)
	_, adminAccess := srv.login(t, admin.email, admin.password)
	unscoped := srv.newKey(t, acct, "webhooks:write") // the scope no link or account call takes
	doc := srv.openAPI(t)
	param := regexp.MustCompile(`\{[^}]+\}`)
	checked := 0
	for path, ops := range doc.Paths {
		target := param.ReplaceAllString(path, "0190a0f4-0000-7000-8000-000000000001")
		for method, op := range ops {
			check := func(what string, r *result) {
				t.Helper()
				checked++
				resp, ok := op.Responses[strconv.Itoa(r.Status)]
				if !ok {
					t.Errorf("%s %s, %s: status %d is not among the document's responses", strings.ToUpper(method), path, what, r.Status)
					return
				}
				if _, ok := resp.Headers["X-Request-ID"]; !ok {
					t.Errorf("%s %s, %d: X-Request-ID is sent but not declared", strings.ToUpper(method), path, r.Status)
				}
				if r.Header.Get("RateLimit-Limit") != "" && resp.Headers["RateLimit-Limit"] == nil {
					t.Errorf("%s %s, %d: RateLimit-Limit is sent but not declared", strings.ToUpper(method), path, r.Status)
				}
			}
			token := withToken(acct.access)
			if strings.HasPrefix(path, "/api/v1/domains") {
				token = withToken(adminAccess)
			}
			m := strings.ToUpper(method)
			if op.RequestBody != nil {
				if _, isJSON := op.RequestBody.Content["application/json"]; isJSON {
					check("malformed JSON", srv.do(t, m, target, rawBody(`{"a":`), token, withHeader("Content-Type", "application/json")))
				}
				check("a text/plain body", srv.do(t, m, target, rawBody("x"), token, withHeader("Content-Type", "text/plain")))
				check("an oversized body", srv.do(t, m, target, rawBody(`{"a":"`+strings.Repeat("x", 2000)+`"}`), token,
					withHeader("Content-Type", "application/json")))
			}
			if len(op.Security) > 0 {
				check("an API key without the scope", srv.do(t, m, target, nil, withHeader("X-API-Key", unscoped)))
				check("a malformed token", srv.do(t, m, target, nil, withToken("garbage")))
			}
			check("no credential", srv.do(t, m, target, nil))
		}
	}
	if checked < 100 {
		t.Errorf("only %d answers checked: the document's operations were not all reached", checked)
	}
}

// TestE2EOpenAPIRedirectStatusesDocumented: the redirect's operations
// declare what they answer: a form posted to a link without a password is
// 405, an unknown code 404.
func TestE2EOpenAPIRedirectStatusesDocumented(t *testing.T) {
	srv := startServer(t, "embedded", nil)
	doc := srv.openAPI(t)
	code := str(srv.createLink(t, "", map[string]any{"original_url": "https://example.com/plain"})["short_code"])
	form := withHeader("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range []struct {
		method, path string
		opts         []reqOpt
		want         int
	}{
		{"POST", "/" + code, []reqOpt{form}, http.StatusMethodNotAllowed},
		{"POST", "/nosuchcode9", []reqOpt{form}, http.StatusNotFound},
		{"GET", "/nosuchcode9", nil, http.StatusNotFound},
	} {
		r := srv.do(t, c.method, c.path, rawBody("password=x"), c.opts...)
		if r.Status != c.want {
			t.Errorf("%s %s: %d, want %d", c.method, c.path, r.Status, c.want)
		}
		op, ok := doc.Paths["/{short_code}"][strings.ToLower(c.method)]
		if !ok {
			t.Fatalf("%s /{short_code} is not in the document", c.method)
		}
		if _, ok := op.Responses[strconv.Itoa(r.Status)]; !ok {
			t.Errorf("%s %s answers %d, which the document does not declare", c.method, c.path, r.Status)
		}
	}
}
