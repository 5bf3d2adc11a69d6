package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/shortener-dev/shortener"
)

// UserStore keeps accounts in PostgreSQL.
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
	_, err := s.db.pool.Exec(ctx, `
		INSERT INTO users (`+userColumns+`, email_key)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		u.ID, u.Email, u.FullName, u.PasswordHash, u.Role, u.IsActive, u.IsVerified,
		u.CreatedAt, u.UpdatedAt, shortener.EmailKey(u.Email))
	return storeError("create user", err, "", msgEmailTaken)
}

// UserByID returns the user with the given ID, or ENOTFOUND.
func (s *UserStore) UserByID(ctx context.Context, id string) (*shortener.User, error) {
	if !shortener.IsID(id) {
		// Not a uuid, so no row can match; answer as SQLite does.
		return nil, shortener.Errorf(shortener.ENOTFOUND, "%s", msgUserNotFound)
	}
	return s.userWhere(ctx, "user by id", `id = $1`, id)
}

// UserByEmail returns the user with this email, or ENOTFOUND. An account
// that the migration to email keys left without a key (its address
// collided with an older account's) is found by its exact address first;
// every other spelling finds the account that holds the key.
func (s *UserStore) UserByEmail(ctx context.Context, email string) (*shortener.User, error) {
	u, err := s.userWhere(ctx, "user by email", `email_key IS NULL AND email = $1`, strings.TrimSpace(email))
	if shortener.ErrorCode(err) == shortener.ENOTFOUND {
		return s.userWhere(ctx, "user by email", `email_key = $1`, shortener.EmailKey(email))
	}
	return u, err
}

func (s *UserStore) userWhere(ctx context.Context, op, where string, arg any) (*shortener.User, error) {
	return scanUser(op, s.db.pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE `+where, arg))
}

func scanUser(op string, row pgx.Row) (*shortener.User, error) {
	var u shortener.User
	err := row.Scan(&u.ID, &u.Email, &u.FullName, &u.PasswordHash, &u.Role, &u.IsActive, &u.IsVerified,
		&u.CreatedAt, &u.UpdatedAt)
	if err != nil {
		return nil, storeError(op, err, msgUserNotFound, "")
	}
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return &u, nil
}

// UpdateUser writes the fields u names and updated_at, or returns
// ENOTFOUND.
func (s *UserStore) UpdateUser(ctx context.Context, id string, u shortener.UserUpdate, now time.Time) (*shortener.User, error) {
	if !shortener.IsID(id) {
		return nil, shortener.Errorf(shortener.ENOTFOUND, "%s", msgUserNotFound)
	}
	return scanUser("update user", s.db.pool.QueryRow(ctx, `
		UPDATE users SET full_name = COALESCE($2, full_name), password_hash = COALESCE($3, password_hash),
			updated_at = $4
		WHERE id = $1
		RETURNING `+userColumns, id, u.FullName, u.PasswordHash, now))
}

// SetUserRole changes the role of the user with the given email, or returns
// ENOTFOUND.
func (s *UserStore) SetUserRole(ctx context.Context, email, role string, now time.Time) error {
	tag, err := s.db.pool.Exec(ctx,
		`UPDATE users SET role = $1, updated_at = $2 WHERE email_key = $3`,
		role, now, shortener.EmailKey(email))
	if err != nil {
		return storeError("set user role", err, "", "")
	}
	return requireRow(tag, msgUserNotFound)
}
