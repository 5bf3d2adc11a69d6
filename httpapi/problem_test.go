package httpapi_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/shortener-dev/shortener"
)

// problemBody is an RFC 9457 problem as the API sends it.
type problemBody struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Location string `json:"location"`
		Message  string `json:"message"`
		Value    any    `json:"value"`
	} `json:"errors"`
}

// decodeProblem checks that w is a problem+json answer of status and
// returns it.
func decodeProblem(t *testing.T, w interface {
	Result() *http.Response
}, status int) problemBody {
	t.Helper()
	res := w.Result()
	if res.StatusCode != status {
		t.Fatalf("status %d, want %d", res.StatusCode, status)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q, want application/problem+json", ct)
	}
	var p problemBody
	if err := json.NewDecoder(res.Body).Decode(&p); err != nil {
		t.Fatalf("problem body: %v", err)
	}
	if p.Type != "about:blank" || p.Status != status || p.Title != http.StatusText(status) || p.Errors == nil {
		t.Fatalf("problem %+v is not the API's shape for %d", p, status)
	}
	return p
}

// Every error code of the domain answers its status, with the error's
// message as the detail; anything that is not a *shortener.Error is a 500
// that shows nothing of its text.
func TestErrorCodesMapToProblems(t *testing.T) {
	tests := []struct {
		err        error
		status     int
		wantDetail string
	}{
		{shortener.Errorf(shortener.ECONFLICT, "Taken."), http.StatusConflict, "Taken."},
		{shortener.Errorf(shortener.ENOTFOUND, "Link not found."), http.StatusNotFound, "Link not found."},
		{shortener.Errorf(shortener.EGONE, "Expired."), http.StatusGone, "Expired."},
		{shortener.Errorf(shortener.EUNAUTHORIZED, "Who are you?"), http.StatusUnauthorized, "Who are you?"},
		{shortener.Errorf(shortener.EFORBIDDEN, "Not yours."), http.StatusForbidden, "Not yours."},
		{shortener.Errorf(shortener.ERATELIMIT, "Slow down."), http.StatusTooManyRequests, "Slow down."},
		{shortener.Errorf(shortener.EUNAVAILABLE, "Try later."), http.StatusServiceUnavailable, "Try later."},
		{shortener.Errorf(shortener.EINTERNAL, "Internal error."), http.StatusInternalServerError, "Internal error."},
		{errors.New(`pq: relation "links" does not exist`), http.StatusInternalServerError, "Internal error."},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status)+"/"+tt.err.Error(), func(t *testing.T) {
			f := newFakes()
			f.links.err = tt.err
			w := serve(t, f.server(), "GET", "/api/v1/urls/0190a0f4-0000-7000-8000-0000000000aa", "")
			p := decodeProblem(t, w, tt.status)
			if p.Detail != tt.wantDetail || len(p.Errors) != 0 {
				t.Errorf("detail %q with %d errors, want %q and none", p.Detail, len(p.Errors), tt.wantDetail)
			}
			wantAuth := ""
			if tt.status == http.StatusUnauthorized {
				wantAuth = "Bearer"
			}
			if got := w.Header().Get("WWW-Authenticate"); got != wantAuth {
				t.Errorf("WWW-Authenticate %q, want %q", got, wantAuth)
			}
		})
	}
}

func TestValidationErrorsListEveryField(t *testing.T) {
	f := newFakes()
	f.links.err = shortener.JoinInvalid(
		shortener.Invalid("body.original_url", "original_url must be an http(s) URL", "ftp://x"),
		shortener.Invalid("body.title", "title must be at most 255 characters", nil),
	)
	w := serve(t, f.server(), "POST", "/api/v1/urls", `{"original_url":"ftp://x"}`)
	p := decodeProblem(t, w, http.StatusUnprocessableEntity)
	if p.Detail != "Validation failed: body.original_url: original_url must be an http(s) URL (and 1 more)." {
		t.Errorf("detail %q", p.Detail)
	}
	if len(p.Errors) != 2 || p.Errors[0].Location != "body.original_url" || p.Errors[0].Value != "ftp://x" ||
		p.Errors[1].Location != "body.title" {
		t.Errorf("errors %+v", p.Errors)
	}
}

// Errors that huma raises itself come in the same shape.
func TestRequestErrorsAreProblems(t *testing.T) {
	tests := []struct {
		name, body, contentType string
		status                  int
		detailPrefix            string
	}{
		{"malformed JSON", `{"original_url":`, "application/json", http.StatusBadRequest, "The request body is not valid JSON"},
		{"wrong media type", `original_url=x`, "application/x-www-form-urlencoded", http.StatusUnsupportedMediaType, "The request body must be JSON"},
		{"unknown field", `{"original_url":"https://example.com","shortcode":"x"}`, "application/json", http.StatusUnprocessableEntity, "Validation failed: "},
		{"too large", `{"original_url":"https://example.com/` + strings.Repeat("a", 1<<16) + `"}`, "application/json", http.StatusRequestEntityTooLarge, "The request body is too large."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakes()
			w := serve(t, f.server(), "POST", "/api/v1/urls", tt.body, "Content-Type", tt.contentType)
			p := decodeProblem(t, w, tt.status)
			if !strings.HasPrefix(p.Detail, tt.detailPrefix) {
				t.Errorf("detail %q, want it to start with %q", p.Detail, tt.detailPrefix)
			}
			if f.links.caller != nil || f.links.link != nil {
				t.Error("the service was called for a refused request")
			}
		})
	}
}

// A problem echoes at most 256 bytes of a refused value, and of an unknown
// property's name, cut on a character boundary with an ellipsis.
func TestProblemsEchoLittle(t *testing.T) {
	f := newFakes()
	long := strings.Repeat("é", 30000)
	f.links.err = shortener.Invalid("body.title", "title is longer than 255 characters", long)
	p := decodeProblem(t, serve(t, f.server(), "POST", "/api/v1/urls", `{"original_url":"https://example.com"}`), http.StatusUnprocessableEntity)
	v, _ := p.Errors[0].Value.(string)
	if len(v) > 256+len("…") || !strings.HasPrefix(v, "éé") || !strings.HasSuffix(v, "é…") {
		t.Errorf("echoed value of %d bytes: %.40q…", len(v), v)
	}
	name := strings.Repeat("x", 20000)
	p = decodeProblem(t, serve(t, newFakes().server(), "POST", "/api/v1/urls", `{"original_url":"https://example.com","`+name+`":1}`),
		http.StatusUnprocessableEntity)
	if l := p.Errors[0].Location; len(l) > 256+len("…") || !strings.HasSuffix(l, "…") {
		t.Errorf("echoed location of %d bytes", len(l))
	}
}
