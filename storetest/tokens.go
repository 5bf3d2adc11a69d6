package storetest

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

func newToken(userID, familyID string, at time.Time) *shortener.RefreshToken {
	id := shortener.NewID()
	return &shortener.RefreshToken{
		ID:        id,
		UserID:    userID,
		FamilyID:  familyID,
		TokenHash: "hash-" + id,
		UserAgent: "Mozilla/5.0",
		IP:        "203.0.113.7",
		ExpiresAt: at.Add(30 * 24 * time.Hour),
		CreatedAt: at,
	}
}

func mustToken(t *testing.T, s Stores, userID, familyID string) *shortener.RefreshToken {
	t.Helper()
	tok := newToken(userID, familyID, t0)
	noErr(t, s.Tokens.CreateRefreshToken(context.Background(), tok))
	return tok
}

func tokenByHash(t *testing.T, s Stores, hash string) *shortener.RefreshToken {
	t.Helper()
	got, err := s.Tokens.RefreshTokenByHash(context.Background(), hash)
	noErr(t, err)
	return got
}

func testTokens(t *testing.T, open func(t *testing.T) Stores) {
	ctx := context.Background()

	t.Run("CreateAndRead", func(t *testing.T) {
		s := open(t)
		u := mustUser(t, s, "tok@example.com")
		tok := mustToken(t, s, u.ID, shortener.NewID())
		got := tokenByHash(t, s, tok.TokenHash)
		if !reflect.DeepEqual(got, tok) {
			t.Errorf("RefreshTokenByHash = %+v, want %+v", got, tok)
		}

		// Consumed and revoked tokens are returned too, with their times.
		done := newToken(u.ID, tok.FamilyID, t0)
		done.ConsumedAt, done.RevokedAt = ptr(t0.Add(time.Minute)), ptr(t0.Add(time.Hour))
		noErr(t, s.Tokens.CreateRefreshToken(ctx, done))
		got = tokenByHash(t, s, done.TokenHash)
		if !reflect.DeepEqual(got, done) {
			t.Errorf("RefreshTokenByHash = %+v, want %+v", got, done)
		}

		_, err := s.Tokens.RefreshTokenByHash(ctx, "no-such-hash")
		wantCode(t, err, shortener.ENOTFOUND)
	})

	t.Run("DuplicateHash", func(t *testing.T) {
		s := open(t)
		u := mustUser(t, s, "dup@example.com")
		tok := mustToken(t, s, u.ID, shortener.NewID())
		again := newToken(u.ID, tok.FamilyID, t0)
		again.TokenHash = tok.TokenHash
		wantCode(t, s.Tokens.CreateRefreshToken(ctx, again), shortener.ECONFLICT)
	})

	t.Run("Rotate", func(t *testing.T) {
		s := open(t)
		u := mustUser(t, s, "rot@example.com")
		old := mustToken(t, s, u.ID, shortener.NewID())
		now := t0.Add(time.Minute)
		next := newToken(u.ID, old.FamilyID, now)
		noErr(t, s.Tokens.RotateRefreshToken(ctx, old.ID, next, now))

		got := tokenByHash(t, s, old.TokenHash)
		if got.ConsumedAt == nil || got.RevokedAt != nil {
			t.Fatalf("old token after rotation: consumed %v revoked %v, want consumed only", got.ConsumedAt, got.RevokedAt)
		}
		wantTime(t, "ConsumedAt", *got.ConsumedAt, now)
		if got := tokenByHash(t, s, next.TokenHash); !reflect.DeepEqual(got, next) {
			t.Errorf("next token = %+v, want %+v", got, next)
		}

		// Rotating the consumed token again conflicts and inserts nothing.
		again := newToken(u.ID, old.FamilyID, now)
		wantCode(t, s.Tokens.RotateRefreshToken(ctx, old.ID, again, now.Add(time.Minute)), shortener.ECONFLICT)
		_, err := s.Tokens.RefreshTokenByHash(ctx, again.TokenHash)
		wantCode(t, err, shortener.ENOTFOUND)
		wantTime(t, "ConsumedAt after failed rotation", *tokenByHash(t, s, old.TokenHash).ConsumedAt, now)
	})

	t.Run("RotateRevoked", func(t *testing.T) {
		s := open(t)
		u := mustUser(t, s, "rev@example.com")
		old := mustToken(t, s, u.ID, shortener.NewID())
		noErr(t, s.Tokens.RevokeTokenFamily(ctx, old.FamilyID, t0))
		next := newToken(u.ID, old.FamilyID, t0)
		wantCode(t, s.Tokens.RotateRefreshToken(ctx, old.ID, next, t0), shortener.ECONFLICT)
		_, err := s.Tokens.RefreshTokenByHash(ctx, next.TokenHash)
		wantCode(t, err, shortener.ENOTFOUND)
		if got := tokenByHash(t, s, old.TokenHash); got.ConsumedAt != nil {
			t.Errorf("revoked token got consumed at %v", got.ConsumedAt)
		}
	})

	t.Run("RotationRaceOneWins", func(t *testing.T) {
		s := open(t)
		u := mustUser(t, s, "race@example.com")
		old := mustToken(t, s, u.ID, shortener.NewID())
		const n = 8
		nexts := make([]*shortener.RefreshToken, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			nexts[i] = newToken(u.ID, old.FamilyID, t0)
			wg.Go(func() {
				errs[i] = s.Tokens.RotateRefreshToken(ctx, old.ID, nexts[i], t0.Add(time.Second))
			})
		}
		wg.Wait()
		won := 0
		for i, err := range errs {
			_, lookErr := s.Tokens.RefreshTokenByHash(ctx, nexts[i].TokenHash)
			if err == nil {
				won++
				noErr(t, lookErr)
			} else {
				wantCode(t, err, shortener.ECONFLICT)
				wantCode(t, lookErr, shortener.ENOTFOUND)
			}
		}
		if won != 1 {
			t.Fatalf("%d rotations succeeded, want exactly 1", won)
		}
	})

	// A login revoked while one of its tokens rotates ends with no live
	// token: the rotation's new token is revoked too, whichever commits
	// first (reuse detection and logout against a refresh in flight; a
	// password change against another login's refresh).
	t.Run("RevokeRacingRotationLeavesNothingLive", func(t *testing.T) {
		s := open(t)
		u := mustUser(t, s, "revrace@example.com")
		revokes := map[string]func(fam string) error{
			"family": func(fam string) error { return s.Tokens.RevokeTokenFamily(ctx, fam, t0) },
			"user":   func(string) error { return s.Tokens.RevokeUserTokens(ctx, u.ID, "", t0) },
		}
		for name, revoke := range revokes {
			for round := range 40 {
				old := mustToken(t, s, u.ID, shortener.NewID())
				next := newToken(u.ID, old.FamilyID, t0)
				var wg sync.WaitGroup
				var rotateErr, revokeErr error
				wg.Go(func() { rotateErr = s.Tokens.RotateRefreshToken(ctx, old.ID, next, t0.Add(time.Second)) })
				wg.Go(func() { revokeErr = revoke(old.FamilyID) })
				wg.Wait()
				noErr(t, revokeErr)
				if rotateErr != nil {
					wantCode(t, rotateErr, shortener.ECONFLICT)
				}
				live, err := s.Tokens.LoginLive(ctx, old.UserID, old.FamilyID)
				noErr(t, err)
				if live {
					t.Fatalf("revoke by %s, round %d: the login has a live token after the revocation (rotation error %v)",
						name, round, rotateErr)
				}
			}
		}
	})

	t.Run("RevokeFamily", func(t *testing.T) {
		s := open(t)
		u := mustUser(t, s, "fam@example.com")
		famA, famB := shortener.NewID(), shortener.NewID()
		a1, a2 := mustToken(t, s, u.ID, famA), mustToken(t, s, u.ID, famA)
		early := newToken(u.ID, famA, t0)
		early.RevokedAt = ptr(t0.Add(-time.Hour))
		noErr(t, s.Tokens.CreateRefreshToken(ctx, early))
		b1 := mustToken(t, s, u.ID, famB)

		now := t0.Add(time.Hour)
		noErr(t, s.Tokens.RevokeTokenFamily(ctx, famA, now))
		for _, tok := range []*shortener.RefreshToken{a1, a2} {
			got := tokenByHash(t, s, tok.TokenHash)
			if got.RevokedAt == nil {
				t.Fatalf("token of revoked family not revoked")
			}
			wantTime(t, "RevokedAt", *got.RevokedAt, now)
		}
		// A token revoked before keeps its first revocation time.
		wantTime(t, "earlier RevokedAt", *tokenByHash(t, s, early.TokenHash).RevokedAt, t0.Add(-time.Hour))
		if got := tokenByHash(t, s, b1.TokenHash); got.RevokedAt != nil {
			t.Errorf("token of another family revoked at %v", got.RevokedAt)
		}
		noErr(t, s.Tokens.RevokeTokenFamily(ctx, shortener.NewID(), now))
	})

	t.Run("RevokeUserTokensKeepsOneFamily", func(t *testing.T) {
		s := open(t)
		u, other := mustUser(t, s, "pw@example.com"), mustUser(t, s, "other@example.com")
		keep, drop1, drop2 := shortener.NewID(), shortener.NewID(), shortener.NewID()
		k, d1, d2 := mustToken(t, s, u.ID, keep), mustToken(t, s, u.ID, drop1), mustToken(t, s, u.ID, drop2)
		o := mustToken(t, s, other.ID, shortener.NewID())
		now := t0.Add(time.Hour)
		noErr(t, s.Tokens.RevokeUserTokens(ctx, u.ID, keep, now))
		for _, tok := range []*shortener.RefreshToken{d1, d2} {
			if got := tokenByHash(t, s, tok.TokenHash); got.RevokedAt == nil {
				t.Errorf("token of another login of the user not revoked")
			}
		}
		for name, tok := range map[string]*shortener.RefreshToken{"kept login": k, "other user": o} {
			if got := tokenByHash(t, s, tok.TokenHash); got.RevokedAt != nil {
				t.Errorf("%s revoked", name)
			}
		}
		noErr(t, s.Tokens.RevokeUserTokens(ctx, u.ID, "", now))
		if got := tokenByHash(t, s, k.TokenHash); got.RevokedAt == nil {
			t.Error("keeping no family left a token")
		}
	})
}
