package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

func newKey(userID string, at time.Time) (*shortener.APIKey, string) {
	raw := shortener.NewAPIKey()
	return &shortener.APIKey{
		ID: shortener.NewIDAt(at), UserID: userID, Name: "CI deploys", Prefix: shortener.APIKeyDisplayPrefix(raw),
		KeyHash: shortener.HashAPIKey(raw), Scopes: []shortener.Scope{shortener.ScopeLinksRead, shortener.ScopeWebhooksWrite},
		CreatedAt: at,
	}, raw
}

func testKeys(t *testing.T, open func(t *testing.T) Stores) {
	ctx := context.Background()

	t.Run("CreateReadList", func(t *testing.T) {
		s := open(t)
		u, other := mustUser(t, s, "keys@example.com"), mustUser(t, s, "other@example.com")
		k1, _ := newKey(u.ID, t0)
		k1.ExpiresAt = ptr(t0.Add(time.Hour))
		k2, _ := newKey(u.ID, t0.Add(time.Second))
		k3, _ := newKey(other.ID, t0)
		for _, k := range []*shortener.APIKey{k1, k2, k3} {
			noErr(t, s.Keys.CreateKey(ctx, k))
		}
		got, err := s.Keys.KeyByHash(ctx, k1.KeyHash)
		noErr(t, err)
		if !reflect.DeepEqual(got, k1) {
			t.Errorf("KeyByHash = %+v, want %+v", got, k1)
		}
		_, err = s.Keys.KeyByHash(ctx, shortener.HashAPIKey("shk_unknown"))
		wantCode(t, err, shortener.ENOTFOUND)

		list, err := s.Keys.ListKeys(ctx, u.ID)
		noErr(t, err)
		if len(list) != 2 || list[0].ID != k2.ID || list[1].ID != k1.ID {
			t.Errorf("ListKeys = %v, want k2, k1 (newest first, only the user's)", list)
		}
		none, err := s.Keys.ListKeys(ctx, shortener.NewID())
		noErr(t, err)
		if none == nil || len(none) != 0 {
			t.Errorf("ListKeys of a user without keys = %#v, want an empty list", none)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		s := open(t)
		u, other := mustUser(t, s, "del@example.com"), mustUser(t, s, "thief@example.com")
		k, _ := newKey(u.ID, t0)
		noErr(t, s.Keys.CreateKey(ctx, k))
		wantCode(t, s.Keys.DeleteKey(ctx, other.ID, k.ID), shortener.ENOTFOUND)
		wantCode(t, s.Keys.DeleteKey(ctx, u.ID, "not-a-uuid"), shortener.ENOTFOUND)
		noErr(t, s.Keys.DeleteKey(ctx, u.ID, k.ID))
		_, err := s.Keys.KeyByHash(ctx, k.KeyHash)
		wantCode(t, err, shortener.ENOTFOUND)
		wantCode(t, s.Keys.DeleteKey(ctx, u.ID, k.ID), shortener.ENOTFOUND)
	})

	t.Run("TouchAtMostEvery", func(t *testing.T) {
		s := open(t)
		u := mustUser(t, s, "touch@example.com")
		k, _ := newKey(u.ID, t0)
		noErr(t, s.Keys.CreateKey(ctx, k))
		lastUsed := func() *time.Time {
			got, err := s.Keys.KeyByHash(ctx, k.KeyHash)
			noErr(t, err)
			return got.LastUsedAt
		}
		noErr(t, s.Keys.TouchKey(ctx, k.ID, t0.Add(time.Second), time.Minute))
		if got := lastUsed(); got == nil || !got.Equal(t0.Add(time.Second)) {
			t.Fatalf("last_used_at = %v after the first use, want %v", got, t0.Add(time.Second))
		}
		noErr(t, s.Keys.TouchKey(ctx, k.ID, t0.Add(30*time.Second), time.Minute))
		if got := lastUsed(); !got.Equal(t0.Add(time.Second)) {
			t.Errorf("last_used_at = %v, want it unchanged within a minute", got)
		}
		noErr(t, s.Keys.TouchKey(ctx, k.ID, t0.Add(61*time.Second), time.Minute))
		if got := lastUsed(); !got.Equal(t0.Add(61 * time.Second)) {
			t.Errorf("last_used_at = %v, want it moved after a minute", got)
		}
		noErr(t, s.Keys.TouchKey(ctx, shortener.NewID(), t0, time.Minute))
	})
}
