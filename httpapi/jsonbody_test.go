package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/shortener-dev/shortener"
)

// bodyCase is one request body sent to one operation.
type bodyCase struct {
	name, method, target, body string
}

// expectBodyRefused checks a 422 that names location, and that no link
// service call was made.
func expectBodyRefused(t *testing.T, tt bodyCase, location string) {
	t.Helper()
	f := newFakes()
	f.links.link = &shortener.Link{ID: "0190a0f4-0000-7000-8000-0000000000aa", ShortCode: "abc"}
	w := serve(t, f.server(), tt.method, tt.target, tt.body, bearer(adaToken)...)
	p := decodeProblem(t, w, http.StatusUnprocessableEntity)
	found := false
	for _, e := range p.Errors {
		found = found || e.Location == location
	}
	if !found {
		t.Errorf("errors %+v, want one at %s", p.Errors, location)
	}
	if f.links.create != nil || f.links.update != nil {
		t.Error("the link service was called with a refused body")
	}
}

// JSON field names are case-sensitive in every request body: a key that
// differs from a field only by case is an unknown field, even next to the
// right one (encoding/json would let the last of them win).
func TestFieldNamesAreCaseSensitive(t *testing.T) {
	for _, tt := range []bodyCase{
		{"create", "POST", "/api/v1/urls", `{"Original_URL":"https://example.com"}`},
		{"create twice", "POST", "/api/v1/urls", `{"original_url":"https://example.com","Original_URL":"x"}`},
		{"update", "PATCH", linkPath, `{"Title":"x"}`},
		{"register", "POST", "/api/v1/auth/register", `{"email":"a@example.com","password":"Correct7Horse","Full_Name":"x"}`},
		{"login", "POST", "/api/v1/auth/login", `{"email":"a@example.com","PASSWORD":"x","password":"y"}`},
		{"refresh", "POST", "/api/v1/auth/refresh", `{"Refresh_Token":"r"}`},
		{"logout", "POST", "/api/v1/auth/logout", `{"refresh_token":"r","REFRESH_TOKEN":"s"}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			loc := map[string]string{
				"create": "body.Original_URL", "create twice": "body.Original_URL", "update": "body.Title",
				"register": "body.Full_Name", "login": "body.PASSWORD", "refresh": "body.Refresh_Token", "logout": "body.REFRESH_TOKEN",
			}[tt.name]
			expectBodyRefused(t, tt, loc)
		})
	}
}

// null is refused for a field that is not nullable, in every body.
func TestNullForNonNullableFields(t *testing.T) {
	for _, tt := range []struct {
		bodyCase
		location string
	}{
		{bodyCase{"create url", "POST", "/api/v1/urls", `{"original_url":null}`}, "body.original_url"},
		{bodyCase{"create public", "POST", "/api/v1/urls", `{"original_url":"https://example.com","is_public":null}`}, "body.is_public"},
		{bodyCase{"update url", "PATCH", linkPath, `{"original_url":null}`}, "body.original_url"},
		{bodyCase{"update active", "PATCH", linkPath, `{"is_active":null}`}, "body.is_active"},
		{bodyCase{"update public", "PATCH", linkPath, `{"title":"t","is_public":null}`}, "body.is_public"},
		{bodyCase{"register", "POST", "/api/v1/auth/register", `{"email":null,"password":"Correct7Horse"}`}, "body.email"},
		{bodyCase{"login", "POST", "/api/v1/auth/login", `{"email":"a@example.com","password":null}`}, "body.password"},
		{bodyCase{"refresh", "POST", "/api/v1/auth/refresh", `{"refresh_token":null}`}, "body.refresh_token"},
		{bodyCase{"logout", "POST", "/api/v1/auth/logout", `{"refresh_token":null}`}, "body.refresh_token"},
	} {
		t.Run(tt.name, func(t *testing.T) { expectBodyRefused(t, tt.bodyCase, tt.location) })
	}
}

// The nullable fields keep their meaning: null clears on PATCH and means
// "none" on create and register.
func TestNullForNullableFields(t *testing.T) {
	f := newFakes()
	f.links.link = &shortener.Link{ID: "0190a0f4-0000-7000-8000-0000000000aa", ShortCode: "abc"}
	srv := f.server()
	w := serve(t, srv, "PATCH", linkPath, `{"title":null,"expires_at":null}`, bearer(adaToken)...)
	if w.Code != http.StatusOK || !f.links.update.ClearTitle || !f.links.update.ClearExpiry {
		t.Fatalf("PATCH with nulls: status %d, input %+v; want 200 clearing title and expiry", w.Code, f.links.update)
	}
	w = serve(t, srv, "POST", "/api/v1/urls", `{"original_url":"https://example.com","title":null,"custom_alias":null,"expires_at":null}`)
	if c := f.links.create; w.Code != http.StatusCreated || c.Title != nil || c.CustomAlias != nil || c.ExpiresAt != nil {
		t.Fatalf("create with nulls: status %d, input %+v; want 201 without title, alias or expiry", w.Code, c)
	}
	w = serve(t, srv, "POST", "/api/v1/auth/register", `{"email":"a@example.com","password":"Correct7Horse","full_name":null}`)
	if w.Code != http.StatusCreated {
		t.Fatalf("register with full_name null: status %d: %s", w.Code, w.Body)
	}
}
