package auth

import (
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/shortener-dev/shortener"
)

// accessClaims are the claims of an access token. Session is the token
// family (login) it was issued for, so that a password change can end the
// user's other logins and keep this one.
type accessClaims struct {
	Type    string `json:"type"`
	Session string `json:"sid,omitempty"`
	jwt.RegisteredClaims
}

// Tokens signs and verifies HS256 access tokens.
type Tokens struct {
	secret []byte
	ttl    time.Duration
	clock  shortener.Clock
}

// NewTokens returns a signer/verifier for access tokens of the given lifetime.
func NewTokens(secret []byte, ttl time.Duration, clock shortener.Clock) *Tokens {
	return &Tokens{secret: secret, ttl: ttl, clock: clock}
}

// TTL returns the lifetime of the access tokens issued.
func (t *Tokens) TTL() time.Duration { return t.ttl }

// IssueForSession returns a signed access token for userID issued by the
// login (refresh-token family) session.
func (t *Tokens) IssueForSession(userID, session string) (string, error) {
	now := t.clock()
	claims := accessClaims{
		Type:    "access",
		Session: session,
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   userID,
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(t.ttl)),
			ID:        shortener.NewID(),
		},
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.secret)
	if err != nil {
		return "", fmt.Errorf("sign access token: %w", err)
	}
	return s, nil
}

// maxClockSkew is how far ahead of this instance's clock another's may be.
const maxClockSkew = 30 * time.Second

var errBadToken = shortener.Errorf(shortener.EUNAUTHORIZED, "Invalid or expired access token.")

// Verify returns the user ID of a valid access token. Only HS256 tokens
// of type "access" that have not expired are valid; anything else is
// EUNAUTHORIZED.
func (t *Tokens) Verify(token string) (string, error) {
	userID, _, err := t.VerifySession(token)
	return userID, err
}

// VerifySession is Verify that also returns the login (refresh-token
// family) the token was issued for. A token that names no login is
// refused: nothing could end it before it expires (logout, reuse
// detection and a password change end a login's tokens), and every token
// this service issues names one (builds before 2026-12-01 issued some
// that did not).
func (t *Tokens) VerifySession(token string) (userID, session string, err error) {
	var claims accessClaims
	parsed, err := jwt.ParseWithClaims(token, &claims,
		func(*jwt.Token) (any, error) { return t.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithTimeFunc(t.clock),
		jwt.WithExpirationRequired(),
	)
	if err != nil || !parsed.Valid {
		return "", "", errBadToken
	}
	// A token issued in the future is refused, but for the drift between
	// the clocks of the instances: one instance's fresh token must work on
	// another whose clock is a little behind.
	if claims.IssuedAt != nil && claims.IssuedAt.After(t.clock().Add(maxClockSkew)) {
		return "", "", errBadToken
	}
	// The subject as issued, a lower-case ID: PostgreSQL's uuid would
	// match an upper-case one, SQLite's text would not.
	if claims.Type != "access" || !shortener.IsID(claims.Subject) || claims.Subject != strings.ToLower(claims.Subject) || claims.Session == "" {
		return "", "", errBadToken
	}
	return claims.Subject, claims.Session, nil
}
