package auth

import (
	"context"
	"time"

	"github.com/shortener-dev/shortener"
)

// Sessions of the web app are logins like the API's: the session cookie
// holds a refresh token of its own family, so rotation, reuse detection,
// logout and a password change's revocation apply to browsers as they do
// to API clients. A page view reads the token (one indexed lookup) instead
// of trusting a self-contained cookie, so a revoked session is worthless at
// once.

// sessionRotateAfter is the age at which a session's token is replaced on
// the next page view: a stolen cookie stops working soon after the owner's
// next visit (reuse detection then ends the session).
const sessionRotateAfter = 15 * time.Minute

var errBadSession = shortener.Errorf(shortener.EUNAUTHORIZED, "Your session has ended; log in again.")

// Start checks the credentials and starts a session, returning the token
// for the session cookie. Returns EUNAUTHORIZED as Login does.
func (s *Service) Start(ctx context.Context, email, password string, c Client) (string, error) {
	pair, err := s.Login(ctx, email, password, c)
	if err != nil {
		return "", err
	}
	return pair.RefreshToken, nil
}

// Resume returns the user of a session token. A token older than
// sessionRotateAfter is rotated, and next is the token to set in the
// cookie instead (else ""). A token rotated moments ago by a parallel
// request of the same browser still resumes, without rotating again.
// Returns EUNAUTHORIZED for an unknown, revoked or expired session, and for
// a rotated token replayed later (which also ends the session).
func (s *Service) Resume(ctx context.Context, token string, c Client) (u *shortener.User, next string, err error) {
	old, u, err := s.presented(ctx, token)
	switch {
	case err == errJustRotated:
		return u, "", nil
	case shortener.ErrorCode(err) == shortener.EUNAUTHORIZED:
		return nil, "", errBadSession
	case err != nil:
		return nil, "", err
	case s.clock().Sub(old.CreatedAt) < sessionRotateAfter:
		return u, "", nil
	}
	next, err = s.storeRefresh(ctx, u.ID, old.FamilyID, c, old)
	if err == errBadRefresh {
		return u, "", nil // a parallel request rotated it first
	}
	return u, next, err
}

// End revokes the session. Unknown tokens are not an error.
func (s *Service) End(ctx context.Context, token string) error { return s.Logout(ctx, token) }
