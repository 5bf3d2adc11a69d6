package shortener_test

import (
	"errors"
	"regexp"
	"slices"
	"testing"

	"github.com/shortener-dev/shortener"
)

func TestNewAPIKeyFormat(t *testing.T) {
	re := regexp.MustCompile(`^shk_[0-9A-Za-z]{40,}$`)
	seen := map[string]bool{}
	for range 100 {
		k := shortener.NewAPIKey()
		if !re.MatchString(k) {
			t.Fatalf("key %q does not match %s", k, re)
		}
		if seen[k] {
			t.Fatalf("key %q made twice", k)
		}
		seen[k] = true
		if p := shortener.APIKeyDisplayPrefix(k); len(p) != 12 || p != k[:12] {
			t.Fatalf("prefix %q of %q, want its first 12 characters", p, k)
		}
		if !shortener.IsAPIKey(k) {
			t.Fatalf("IsAPIKey(%q) = false", k)
		}
	}
	if shortener.IsAPIKey("eyJhbGciOiJIUzI1NiJ9.e30.sig") {
		t.Error("a JWT taken for an API key")
	}
	if h := shortener.HashAPIKey("shk_x"); len(h) != 64 || h == shortener.HashAPIKey("shk_y") {
		t.Errorf("HashAPIKey = %q, want 64 hex digits that differ per key", h)
	}
}

func TestCheckScopes(t *testing.T) {
	got, err := shortener.CheckScopes("body.scopes", []string{"webhooks:write", "links:read", "links:read"})
	if err != nil || !slices.Equal(got, []shortener.Scope{shortener.ScopeLinksRead, shortener.ScopeWebhooksWrite}) {
		t.Errorf("CheckScopes = %v, %v; want links:read webhooks:write", got, err)
	}
	for _, bad := range [][]string{nil, {}, {"links:delete"}, {"links:read", "LINKS:READ"}, {""}} {
		_, err := shortener.CheckScopes("body.scopes", bad)
		if shortener.ErrorCode(err) != shortener.EINVALID {
			t.Errorf("CheckScopes(%q) = %v, want EINVALID", bad, err)
		}
	}
	_, err = shortener.CheckScopes("body.scopes", []string{"links:read", "nope"})
	var e *shortener.Error
	if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Location != "body.scopes[1]" {
		t.Errorf("CheckScopes error = %#v, want one field at body.scopes[1]", err)
	}
	if s := shortener.SplitScopes(shortener.JoinScopes(shortener.AllScopes)); !slices.Equal(s, shortener.AllScopes) {
		t.Errorf("scopes do not survive JoinScopes/SplitScopes: %v", s)
	}
}

func TestCallerAllows(t *testing.T) {
	u := &shortener.User{ID: "u"}
	person := shortener.PersonCaller(u)
	key := shortener.KeyCaller(u, &shortener.APIKey{Scopes: []shortener.Scope{shortener.ScopeLinksRead}})
	for _, s := range shortener.AllScopes {
		if !person.Allows(s) {
			t.Errorf("a person lacks %s", s)
		}
		if key.Allows(s) != (s == shortener.ScopeLinksRead) {
			t.Errorf("key with links:read: Allows(%s) = %v", s, key.Allows(s))
		}
	}
	if person.IsKey() || !key.IsKey() {
		t.Error("IsKey wrong")
	}
	var none *shortener.Caller
	if none.Allows(shortener.ScopeLinksRead) || none.UserOf() != nil || none.IsKey() {
		t.Error("a nil caller may do something")
	}
}
