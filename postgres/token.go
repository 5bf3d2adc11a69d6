package postgres

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/shortener-dev/shortener"
)

// TokenStore keeps refresh tokens in PostgreSQL.
type TokenStore struct{ db *DB }

var _ shortener.TokenStore = (*TokenStore)(nil)

// NewTokenStore returns a TokenStore on db.
func NewTokenStore(db *DB) *TokenStore { return &TokenStore{db: db} }

const (
	msgTokenNotFound = shortener.MsgTokenNotFound
	msgTokenConflict = shortener.MsgTokenConflict
	msgTokenUsed     = shortener.MsgTokenUsed
)

const insertToken = `
	INSERT INTO refresh_tokens
		(id, user_id, family_id, token_hash, user_agent, ip, expires_at, created_at, consumed_at, revoked_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`

// Token changes of one user take turns: a rotation and a revocation hold
// the user's advisory lock (class tokenLockClass, key the hash of the user
// ID) until they commit. Without it, under READ COMMITTED, a revocation
// whose UPDATE started before a concurrent rotation committed did not see
// the token that rotation inserted, and that token outlived the
// revocation (reuse detection, logout or a password change racing a
// refresh). SQLite's single writer serialises them already.
const (
	tokenLockClass = int32(0x746f6b) // "tok"
	lockUserTokens = `SELECT pg_advisory_xact_lock($1, hashtext($2::uuid::text))`
)

func tokenArgs(t *shortener.RefreshToken) []any {
	return []any{t.ID, t.UserID, t.FamilyID, t.TokenHash, t.UserAgent, t.IP,
		t.ExpiresAt, t.CreatedAt, t.ConsumedAt, t.RevokedAt}
}

// CreateRefreshToken inserts t.
func (s *TokenStore) CreateRefreshToken(ctx context.Context, t *shortener.RefreshToken) error {
	_, err := s.db.pool.Exec(ctx, insertToken, tokenArgs(t)...)
	return storeError("create refresh token", err, "", msgTokenConflict)
}

// RefreshTokenByHash returns the token with the given hash whatever its
// state, or ENOTFOUND.
func (s *TokenStore) RefreshTokenByHash(ctx context.Context, hash string) (*shortener.RefreshToken, error) {
	var (
		t                 shortener.RefreshToken
		consumed, revoked pgtype.Timestamptz
	)
	err := s.db.pool.QueryRow(ctx, `
		SELECT id, user_id, family_id, token_hash, user_agent, ip, expires_at, created_at, consumed_at, revoked_at
		FROM refresh_tokens WHERE token_hash = $1`, hash).Scan(
		&t.ID, &t.UserID, &t.FamilyID, &t.TokenHash, &t.UserAgent, &t.IP,
		&t.ExpiresAt, &t.CreatedAt, &consumed, &revoked)
	if err != nil {
		return nil, storeError("refresh token by hash", err, msgTokenNotFound, "")
	}
	t.ExpiresAt, t.CreatedAt = t.ExpiresAt.UTC(), t.CreatedAt.UTC()
	t.ConsumedAt, t.RevokedAt = utcPtr(consumed), utcPtr(revoked)
	return &t, nil
}

// RotateRefreshToken consumes oldID and inserts next in one transaction.
// The conditional UPDATE is the arbiter between concurrent rotations: the
// second waits for the first's row lock, then finds consumed_at set and
// matches no row.
func (s *TokenStore) RotateRefreshToken(ctx context.Context, oldID string, next *shortener.RefreshToken, now time.Time) error {
	if !shortener.IsID(oldID) {
		return shortener.Errorf(shortener.ECONFLICT, "%s", msgTokenUsed)
	}
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, lockUserTokens, tokenLockClass, next.UserID); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			UPDATE refresh_tokens SET consumed_at = $1
			WHERE id = $2 AND consumed_at IS NULL AND revoked_at IS NULL`,
			now, oldID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return shortener.Errorf(shortener.ECONFLICT, "%s", msgTokenUsed)
		}
		_, err = tx.Exec(ctx, insertToken, tokenArgs(next)...)
		return err
	})
	if e := (*shortener.Error)(nil); errors.As(err, &e) {
		return e
	}
	return storeError("rotate refresh token", err, "", msgTokenConflict)
}

// RevokeTokenFamily revokes every token of the family not yet revoked.
func (s *TokenStore) RevokeTokenFamily(ctx context.Context, familyID string, now time.Time) error {
	if !shortener.IsID(familyID) {
		return ctx.Err() // no such family; nothing to revoke
	}
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			SELECT pg_advisory_xact_lock($1, hashtext(user_id::text))
			FROM (SELECT DISTINCT user_id FROM refresh_tokens WHERE family_id = $2) AS u`,
			tokenLockClass, familyID)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx,
			`UPDATE refresh_tokens SET revoked_at = $1 WHERE family_id = $2 AND revoked_at IS NULL`,
			now, familyID)
		return err
	})
	return storeError("revoke token family", err, "", "")
}

// RevokeUserTokens revokes every token of the user not yet revoked, except
// those of keepFamily.
func (s *TokenStore) RevokeUserTokens(ctx context.Context, userID, keepFamily string, now time.Time) error {
	if !shortener.IsID(userID) {
		return ctx.Err() // no such user; nothing to revoke
	}
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, lockUserTokens, tokenLockClass, userID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx,
			`UPDATE refresh_tokens SET revoked_at = $1
			WHERE user_id = $2 AND family_id::text <> $3 AND revoked_at IS NULL`,
			now, userID, strings.ToLower(keepFamily))
		return err
	})
	return storeError("revoke user tokens", err, "", "")
}

// LoginLive reports whether the user's family holds a token not revoked.
func (s *TokenStore) LoginLive(ctx context.Context, userID, familyID string) (bool, error) {
	if !shortener.IsID(familyID) || !shortener.IsID(userID) {
		return false, ctx.Err()
	}
	var live bool
	err := s.db.pool.QueryRow(ctx,
		`SELECT EXISTS (SELECT FROM refresh_tokens WHERE family_id = $1 AND user_id = $2 AND revoked_at IS NULL)`,
		familyID, userID).Scan(&live)
	return live, storeError("login live", err, "", "")
}
