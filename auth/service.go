package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"strings"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/groupcommit"
)

// Service registers users, logs them in and manages their tokens.
type Service struct {
	users      shortener.UserStore
	tokens     shortener.TokenStore
	hasher     *Hasher
	access     *Tokens
	refreshTTL time.Duration
	reuseGrace time.Duration
	clock      shortener.Clock
	logger     *slog.Logger
	keys       shortener.KeyStore
	keyUses    *keyUses
	userReads  *groupcommit.Queue[*userRead] // see readUser
}

// Config configures a Service.
type Config struct {
	Users      shortener.UserStore
	Tokens     shortener.TokenStore
	Secret     []byte
	AccessTTL  time.Duration
	RefreshTTL time.Duration
	BcryptCost int
	// ReuseGrace is how long after its rotation a refresh token presented
	// again is only refused, not taken for theft (REFRESH_REUSE_GRACE):
	// clients that refresh concurrently present one token several times.
	// Zero makes every replay revoke the login.
	ReuseGrace time.Duration
	Clock      shortener.Clock
	Logger     *slog.Logger // default: discard
	// Keys keeps API keys; nil refuses every key (401).
	Keys shortener.KeyStore
}

// NewService returns a Service.
func NewService(c Config) *Service {
	if c.Clock == nil {
		c.Clock = shortener.SystemClock
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Service{
		logger:     c.Logger,
		users:      c.Users,
		tokens:     c.Tokens,
		hasher:     NewHasher(c.BcryptCost),
		access:     NewTokens(c.Secret, c.AccessTTL, c.Clock),
		refreshTTL: c.RefreshTTL,
		reuseGrace: c.ReuseGrace,
		clock:      c.Clock,
		keys:       c.Keys,
		keyUses:    newKeyUses(),
	}
	s.userReads = groupcommit.New(maxUserReads, s.readUsers)
	return s
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
	fullName = strings.TrimSpace(fullName)
	if err := shortener.JoinInvalid(emailErr, pwErr, shortener.CheckFullName(fullName)); err != nil {
		return nil, err
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
	var u *shortener.User
	err := shortener.CheckText("body.email", "email", email)
	if err == nil {
		// Only storable text reaches the store: PostgreSQL fails a query
		// with NUL or invalid UTF-8 in it, and SQLite would not.
		u, err = s.users.UserByEmail(ctx, strings.TrimSpace(email))
	}
	if code := shortener.ErrorCode(err); code == shortener.ENOTFOUND || code == shortener.EINVALID {
		s.hasher.CheckDummy(password)
		return nil, errBadLogin
	} else if err != nil {
		return nil, err
	}
	ok, rehash, err := s.hasher.Check(u.PasswordHash, password)
	if err != nil || !ok || !u.IsActive {
		return nil, errBadLogin
	}
	if rehash {
		s.upgradeHash(ctx, u, password)
	}
	return s.issue(ctx, u.ID, shortener.NewID(), c, nil)
}

// upgradeHash stores a new hash of a password whose stored one Check
// wants replaced (hashed before passwords were normalised, or at another
// cost). A failure keeps the old hash, which still verifies; the next
// login tries again.
func (s *Service) upgradeHash(ctx context.Context, u *shortener.User, password string) {
	hash, err := s.hasher.Hash(password)
	if err == nil {
		_, err = s.users.UpdateUser(ctx, u.ID, shortener.UserUpdate{PasswordHash: &hash}, s.clock())
	}
	if err != nil {
		s.logger.WarnContext(ctx, "could not store the password's new hash", slog.Any("error", err))
	}
}

var errBadRefresh = shortener.Errorf(shortener.EUNAUTHORIZED, "Invalid or expired refresh token.")

// errJustRotated marks a refresh token rotated less than ReuseGrace ago.
var errJustRotated = shortener.Errorf(shortener.EUNAUTHORIZED, "Invalid or expired refresh token.")

// Refresh rotates a refresh token: the presented token is consumed and a
// new one of the same family issued. Presenting a token that was already
// rotated revokes the whole family (reuse detection), unless it was
// rotated less than ReuseGrace ago: then it is only refused, so that the
// losers of a client's concurrent refreshes do not log the winner out.
func (s *Service) Refresh(ctx context.Context, token string, c Client) (*TokenPair, error) {
	old, u, err := s.presented(ctx, token)
	if err == errJustRotated {
		return nil, errBadRefresh
	} else if err != nil {
		return nil, err
	}
	return s.issue(ctx, u.ID, old.FamilyID, c, old)
}

// presented checks a refresh token presented by a client and returns it
// with its active user. A token rotated less than ReuseGrace ago returns
// both and errJustRotated. Any other token that was rotated is a copy in
// someone else's hands: its login is revoked. Unknown, revoked and expired
// tokens, and tokens of unknown or inactive users, are errBadRefresh.
func (s *Service) presented(ctx context.Context, token string) (*shortener.RefreshToken, *shortener.User, error) {
	old, err := s.tokens.RefreshTokenByHash(ctx, HashToken(token))
	if shortener.ErrorCode(err) == shortener.ENOTFOUND {
		return nil, nil, errBadRefresh
	} else if err != nil {
		return nil, nil, err
	}
	now := s.clock()
	justRotated := false
	switch {
	case old.RevokedAt != nil || !now.Before(old.ExpiresAt):
		return nil, nil, errBadRefresh
	case old.ConsumedAt != nil && now.Sub(*old.ConsumedAt) < s.reuseGrace:
		justRotated = true
	case old.ConsumedAt != nil:
		// A rotated token came back: someone holds a copy. End that login,
		// and say so: it is the sign of a stolen token.
		if err := s.tokens.RevokeTokenFamily(ctx, old.FamilyID, now); err != nil {
			return nil, nil, err
		}
		s.logger.WarnContext(ctx, "a rotated refresh token was presented again: its login is revoked",
			slog.String("user_id", old.UserID), slog.String("login", old.FamilyID),
			slog.Duration("since_rotation", now.Sub(*old.ConsumedAt)))
		return nil, nil, errBadRefresh
	}
	u, err := s.users.UserByID(ctx, old.UserID)
	if shortener.ErrorCode(err) == shortener.ENOTFOUND || (err == nil && !u.IsActive) {
		return nil, nil, errBadRefresh
	} else if err != nil {
		return nil, nil, err
	}
	if justRotated {
		return old, u, errJustRotated
	}
	return old, u, nil
}

// issue creates a token pair; with old set, it rotates old atomically.
func (s *Service) issue(ctx context.Context, userID, family string, c Client, old *shortener.RefreshToken) (*TokenPair, error) {
	access, err := s.access.IssueForSession(userID, family)
	if err != nil {
		return nil, err
	}
	raw, err := s.storeRefresh(ctx, userID, family, c, old)
	if err != nil {
		return nil, err
	}
	return &TokenPair{AccessToken: access, RefreshToken: raw, ExpiresIn: s.access.TTL()}, nil
}

// storeRefresh makes a refresh token of the family and stores it; with old
// set, it rotates old atomically, and a concurrent rotation that won the
// race makes it errBadRefresh.
func (s *Service) storeRefresh(ctx context.Context, userID, family string, c Client, old *shortener.RefreshToken) (string, error) {
	raw, err := newRefreshToken()
	if err != nil {
		return "", err
	}
	now := s.clock()
	next := &shortener.RefreshToken{
		ID: shortener.NewIDAt(now), UserID: userID, FamilyID: family, TokenHash: HashToken(raw),
		UserAgent: shortener.ClipText(c.UserAgent, maxUserAgentBytes), IP: c.IP,
		ExpiresAt: now.Add(s.refreshTTL), CreatedAt: now,
	}
	if old == nil {
		err = s.tokens.CreateRefreshToken(ctx, next)
	} else if err = s.tokens.RotateRefreshToken(ctx, old.ID, next, now); shortener.ErrorCode(err) == shortener.ECONFLICT {
		return "", errBadRefresh // a concurrent refresh of the same token won the race
	}
	if err != nil {
		return "", err
	}
	return raw, nil
}

// maxUserAgentBytes bounds the user agent kept with a refresh token.
const maxUserAgentBytes = 512

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

var errLoginEnded = shortener.Errorf(shortener.EUNAUTHORIZED, "This token's login has ended (logged out, or ended by a password change or a reused refresh token); log in again.")

// Authenticate returns the caller a credential belongs to: an access token
// (a person, with every scope) or an API key (its user, limited to the
// key's scopes). It is the one check of a caller's identity on every API
// request and page (login, refresh and sessions refuse an inactive user
// for their own answers). Returns EUNAUTHORIZED
// for a malformed, expired, wrongly signed or alg-none token, for a token
// whose login has ended, for an unknown, revoked or expired key, and for a user that is unknown or
// inactive; any other error means a lookup itself failed.
func (s *Service) Authenticate(ctx context.Context, credential string) (*shortener.Caller, error) {
	if shortener.IsAPIKey(credential) {
		return s.authenticateKey(ctx, credential)
	}
	id, login, err := s.access.VerifySession(credential)
	if err != nil {
		return nil, err
	}
	// A token outlives nothing of its login: logout, reuse detection and a
	// password change end its access tokens with its refresh tokens
	// (API.md: "revokes every token of that login"); the read of the user
	// checks the login too.
	u, err := s.activeUser(ctx, id, login, errBadToken)
	if err != nil {
		return nil, err
	}
	return shortener.PersonCaller(u), nil
}

// activeUser returns the active user id, or bad when there is none, and
// errLoginEnded when login ("" for none) has ended.
func (s *Service) activeUser(ctx context.Context, id, login string, bad error) (*shortener.User, error) {
	u, err := s.readUser(ctx, id, login)
	if shortener.ErrorCode(err) == shortener.ENOTFOUND || (err == nil && !u.IsActive) {
		return nil, bad
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
