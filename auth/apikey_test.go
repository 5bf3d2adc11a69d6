package auth_test

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/auth"
	"github.com/shortener-dev/shortener/internal/testdb"
	"github.com/shortener-dev/shortener/storetest"
)

// person registers and logs in ada and returns her as a caller.
func person(t *testing.T, svc *auth.Service) *shortener.Caller {
	t.Helper()
	pair := registerAndLogin(t, svc)
	c, err := svc.Authenticate(context.Background(), pair.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustKey(t *testing.T, svc *auth.Service, c *shortener.Caller, in auth.KeyInput) (*shortener.APIKey, string) {
	t.Helper()
	k, raw, err := svc.CreateKey(context.Background(), c, in)
	if err != nil {
		t.Fatal(err)
	}
	return k, raw
}

func TestAPIKeyAuthenticates(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		ctx := context.Background()
		clock := newFakeClock()
		svc := newService(s, clock)
		ada := person(t, svc)
		k, raw := mustKey(t, svc, ada, auth.KeyInput{Name: " CI ", Scopes: []string{"links:write", "links:read"}})
		if !regexp.MustCompile(`^shk_[0-9A-Za-z]{40}$`).MatchString(raw) || k.Prefix != raw[:12] || k.Name != "CI" {
			t.Fatalf("key %q, prefix %q, name %q", raw, k.Prefix, k.Name)
		}
		if k.KeyHash == raw || k.KeyHash != shortener.HashAPIKey(raw) {
			t.Fatal("the key is not stored as its hash")
		}
		c, err := svc.Authenticate(ctx, raw)
		if err != nil {
			t.Fatal(err)
		}
		if !c.IsKey() || c.User.ID != ada.User.ID || !c.Allows(shortener.ScopeLinksWrite) || c.Allows(shortener.ScopeWebhooksWrite) {
			t.Fatalf("caller of the key = %+v", c)
		}
		if !slices.Equal(c.Key.Scopes, []shortener.Scope{shortener.ScopeLinksRead, shortener.ScopeLinksWrite}) {
			t.Errorf("scopes = %v", c.Key.Scopes)
		}

		lastUsed := func() time.Time {
			got, err := s.Keys.KeyByHash(ctx, k.KeyHash)
			if err != nil || got.LastUsedAt == nil {
				t.Fatalf("last_used_at of the key: %v, %v", got, err)
			}
			return *got.LastUsedAt
		}
		first := lastUsed()
		if !first.Equal(clock.Now()) {
			t.Errorf("last_used_at = %v, want %v", first, clock.Now())
		}
		clock.Advance(30 * time.Second)
		if _, err := svc.Authenticate(ctx, raw); err != nil {
			t.Fatal(err)
		}
		if got := lastUsed(); !got.Equal(first) {
			t.Errorf("last_used_at moved to %v within a minute", got)
		}
		clock.Advance(31 * time.Second)
		if _, err := svc.Authenticate(ctx, raw); err != nil {
			t.Fatal(err)
		}
		if got := lastUsed(); !got.Equal(clock.Now()) {
			t.Errorf("last_used_at = %v after a minute, want %v", got, clock.Now())
		}
	})
}

