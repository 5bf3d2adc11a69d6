package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/shortener-dev/shortener"
)

// KeyStore keeps API keys in PostgreSQL.
type KeyStore struct{ db *DB }

var _ shortener.KeyStore = (*KeyStore)(nil)

// NewKeyStore returns a KeyStore on db.
func NewKeyStore(db *DB) *KeyStore { return &KeyStore{db: db} }

const keyColumns = `id, user_id, name, prefix, key_hash, scopes, created_at, expires_at, last_used_at`

// CreateKey inserts k.
func (s *KeyStore) CreateKey(ctx context.Context, k *shortener.APIKey) error {
	_, err := s.db.pool.Exec(ctx, `INSERT INTO api_keys (`+keyColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		k.ID, k.UserID, k.Name, k.Prefix, k.KeyHash, shortener.JoinScopes(k.Scopes), k.CreatedAt, k.ExpiresAt, k.LastUsedAt)
	return storeError("create api key", err, "", "")
}

// KeyByHash returns the key with the given hash, or ENOTFOUND: one probe
// of the unique index, on every request with a key.
func (s *KeyStore) KeyByHash(ctx context.Context, hash string) (*shortener.APIKey, error) {
	k, err := scanKey(s.db.pool.QueryRow(ctx, `SELECT `+keyColumns+` FROM api_keys WHERE key_hash = $1`, hash))
	return k, storeError("api key by hash", err, shortener.MsgKeyNotFound, "")
}

// ListKeys returns the user's keys, newest first.
func (s *KeyStore) ListKeys(ctx context.Context, userID string) ([]*shortener.APIKey, error) {
	keys := []*shortener.APIKey{}
	if !shortener.IsID(userID) {
		return keys, nil
	}
	rows, err := s.db.pool.Query(ctx,
		`SELECT `+keyColumns+` FROM api_keys WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, storeError("list api keys", err, "", "")
	}
	defer rows.Close()
	for rows.Next() {
		k, err := scanKey(rows)
		if err != nil {
			return nil, storeError("list api keys", err, "", "")
		}
		keys = append(keys, k)
	}
	return keys, storeError("list api keys", rows.Err(), "", "")
}

// DeleteKey deletes the user's key id, or returns ENOTFOUND.
func (s *KeyStore) DeleteKey(ctx context.Context, userID, id string) error {
	if !shortener.IsID(id) || !shortener.IsID(userID) {
		return shortener.Errorf(shortener.ENOTFOUND, "%s", shortener.MsgKeyNotFound)
	}
	tag, err := s.db.pool.Exec(ctx, `DELETE FROM api_keys WHERE id = $1 AND user_id = $2`, id, userID)
	if err != nil {
		return storeError("delete api key", err, "", "")
	}
	return requireRow(tag, shortener.MsgKeyNotFound)
}

// TouchKey records a use of the key at at, unless one was recorded less
// than every before: instances racing to record a use write once.
func (s *KeyStore) TouchKey(ctx context.Context, id string, at time.Time, every time.Duration) error {
	if !shortener.IsID(id) {
		return nil
	}
	_, err := s.db.pool.Exec(ctx, `
		UPDATE api_keys SET last_used_at = $2
		WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $3)`, id, at, at.Add(-every))
	return storeError("touch api key", err, "", "")
}

func scanKey(r pgx.Row) (*shortener.APIKey, error) {
	var (
		k                 shortener.APIKey
		scopes            string
		expires, lastUsed pgtype.Timestamptz
	)
	if err := r.Scan(&k.ID, &k.UserID, &k.Name, &k.Prefix, &k.KeyHash, &scopes, &k.CreatedAt, &expires, &lastUsed); err != nil {
		return nil, err
	}
	k.Scopes = shortener.SplitScopes(scopes)
	k.CreatedAt = k.CreatedAt.UTC()
	k.ExpiresAt, k.LastUsedAt = utcPtr(expires), utcPtr(lastUsed)
	return &k, nil
}
