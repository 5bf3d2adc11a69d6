package shortener

import (
	"context"
	"time"
)

// Roles a user can have.
const (
	RoleUser  = "user"
	RoleAdmin = "admin"
)

// User is an account.
type User struct {
	ID           string
	Email        string // as registered, trimmed, NFC; unique by EmailKey
	FullName     string
	PasswordHash string // bcrypt; never leaves the server
	Role         string
	IsActive     bool
	IsVerified   bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// IsAdmin reports whether u may manage any link.
func (u *User) IsAdmin() bool { return u != nil && u.Role == RoleAdmin }

// UserStore keeps accounts.
type UserStore interface {
	// CreateUser inserts u (ID and timestamps set by the caller).
	// Returns ECONFLICT if another user has the same email, compared
	// case-insensitively; the database enforces this.
	CreateUser(ctx context.Context, u *User) error

	// UserByID returns the user with the given ID.
	// Returns ENOTFOUND if there is none.
	UserByID(ctx context.Context, id string) (*User, error)

	// UserByEmail returns the user whose email has the EmailKey of email.
	// Returns ENOTFOUND if there is none.
	UserByEmail(ctx context.Context, email string) (*User, error)

	// SetUserRole changes the role of the user with the given email
	// (case-insensitive). Returns ENOTFOUND if there is none.
	SetUserRole(ctx context.Context, email, role string, now time.Time) error

	// UpdateUser writes the fields that u names, and updated_at, in one
	// statement (fields it leaves nil keep their stored value, whatever a
	// concurrent update wrote), and returns the user as stored. Returns
	// ENOTFOUND if there is no user with the ID.
	UpdateUser(ctx context.Context, id string, u UserUpdate, now time.Time) (*User, error)
}

// UserUpdate names the fields of a user to change; nil leaves one as it is.
type UserUpdate struct {
	FullName     *string
	PasswordHash *string
}

// RefreshToken is one issued refresh token. Only the SHA-256 hash of the
// token is stored. Tokens issued by one login share a FamilyID.
type RefreshToken struct {
	ID         string
	UserID     string
	FamilyID   string
	TokenHash  string // hex SHA-256 of the opaque token
	UserAgent  string
	IP         string
	ExpiresAt  time.Time
	CreatedAt  time.Time
	ConsumedAt *time.Time // set when rotated
	RevokedAt  *time.Time // set by logout or reuse detection
}

// TokenStore keeps refresh tokens.
type TokenStore interface {
	// CreateRefreshToken inserts t.
	CreateRefreshToken(ctx context.Context, t *RefreshToken) error

	// RefreshTokenByHash returns the token with the given hash, consumed,
	// revoked or expired alike. Returns ENOTFOUND if there is none.
	RefreshTokenByHash(ctx context.Context, hash string) (*RefreshToken, error)

	// RotateRefreshToken marks the token oldID consumed at now and inserts
	// next, atomically. Returns ECONFLICT, inserting nothing, if oldID was
	// already consumed or revoked (a concurrent rotation won).
	RotateRefreshToken(ctx context.Context, oldID string, next *RefreshToken, now time.Time) error

	// RevokeTokenFamily revokes every token of the family that is not yet
	// revoked. Revoking an unknown family is not an error.
	RevokeTokenFamily(ctx context.Context, familyID string, now time.Time) error

	// RevokeUserTokens revokes every token of the user that is not yet
	// revoked, except those of the family keepFamily ("" keeps none).
	RevokeUserTokens(ctx context.Context, userID, keepFamily string, now time.Time) error

	// LoginLive reports whether the login (token family) of the user holds
	// a token that is not revoked: false once it was logged out, caught
	// reusing a token or ended by a password change, and for an unknown
	// family or another user's.
	LoginLive(ctx context.Context, userID, familyID string) (bool, error)
}
