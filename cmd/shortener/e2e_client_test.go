package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// reqOpt changes a request before it is sent.
type reqOpt func(*http.Request)

func withToken(tok string) reqOpt {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }
}

func withHeader(k, v string) reqOpt {
	return func(r *http.Request) { r.Header.Set(k, v) }
}

// rawBody sends exactly these bytes with no Content-Type (add one with
// withHeader).
type rawBody []byte

// result is a response whose body has been read.
type result struct {
	Status int
	Header http.Header
	Body   []byte
	method string
	path   string
}

func (r *result) String() string {
	body := string(r.Body)
	if len(body) > 2000 {
		body = body[:2000] + "..."
	}
	return r.method + " " + r.path + " -> " + http.StatusText(r.Status) + " (" + strconv.Itoa(r.Status) + ") " + body
}

// do sends a request. body: nil for none, rawBody for exact bytes,
// anything else is marshalled as JSON with Content-Type application/json.
func (s *testServer) do(t *testing.T, method, path string, body any, opts ...reqOpt) *result {
	t.Helper()
	var rd io.Reader
	isJSON := false
	switch b := body.(type) {
	case nil:
	case rawBody:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("marshal request body: %v", err)
		}
		rd = bytes.NewReader(data)
		isJSON = true
	}
	req, err := http.NewRequest(method, s.url+path, rd)
	if err != nil {
		t.Fatalf("new request %s %s: %v", method, path, err)
	}
	if isJSON {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, o := range opts {
		o(req)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	r := &result{Status: resp.StatusCode, Header: resp.Header, Body: data, method: method, path: path}
	checkCommonHeaders(t, r)
	checkNoInternals(t, r)
	return r
}

var requestIDRE = regexp.MustCompile(`^[\x21-\x7e]{1,128}$`)

// checkCommonHeaders holds for every response of the service.
func checkCommonHeaders(t *testing.T, r *result) {
	t.Helper()
	if id := r.Header.Get("X-Request-ID"); !requestIDRE.MatchString(id) {
		t.Errorf("%s: X-Request-ID %q, want 1-128 visible ASCII characters on every response", r, id)
	}
	if v := r.Header.Get("X-Content-Type-Options"); v != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options %q, want nosniff on every response", r, v)
	}
}

// internalMarkers are words that betray internal error text.
var internalMarkers = []string{"sql:", "sqlstate", "pgx", "pq:", "sqlite", "redis:", "goroutine ", ".go:", "panic", "runtime error", "dial tcp", "connection refused"}

// checkNoInternals: internal error text never reaches a client.
func checkNoInternals(t *testing.T, r *result) {
	t.Helper()
	// Only error answers: success bodies carry random tokens, which may
	// spell anything.
	if r.Status < 400 {
		return
	}
	low := strings.ToLower(string(r.Body))
	for _, m := range internalMarkers {
		if strings.Contains(low, m) {
			t.Errorf("%s: body contains internal detail %q", r, m)
		}
	}
}

func (r *result) decode(t *testing.T, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: decode JSON: %v", r, err)
	}
}

// object decodes the body as a JSON object.
func (r *result) object(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	r.decode(t, &m)
	return m
}

func expectStatus(t *testing.T, r *result, want int) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: status %d, want %d", r, r.Status, want)
	}
}

// expectJSON checks status and the JSON content type.
func expectJSON(t *testing.T, r *result, want int) {
	t.Helper()
	expectStatus(t, r, want)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: Content-Type %q, want application/json", r, ct)
	}
}

// problem is an RFC 9457 problem document as API.md shapes it.
type problem struct {
	Type   string         `json:"type"`
	Title  string         `json:"title"`
	Status int            `json:"status"`
	Detail string         `json:"detail"`
	Errors []problemError `json:"errors"`
}

type problemError struct {
	Location string `json:"location"`
	Message  string `json:"message"`
	Value    any    `json:"value"`
}

// expectProblem checks that r is a problem+json document of this status
// with every field API.md promises, and returns it.
func expectProblem(t *testing.T, r *result, status int) problem {
	t.Helper()
	expectStatus(t, r, status)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("%s: Content-Type %q, want application/problem+json", r, ct)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(r.Body, &raw); err != nil {
		t.Fatalf("%s: problem is not a JSON object: %v", r, err)
	}
	for _, k := range []string{"type", "title", "status", "detail"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("%s: problem lacks %q", r, k)
		}
	}
	var p problem
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatalf("%s: decode problem: %v", r, err)
	}
	if p.Status != status {
		t.Errorf("%s: problem status %d, want %d", r, p.Status, status)
	}
	if p.Type == "" || p.Title == "" || strings.TrimSpace(p.Detail) == "" {
		t.Errorf("%s: problem type, title and detail must be non-empty", r)
	}
	if status == http.StatusUnprocessableEntity {
		if len(p.Errors) == 0 {
			t.Errorf("%s: a 422 must have a non-empty errors list", r)
		}
		for _, e := range p.Errors {
			if e.Location == "" || e.Message == "" {
				t.Errorf("%s: every error needs a location and a message, got %+v", r, e)
			}
		}
	}
	return p
}

// expectValidation checks a 422 with an error at location.
func expectValidation(t *testing.T, r *result, location string) {
	t.Helper()
	p := expectProblem(t, r, http.StatusUnprocessableEntity)
	for _, e := range p.Errors {
		if e.Location == location {
			return
		}
	}
	t.Errorf("%s: no error at location %q", r, location)
}

// expectUnauthorized checks a 401 problem with WWW-Authenticate: Bearer.
func expectUnauthorized(t *testing.T, r *result) {
	t.Helper()
	expectProblem(t, r, http.StatusUnauthorized)
	if h := r.Header.Get("WWW-Authenticate"); !strings.HasPrefix(h, "Bearer") {
		t.Errorf("%s: WWW-Authenticate %q, want Bearer", r, h)
	}
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// expectTimestamp checks an RFC 3339 UTC timestamp and returns it.
func expectTimestamp(t *testing.T, what string, v any) time.Time {
	t.Helper()
	s, ok := v.(string)
	if !ok {
		t.Errorf("%s = %#v, want an RFC 3339 string", what, v)
		return time.Time{}
	}
	ts, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Errorf("%s = %q: %v", what, s, err)
		return time.Time{}
	}
	if !strings.HasSuffix(s, "Z") {
		t.Errorf("%s = %q, want UTC (Z)", what, s)
	}
	return ts
}

// num returns a JSON number as float64 (decode uses UseNumber).
func num(t *testing.T, what string, v any) float64 {
	t.Helper()
	n, ok := v.(json.Number)
	if !ok {
		t.Fatalf("%s = %#v, want a number", what, v)
	}
	f, err := n.Float64()
	if err != nil {
		t.Fatalf("%s = %v: %v", what, n, err)
	}
	return f
}

// integer returns a JSON number that must be an integer.
func integer(t *testing.T, what string, v any) int {
	t.Helper()
	n, ok := v.(json.Number)
	if !ok {
		t.Fatalf("%s = %#v, want an integer", what, v)
	}
	i, err := n.Int64()
	if err != nil {
		t.Fatalf("%s = %v, want an integer: %v", what, n, err)
	}
	return int(i)
}
