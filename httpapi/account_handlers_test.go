package httpapi_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/shortener-dev/shortener"
)

func TestUpdateMe(t *testing.T) {
	f := newFakes()
	w := serve(t, f.server(), "PATCH", "/api/v1/auth/me", `{"full_name":"Ada King"}`, "Authorization", "Bearer "+adaToken)
	if w.Code != http.StatusOK {
		t.Fatalf("rename: %d %s", w.Code, w.Body)
	}
	var u map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &u); err != nil || u["full_name"] != "Ada King" {
		t.Fatalf("rename answered %s", w.Body)
	}
	if f.auth.bearer != adaToken || f.auth.profile.Password != nil {
		t.Fatalf("the service got %+v with bearer %q", f.auth.profile, f.auth.bearer)
	}

	w = serve(t, f.server(), "PATCH", "/api/v1/auth/me", `{"full_name":null}`, "Authorization", "Bearer "+adaToken)
	if w.Code != http.StatusOK || f.auth.profile.FullName == nil || *f.auth.profile.FullName != "" {
		t.Fatalf("null name: %d, %+v", w.Code, f.auth.profile)
	}

	w = serve(t, f.server(), "PATCH", "/api/v1/auth/me", `{"password":"Newer8Horse","current_password":"Wrong"}`,
		"Authorization", "Bearer "+adaToken)
	p := decodeProblem(t, w, http.StatusForbidden)
	if len(w.Body.String()) == 0 || p.Detail == "" {
		t.Fatal("no problem detail")
	}
	for _, body := range []string{`{"password":null}`, `{"Full_Name":"x"}`, `{"role":"admin"}`} {
		w = serve(t, f.server(), "PATCH", "/api/v1/auth/me", body, "Authorization", "Bearer "+adaToken)
		decodeProblem(t, w, http.StatusUnprocessableEntity)
	}
	w = serve(t, f.server(), "PATCH", "/api/v1/auth/me", `{"full_name":"x"}`)
	decodeProblem(t, w, http.StatusUnauthorized)
}

func TestListAllOwners(t *testing.T) {
	f := newFakes()
	f.links.link = &shortener.Link{ID: "0190a0f4-0000-7000-8000-0000000000aa", ShortCode: "abc", IsActive: true}
	w := serve(t, f.server(), "GET", "/api/v1/urls?owner=all", "", "Authorization", "Bearer "+adaToken)
	if w.Code != http.StatusOK || f.links.list == nil || !f.links.list.AllOwners {
		t.Fatalf("owner=all: %d, query %+v", w.Code, f.links.list)
	}
	w = serve(t, f.server(), "GET", "/api/v1/urls?owner=me", "", "Authorization", "Bearer "+adaToken)
	decodeProblem(t, w, http.StatusUnprocessableEntity)
}
