package httpapi_test

import (
	"context"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/auth"
)

// fakeKeyCalls records what the key management calls were given.
type fakeKeyCalls struct {
	created *auth.KeyInput
	caller  *shortener.Caller
	revoked string
}

// CreateKey refuses keys, as the service does, and makes a fixed key.
func (f *fakeAuth) CreateKey(_ context.Context, caller *shortener.Caller, in auth.KeyInput) (*shortener.APIKey, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.keyCalls.created, f.keyCalls.caller = &in, caller
	if caller.IsKey() {
		return nil, "", shortener.ErrKeyNotAllowed
	}
	scopes, err := shortener.CheckScopes("body.scopes", in.Scopes)
	if err != nil {
		return nil, "", err
	}
	const raw = "shk_0123456789abcdefghijABCDEFGHIJ0123456789"
	return &shortener.APIKey{ID: "0190a0f4-0000-7000-8000-0000000000aa", UserID: caller.User.ID, Name: in.Name,
		Prefix: raw[:12], KeyHash: shortener.HashAPIKey(raw), Scopes: scopes, CreatedAt: testNow, ExpiresAt: in.ExpiresAt}, raw, nil
}

func (f *fakeAuth) ListKeys(_ context.Context, caller *shortener.Caller) ([]*shortener.APIKey, error) {
	if caller.IsKey() {
		return nil, shortener.ErrKeyNotAllowed
	}
	used := testNow.Add(-time.Hour)
	return []*shortener.APIKey{{ID: "0190a0f4-0000-7000-8000-0000000000aa", UserID: caller.User.ID, Name: "CI",
		Prefix: "shk_01234567", KeyHash: "secret-hash", Scopes: []shortener.Scope{shortener.ScopeLinksRead},
		CreatedAt: testNow, LastUsedAt: &used}}, nil
}

func (f *fakeAuth) RevokeKey(_ context.Context, caller *shortener.Caller, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.keyCalls.revoked = id
	if caller.IsKey() {
		return shortener.ErrKeyNotAllowed
	}
	if id != "0190a0f4-0000-7000-8000-0000000000aa" {
		return shortener.Errorf(shortener.ENOTFOUND, "%s", shortener.MsgKeyNotFound)
	}
	return nil
}

// allKeys is an API key of ada's with every scope; keyWith(scope) one with
// that scope only.
const allKeys = "shk_all"

func keyWith(s shortener.Scope) string { return "shk_" + string(s) }

// testKeys are the API keys fakeAuth knows.
func testKeys() map[string][]shortener.Scope {
	keys := map[string][]shortener.Scope{allKeys: shortener.AllScopes}
	for _, s := range shortener.AllScopes {
		keys[keyWith(s)] = []shortener.Scope{s}
	}
	return keys
}