func TestAPIKeyRefused(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		ctx := context.Background()
		clock := newFakeClock()
		svc := newService(s, clock)
		other := newService(s, clock) // a second instance on the same database
		ada := person(t, svc)
		_, revoked := mustKey(t, svc, ada, auth.KeyInput{Name: "old", Scopes: []string{"links:read"}})
		soon := clock.Now().Add(time.Hour)
		_, expiring := mustKey(t, svc, ada, auth.KeyInput{Name: "temp", Scopes: []string{"links:read"}, ExpiresAt: &soon})
		for _, raw := range []string{revoked, expiring} {
			if _, err := other.Authenticate(ctx, raw); err != nil {
				t.Fatalf("key works before: %v", err)
			}
		}
		keys, err := svc.ListKeys(ctx, ada)
		if err != nil || len(keys) != 2 || keys[0].Name != "temp" {
			t.Fatalf("ListKeys = %v, %v", keys, err)
		}
		if err := svc.RevokeKey(ctx, ada, keys[1].ID); err != nil {
			t.Fatal(err)
		}
		_, err = other.Authenticate(ctx, revoked)
		wantCode(t, err, shortener.EUNAUTHORIZED)
		clock.Advance(time.Hour)
		_, err = other.Authenticate(ctx, expiring)
		wantCode(t, err, shortener.EUNAUTHORIZED)
		for _, bad := range []string{"shk_", "shk_" + string(make([]byte, 300)), shortener.NewAPIKey()} {
			_, err = svc.Authenticate(ctx, bad)
			wantCode(t, err, shortener.EUNAUTHORIZED)
		}
		noKeys := auth.NewService(auth.Config{Users: s.Users, Tokens: s.Tokens, Secret: secret, Clock: clock.Now})
		_, err = noKeys.Authenticate(ctx, expiring)
		wantCode(t, err, shortener.EUNAUTHORIZED)

		// Another user cannot revoke ada's key.
		if _, err := svc.Register(ctx, "eve@example.com", "Correct7Horse", ""); err != nil {
			t.Fatal(err)
		}
		pair, err := svc.Login(ctx, "eve@example.com", "Correct7Horse", client)
		if err != nil {
			t.Fatal(err)
		}
		eve, _ := svc.Authenticate(ctx, pair.AccessToken)
		wantCode(t, svc.RevokeKey(ctx, eve, keys[0].ID), shortener.ENOTFOUND)
		wantCode(t, svc.RevokeKey(ctx, ada, "not-an-id"), shortener.ENOTFOUND)
	})
}

func TestKeyManagementRefusesKeys(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		ctx := context.Background()
		svc := newService(s, newFakeClock())
		ada := person(t, svc)
		all := []string{"links:read", "links:write", "analytics:read", "webhooks:write"}
		k, raw := mustKey(t, svc, ada, auth.KeyInput{Name: "all", Scopes: all})
		c, err := svc.Authenticate(ctx, raw)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = svc.CreateKey(ctx, c, auth.KeyInput{Name: "x", Scopes: all})
		wantCode(t, err, shortener.EFORBIDDEN)
		_, err = svc.ListKeys(ctx, c)
		wantCode(t, err, shortener.EFORBIDDEN)
		wantCode(t, svc.RevokeKey(ctx, c, k.ID), shortener.EFORBIDDEN)
		name := "Key"
		_, err = svc.UpdateProfile(ctx, raw, auth.ProfileUpdate{FullName: &name})
		wantCode(t, err, shortener.EFORBIDDEN)
	})
}

func TestCreateKeyValidates(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		clock := newFakeClock()
		svc := newService(s, clock)
		ada := person(t, svc)
		past := clock.Now().Add(-time.Second)
		tests := []struct {
			in       auth.KeyInput
			location string
		}{
			{auth.KeyInput{Name: " ", Scopes: []string{"links:read"}}, "body.name"},
			{auth.KeyInput{Name: "a\u202eb", Scopes: []string{"links:read"}}, "body.name"},
			{auth.KeyInput{Name: "ok"}, "body.scopes"},
			{auth.KeyInput{Name: "ok", Scopes: []string{"links:read", "admin"}}, "body.scopes[1]"},
			{auth.KeyInput{Name: "ok", Scopes: []string{"links:read"}, ExpiresAt: &past}, "body.expires_at"},
		}
		for _, tt := range tests {
			_, _, err := svc.CreateKey(context.Background(), ada, tt.in)
			var e *shortener.Error
			if shortener.ErrorCode(err) != shortener.EINVALID || !errors.As(err, &e) || e.Fields[0].Location != tt.location {
				t.Errorf("CreateKey(%+v) = %v, want EINVALID at %s", tt.in, err, tt.location)
			}
		}
	})
}
