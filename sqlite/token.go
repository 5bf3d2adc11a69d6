package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/shortener-dev/shortener"
)

// TokenStore keeps refresh tokens in SQLite.
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
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

func tokenArgs(t *shortener.RefreshToken) []any {
	return []any{t.ID, t.UserID, t.FamilyID, t.TokenHash, t.UserAgent, t.IP,
		micros(t.ExpiresAt), micros(t.CreatedAt), nullMicros(t.ConsumedAt), nullMicros(t.RevokedAt)}
}

// CreateRefreshToken inserts t.
func (s *TokenStore) CreateRefreshToken(ctx context.Context, t *shortener.RefreshToken) error {
	_, err := s.db.write.ExecContext(ctx, insertToken, tokenArgs(t)...)
	return storeError("create refresh token", err, "", msgTokenConflict)
}

// RefreshTokenByHash returns the token with the given hash whatever its
// state, or ENOTFOUND.
func (s *TokenStore) RefreshTokenByHash(ctx context.Context, hash string) (*shortener.RefreshToken, error) {
	var (
		t                 shortener.RefreshToken
		expires, created  int64
		consumed, revoked sql.NullInt64
	)
	err := s.db.read.QueryRowContext(ctx, `
		SELECT id, user_id, family_id, token_hash, user_agent, ip, expires_at, created_at, consumed_at, revoked_at
		FROM refresh_tokens WHERE token_hash = ?`, hash).Scan(
		&t.ID, &t.UserID, &t.FamilyID, &t.TokenHash, &t.UserAgent, &t.IP,
		&expires, &created, &consumed, &revoked)
	if err != nil {
		return nil, storeError("refresh token by hash", err, msgTokenNotFound, "")
	}
	t.ExpiresAt, t.CreatedAt = fromMicros(expires), fromMicros(created)
	t.ConsumedAt, t.RevokedAt = timePtr(consumed), timePtr(revoked)
	return &t, nil
}

// RotateRefreshToken consumes oldID and inserts next in one transaction.
// The conditional UPDATE is the arbiter between concurrent rotations: only
// the one that still finds the token unconsumed and unrevoked inserts.
func (s *TokenStore) RotateRefreshToken(ctx context.Context, oldID string, next *shortener.RefreshToken, now time.Time) (err error) {
	tx, err := s.db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: rotate refresh token: begin: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	res, err := tx.ExecContext(ctx, `
		UPDATE refresh_tokens SET consumed_at = ?
		WHERE id = ? AND consumed_at IS NULL AND revoked_at IS NULL`,
		micros(now), oldID)
	if err != nil {
		return storeError("rotate refresh token", cancelled(ctx, err), "", "")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlite: rotate refresh token: %w", err)
	}
	if n == 0 {
		return shortener.Errorf(shortener.ECONFLICT, "%s", msgTokenUsed)
	}
	if _, err = tx.ExecContext(ctx, insertToken, tokenArgs(next)...); err != nil {
		return storeError("rotate refresh token", cancelled(ctx, err), "", msgTokenConflict)
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: rotate refresh token: commit: %w", cancelled(ctx, err))
	}
	return nil
}

// RevokeTokenFamily revokes every token of the family not yet revoked.
func (s *TokenStore) RevokeTokenFamily(ctx context.Context, familyID string, now time.Time) error {
	_, err := s.db.write.ExecContext(ctx,
		`UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL`,
		micros(now), familyID)
	return storeError("revoke token family", err, "", "")
}

// RevokeUserTokens revokes every token of the user not yet revoked, except
// those of keepFamily.
func (s *TokenStore) RevokeUserTokens(ctx context.Context, userID, keepFamily string, now time.Time) error {
	_, err := s.db.write.ExecContext(ctx,
		`UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND family_id <> ? AND revoked_at IS NULL`,
		micros(now), strings.ToLower(userID), strings.ToLower(keepFamily))
	return storeError("revoke user tokens", err, "", "")
}

// LoginLive reports whether the user's family holds a token not revoked.
func (s *TokenStore) LoginLive(ctx context.Context, userID, familyID string) (bool, error) {
	var live bool
	err := s.db.read.QueryRowContext(ctx,
		`SELECT EXISTS (SELECT 1 FROM refresh_tokens WHERE family_id = ? AND user_id = ? AND revoked_at IS NULL)`,
		strings.ToLower(familyID), strings.ToLower(userID)).Scan(&live)
	return live, storeError("login live", err, "", "")
}
