package httpapi_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/shortener-dev/shortener"
)

const linkPath = "/api/v1/urls/0190a0f4-0000-7000-8000-0000000000aa"

func TestMissingCredentialWhereRequired(t *testing.T) {
	for _, target := range []string{"/api/v1/auth/me", "/api/v1/urls", "/api/v1/analytics/abc/summary"} {
		f := newFakes()
		w := serve(t, f.server(), "GET", target, "")
		p := decodeProblem(t, w, http.StatusUnauthorized)
		if p.Detail != "Authentication required: send Authorization: Bearer <access token or API key>, or X-API-Key: <API key>." {
			t.Errorf("GET %s: detail %q", target, p.Detail)
		}
		if got := w.Header().Get("WWW-Authenticate"); got != "Bearer" {
			t.Errorf("GET %s: WWW-Authenticate %q, want Bearer", target, got)
		}
		if f.auth.calls != 0 {
			t.Errorf("GET %s: Authenticate called %d times without a credential", target, f.auth.calls)
		}
	}
}

// A credential that was sent but fails is a 401 even where none is needed:
// the caller meant to be someone.
func TestBadCredentials(t *testing.T) {
	headers := map[string]string{
		"unknown token":  "Bearer not-a-token",
		"empty token":    "Bearer ",
		"another scheme": "Basic YWRhOnB3",
	}
	for name, header := range headers {
		for _, target := range []string{"/api/v1/auth/me", linkPath} {
			t.Run(name+" "+target, func(t *testing.T) {
				f := newFakes()
				w := serve(t, f.server(), "GET", target, "", "Authorization", header)
				p := decodeProblem(t, w, http.StatusUnauthorized)
				if p.Detail != "Invalid or expired access token." {
					t.Errorf("detail %q", p.Detail)
				}
				if got := w.Header().Get("WWW-Authenticate"); got != "Bearer" {
					t.Errorf("WWW-Authenticate %q, want Bearer", got)
				}
				if f.auth.calls != 1 {
					t.Errorf("Authenticate called %d times, want 1", f.auth.calls)
				}
			})
		}
	}
}

// The middleware authenticates once and every later step reads the answer.
func TestAuthenticatesOncePerRequest(t *testing.T) {
	f := newFakes()
	w := serve(t, f.server(), "GET", "/api/v1/auth/me", "", bearer(adaToken)...)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var me struct{ ID, Email string }
	if err := json.Unmarshal(w.Body.Bytes(), &me); err != nil || me.ID != ada.ID || me.Email != ada.Email {
		t.Fatalf("me = %+v (%v), want ada", me, err)
	}
	if f.auth.calls != 1 {
		t.Fatalf("Authenticate called %d times, want 1", f.auth.calls)
	}
}

func TestHandlersGetTheCaller(t *testing.T) {
	f := newFakes()
	f.links.link = &shortener.Link{ID: "0190a0f4-0000-7000-8000-0000000000aa", ShortCode: "abc", IsActive: true}
	srv := f.server()

	serve(t, srv, "GET", linkPath, "", bearer(adaToken)...)
	if f.links.caller != ada {
		t.Fatalf("links got caller %v, want ada", f.links.caller)
	}
	w := serve(t, srv, "GET", linkPath, "")
	if w.Code != http.StatusOK || f.links.caller != nil {
		t.Fatalf("anonymous read: status %d, caller %v; want 200 and no caller", w.Code, f.links.caller)
	}
}

// A failed lookup is not a bad credential: it answers as the failure it is.
func TestAuthenticationOutage(t *testing.T) {
	f := newFakes()
	f.auth.failWith = shortener.Errorf(shortener.EUNAVAILABLE, "The database is unavailable.")
	w := serve(t, f.server(), "GET", "/api/v1/auth/me", "", bearer("some-token")...)
	decodeProblem(t, w, http.StatusServiceUnavailable)
	if got := w.Header().Get("WWW-Authenticate"); got != "" {
		t.Errorf("WWW-Authenticate %q on an outage", got)
	}
}

// Register, login and health do not need a caller, so a bad credential
// does not stop them.
func TestOperationsWithoutCallerIgnoreBadCredentials(t *testing.T) {
	tests := []struct {
		method, target, body string
		status               int
	}{
		{"GET", "/api/v1/health", "", http.StatusOK},
		{"POST", "/api/v1/auth/register", `{"email":"bob@example.com","password":"Correct7Horse"}`, http.StatusCreated},
		{"POST", "/api/v1/auth/login", `{"email":"bob@example.com","password":"Correct7Horse"}`, http.StatusOK},
	}
	for _, tt := range tests {
		f := newFakes()
		w := serve(t, f.server(), tt.method, tt.target, tt.body, bearer("expired")...)
		if w.Code != tt.status {
			t.Errorf("%s %s: status %d, want %d: %s", tt.method, tt.target, w.Code, tt.status, w.Body)
		}
	}
}
