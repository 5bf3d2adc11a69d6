package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"github.com/shortener-dev/shortener"
)

// Service registers users, logs them in and manages their tokens.
type Service struct {
	users      shortener.UserStore
	tokens     shortener.TokenStore
	hasher     *Hasher
	access     *Tokens
	refreshTTL time.Duration
	clock      shortener.Clock
}

// Config configures a Service.
type Config struct {
	Users      shortener.UserStore
	Tokens     shortener.TokenStore
	Secret     []byte
	AccessTTL  time.Duration
	RefreshTTL time.Duration
	BcryptCost int
	Clock      shortener.Clock
}

// NewService returns a Service.
func NewService(c Config) *Service {
	if c.Clock == nil {
		c.Clock = shortener.SystemClock
	}
	return &Service{
		users:      c.Users,
		tokens:     c.Tokens,
		hasher:     NewHasher(c.BcryptCost),
		access:     NewTokens(c.Secret, c.AccessTTL, c.Clock),
		refreshTTL: c.RefreshTTL,
		clock:      c.Clock,
	}
}

// TokenPair is what login and refresh return.
type TokenPair struct {
	AccessToken  string
	RefreshToken string
	ExpiresIn    time.Duration
}

// Client describes where a login or refresh comes from; it is stored with
// the refresh token.
type Client struct {
	UserAgent string
	IP        string
}

// Warm prepares the dummy hash used to make failed logins take constant time.
func (s *Service) Warm() { s.hasher.Warm() }

// Register creates an account. Returns EINVALID for a bad email or weak
// password and ECONFLICT when the email is taken.
func (s *Service) Register(ctx context.Context, email, password, fullName string) (*shortener.User, error) {
	email, emailErr := shortener.NormalizeEmail(email)
	pwErr := shortener.CheckPassword(password)
	if err := shortener.JoinInvalid(emailErr, pwErr); err != nil {
		return nil, err
	}
	fullName = strings.TrimSpace(fullName)
	if len([]rune(fullName)) > 255 {
		return nil, shortener.Invalid("body.full_name", "full_name must be at most 255 characters", nil)
	}
	hash, err := s.hasher.Hash(password)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	u := &shortener.User{
		ID: shortener.NewIDAt(now), Email: email, FullName: fullName, PasswordHash: hash,
		Role: shortener.RoleUser, IsActive: true, CreatedAt: now, UpdatedAt: now,
	}
	if err := s.users.CreateUser(ctx, u); err != nil {
		if shortener.ErrorCode(err) == shortener.ECONFLICT {
			return nil, shortener.Errorf(shortener.ECONFLICT, "An account with this email already exists.")
		}
		return nil, err
	}
	return u, nil
}

var errBadLogin = shortener.Errorf(shortener.EUNAUTHORIZED, "Incorrect email or password.")

// Login checks the credentials and starts a new login (token family).
// Unknown email, wrong password and inactive account answer the same
// EUNAUTHORIZED, in about the same time.
func (s *Service) Login(ctx context.Context, email, password string, c Client) (*TokenPair, error) {
	u, err := s.users.UserByEmail(ctx, strings.TrimSpace(email))
	if shortener.ErrorCode(err) == shortener.ENOTFOUND {
		s.hasher.CheckDummy(password)
		return nil, errBadLogin
	} else if err != nil {
		return nil, err
	}
	ok, err := s.hasher.Check(u.PasswordHash, password)
	if err != nil || !ok || !u.IsActive {
		return nil, errBadLogin
	}
	return s.issue(ctx, u.ID, shortener.NewID(), c, nil)
}

var errBadRefresh = shortener.Errorf(shortener.EUNAUTHORIZED, "Invalid or expired refresh token.")

// Refresh rotates a refresh token: the presented token is consumed and a
// new one of the same family issued. Presenting a token that was already
// rotated revokes the whole family (reuse detection).
func (s *Service) Refresh(ctx context.Context, token string, c Client) (*TokenPair, error) {
	old, err := s.tokens.RefreshTokenByHash(ctx, HashToken(token))
	if shortener.ErrorCode(err) == shortener.ENOTFOUND {
		return nil, errBadRefresh
	} else if err != nil {
		return nil, err
	}
	now := s.clock()
	switch {
	case old.RevokedAt != nil:
		return nil, errBadRefresh
	case old.ConsumedAt != nil:
		// A rotated token came back: someone holds a copy. End that login.
		if err := s.tokens.RevokeTokenFamily(ctx, old.FamilyID, now); err != nil {
			return nil, err
		}
		return nil, errBadRefresh
	case !now.Before(old.ExpiresAt):
		return nil, errBadRefresh
	}
	u, err := s.users.UserByID(ctx, old.UserID)
	if err != nil || !u.IsActive {
		if err != nil && shortener.ErrorCode(err) != shortener.ENOTFOUND {
			return nil, err
		}
		return nil, errBadRefresh
	}
	return s.issue(ctx, u.ID, old.FamilyID, c, old)
}

// issue creates a token pair; with old set, it rotates old atomically.
func (s *Service) issue(ctx context.Context, userID, family string, c Client, old *shortener.RefreshToken) (*TokenPair, error) {
	access, err := s.access.Issue(userID)
	if err != nil {
		return nil, err
	}
	raw, err := newRefreshToken()
	if err != nil {
		return nil, err
	}
	now := s.clock()
	next := &shortener.RefreshToken{
		ID: shortener.NewIDAt(now), UserID: userID, FamilyID: family, TokenHash: HashToken(raw),
		UserAgent: truncate(c.UserAgent, 512), IP: c.IP, ExpiresAt: now.Add(s.refreshTTL), CreatedAt: now,
	}
	if old == nil {
		err = s.tokens.CreateRefreshToken(ctx, next)
	} else {
		err = s.tokens.RotateRefreshToken(ctx, old.ID, next, now)
		if shortener.ErrorCode(err) == shortener.ECONFLICT {
			// A concurrent refresh of the same token won the race.
			return nil, errBadRefresh
		}
	}
	if err != nil {
		return nil, err
	}
	return &TokenPair{AccessToken: access, RefreshToken: raw, ExpiresIn: s.access.TTL()}, nil
}

// Logout revokes the login the refresh token belongs to. Unknown tokens
// are not an error, so logout is no oracle for token validity.
func (s *Service) Logout(ctx context.Context, token string) error {
	t, err := s.tokens.RefreshTokenByHash(ctx, HashToken(token))
	if shortener.ErrorCode(err) == shortener.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	return s.tokens.RevokeTokenFamily(ctx, t.FamilyID, s.clock())
}

// Authenticate returns the active user a bearer credential belongs to: today
// an access token, later also an API key. It is the one check of a caller's
// identity, so the inactive-user rule lives here and nowhere else. Returns
// EUNAUTHORIZED ("Invalid or expired access token.") for a malformed,
// expired, wrongly signed or alg-none token and for a user that is unknown
// or inactive; any other error means the user lookup itself failed.
func (s *Service) Authenticate(ctx context.Context, bearer string) (*shortener.User, error) {
	id, err := s.access.Verify(bearer)
	if err != nil {
		return nil, err
	}
	u, err := s.users.UserByID(ctx, id)
	if shortener.ErrorCode(err) == shortener.ENOTFOUND || (err == nil && !u.IsActive) {
		return nil, errBadToken
	} else if err != nil {
		return nil, err
	}
	return u, nil
}

// HashToken returns the stored form of a refresh token: hex SHA-256.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// newRefreshToken returns 256 random bits, base64url-encoded.
func newRefreshToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
