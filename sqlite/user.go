package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/shortener-dev/shortener"
)

// UserStore keeps accounts in SQLite.
type UserStore struct{ db *DB }

var _ shortener.UserStore = (*UserStore)(nil)

// NewUserStore returns a UserStore on db.
func NewUserStore(db *DB) *UserStore { return &UserStore{db: db} }

const (
	msgUserNotFound = shortener.MsgUserNotFound
	msgEmailTaken   = shortener.MsgEmailTaken
)

const userColumns = `id, email, full_name, password_hash, role, is_active, is_verified, created_at, updated_at`

// CreateUser inserts u with its email key. The unique index on the key
// turns a second registration of the same address, in any case or Unicode
// form, into ECONFLICT.
func (s *UserStore) CreateUser(ctx context.Context, u *shortener.User) error {
	_, err := s.db.write.ExecContext(ctx, `
		INSERT INTO users (`+userColumns+`, email_key)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.Email, u.FullName, u.PasswordHash, u.Role, u.IsActive, u.IsVerified,
		micros(u.CreatedAt), micros(u.UpdatedAt), shortener.EmailKey(u.Email))
	return storeError("create user", err, "", msgEmailTaken)
}

// UserByID returns the user with the given ID, or ENOTFOUND.
func (s *UserStore) UserByID(ctx context.Context, id string) (*shortener.User, error) {
	return s.userWhere(ctx, "user by id", `id = ?`, id)
}

// UserByEmail returns the user with this email, or ENOTFOUND. An account
// that the migration to email keys left without a key (its address
// collided with an older account's) is found by its exact address first;
// every other spelling finds the account that holds the key.
func (s *UserStore) UserByEmail(ctx context.Context, email string) (*shortener.User, error) {
	u, err := s.userWhere(ctx, "user by email", `email_key IS NULL AND email = ?`, strings.TrimSpace(email))
	if shortener.ErrorCode(err) == shortener.ENOTFOUND {
		return s.userWhere(ctx, "user by email", `email_key = ?`, shortener.EmailKey(email))
	}
	return u, err
}

// userWhere reads the user where selects. Its few statements are
// prepared once: every authenticated request reads its user, and parsing
// the statement cost about as much as running it.
func (s *UserStore) userWhere(ctx context.Context, op, where string, arg any) (*shortener.User, error) {
	st, err := s.db.reads.get(ctx, `SELECT `+userColumns+` FROM users WHERE `+where)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", op, err)
	}
	return scanUser(op, st.QueryRowContext(ctx, arg))
}

func scanUser(op string, row *sql.Row) (*shortener.User, error) {
	var (
		u                shortener.User
		created, updated int64
	)
	err := row.Scan(&u.ID, &u.Email, &u.FullName, &u.PasswordHash, &u.Role, &u.IsActive, &u.IsVerified,
		&created, &updated)
	if err != nil {
		return nil, storeError(op, err, msgUserNotFound, "")
	}
	u.CreatedAt, u.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &u, nil
}

// UpdateUser writes the fields u names and updated_at, or returns
// ENOTFOUND.
func (s *UserStore) UpdateUser(ctx context.Context, id string, u shortener.UserUpdate, now time.Time) (*shortener.User, error) {
	return scanUser("update user", s.db.write.QueryRowContext(ctx, `
		UPDATE users SET full_name = COALESCE(?, full_name), password_hash = COALESCE(?, password_hash),
			updated_at = ?
		WHERE id = ?
		RETURNING `+userColumns, nullString(u.FullName), nullString(u.PasswordHash), micros(now), strings.ToLower(id)))
}

// SetUserRole changes the role of the user with the given email, or returns
// ENOTFOUND.
func (s *UserStore) SetUserRole(ctx context.Context, email, role string, now time.Time) error {
	res, err := s.db.write.ExecContext(ctx,
		`UPDATE users SET role = ?, updated_at = ? WHERE email_key = ?`,
		role, micros(now), shortener.EmailKey(email))
	if err != nil {
		return storeError("set user role", err, "", "")
	}
	return requireRow(res, "set user role", msgUserNotFound)
}
