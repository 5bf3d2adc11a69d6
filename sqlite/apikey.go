package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/shortener-dev/shortener"
)

// KeyStore keeps API keys in SQLite.
type KeyStore struct{ db *DB }

var _ shortener.KeyStore = (*KeyStore)(nil)

// NewKeyStore returns a KeyStore on db.
func NewKeyStore(db *DB) *KeyStore { return &KeyStore{db: db} }

const keyColumns = `id, user_id, name, prefix, key_hash, scopes, created_at, expires_at, last_used_at`

// CreateKey inserts k.
func (s *KeyStore) CreateKey(ctx context.Context, k *shortener.APIKey) error {
	_, err := s.db.write.ExecContext(ctx, `INSERT INTO api_keys (`+keyColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		k.ID, strings.ToLower(k.UserID), k.Name, k.Prefix, k.KeyHash, shortener.JoinScopes(k.Scopes),
		micros(k.CreatedAt), nullMicros(k.ExpiresAt), nullMicros(k.LastUsedAt))
	return storeError("create api key", err, "", "")
}

// KeyByHash returns the key with the given hash, or ENOTFOUND. The hot
// read of every request with a key: prepared once on the readers.
func (s *KeyStore) KeyByHash(ctx context.Context, hash string) (*shortener.APIKey, error) {
	st, err := s.db.reads.get(ctx, `SELECT `+keyColumns+` FROM api_keys WHERE key_hash = ?`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: api key by hash: %w", err)
	}
	k, err := scanKey(st.QueryRowContext(ctx, hash))
	return k, storeError("api key by hash", err, shortener.MsgKeyNotFound, "")
}

// ListKeys returns the user's keys, newest first.
func (s *KeyStore) ListKeys(ctx context.Context, userID string) ([]*shortener.APIKey, error) {
	rows, err := s.db.read.QueryContext(ctx,
		`SELECT `+keyColumns+` FROM api_keys WHERE user_id = ? ORDER BY created_at DESC, id DESC`, strings.ToLower(userID))
	if err != nil {
		return nil, storeError("list api keys", err, "", "")
	}
	keys := []*shortener.APIKey{}
	err = scanAll(rows, func(r *sql.Rows) error {
		k, err := scanKey(r)
		keys = append(keys, k)
		return err
	})
	return keys, storeError("list api keys", err, "", "")
}

// DeleteKey deletes the user's key id, or returns ENOTFOUND.
func (s *KeyStore) DeleteKey(ctx context.Context, userID, id string) error {
	res, err := s.db.write.ExecContext(ctx, `DELETE FROM api_keys WHERE id = ? AND user_id = ?`,
		strings.ToLower(id), strings.ToLower(userID))
	if err != nil {
		return storeError("delete api key", err, "", "")
	}
	return requireRow(res, "delete api key", shortener.MsgKeyNotFound)
}

// TouchKey records a use of the key at at, unless one was recorded less
// than every before.
func (s *KeyStore) TouchKey(ctx context.Context, id string, at time.Time, every time.Duration) error {
	_, err := s.db.write.ExecContext(ctx, `
		UPDATE api_keys SET last_used_at = ?
		WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)`,
		micros(at), strings.ToLower(id), micros(at.Add(-every)))
	return storeError("touch api key", err, "", "")
}

func scanKey(r rowScanner) (*shortener.APIKey, error) {
	var (
		k                 shortener.APIKey
		scopes            string
		created           int64
		expires, lastUsed sql.NullInt64
	)
	if err := r.Scan(&k.ID, &k.UserID, &k.Name, &k.Prefix, &k.KeyHash, &scopes, &created, &expires, &lastUsed); err != nil {
		return nil, err
	}
	k.Scopes = shortener.SplitScopes(scopes)
	k.CreatedAt, k.ExpiresAt, k.LastUsedAt = fromMicros(created), timePtr(expires), timePtr(lastUsed)
	return &k, nil
}
