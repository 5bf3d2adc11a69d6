package auth

import (
	"context"
	"strings"

	"github.com/shortener-dev/shortener"
)

// ProfileUpdate is a change of one's own account; nil leaves a field as
// it is. A new Password needs the CurrentPassword.
type ProfileUpdate struct {
	FullName        *string
	Password        *string
	CurrentPassword string
}

var errWrongCurrentPassword = &shortener.Error{Code: shortener.EFORBIDDEN, Message: "The current password is wrong.",
	Fields: []shortener.FieldError{{Location: "body.current_password", Message: "current_password is wrong"}}}

// UpdateProfile changes the account of the bearer of an access token
// (PATCH /api/v1/auth/me). A password change ends the user's other logins
// and keeps the one the token was issued for. Returns EUNAUTHORIZED as
// Authenticate does, EFORBIDDEN for an API key and for a wrong current
// password, and EINVALID for bad values.
func (s *Service) UpdateProfile(ctx context.Context, bearer string, in ProfileUpdate) (*shortener.User, error) {
	caller, err := s.Authenticate(ctx, bearer)
	if err != nil {
		return nil, err
	}
	if caller.IsKey() {
		return nil, shortener.ErrKeyNotAllowed
	}
	_, session, err := s.access.VerifySession(bearer)
	if err != nil {
		return nil, err
	}
	return s.updateProfile(ctx, caller.User, session, in)
}

// UpdateProfileOf changes caller's account, an active user already
// authenticated by other means (the web app's session), and on a password
// change ends every login but keepSession's ("" ends them all). Returns
// EFORBIDDEN for a wrong current password and EINVALID for bad values.
func (s *Service) UpdateProfileOf(ctx context.Context, caller *shortener.User, keepSession string, in ProfileUpdate) (*shortener.User, error) {
	// The caller may be a request old; the stored hash is the one to check.
	u, err := s.users.UserByID(ctx, caller.ID)
	if err != nil {
		return nil, err
	}
	return s.updateProfile(ctx, u, keepSession, in)
}

func (s *Service) updateProfile(ctx context.Context, u *shortener.User, keepSession string, in ProfileUpdate) (*shortener.User, error) {
	var change shortener.UserUpdate
	var errs []error
	if in.FullName != nil {
		name := strings.TrimSpace(*in.FullName)
		errs = append(errs, shortener.CheckFullName(name))
		change.FullName = &name
	}
	if in.Password != nil {
		errs = append(errs, shortener.CheckPassword(*in.Password))
		if in.CurrentPassword == "" {
			errs = append(errs, shortener.Invalid("body.current_password", "current_password is required to set a new password", nil))
		}
	}
	if err := shortener.JoinInvalid(errs...); err != nil {
		return nil, err
	}
	// A current_password that is sent is checked, with a new password or
	// without one: a wrong one is refused rather than ignored.
	if in.CurrentPassword != "" {
		if ok, _, err := s.hasher.Check(u.PasswordHash, in.CurrentPassword); err != nil || !ok {
			return nil, errWrongCurrentPassword
		}
	}
	if in.Password != nil {
		hash, err := s.hasher.Hash(*in.Password)
		if err != nil {
			return nil, err
		}
		change.PasswordHash = &hash
	}
	if change.FullName == nil && change.PasswordHash == nil {
		return u, nil
	}
	now := s.clock()
	updated, err := s.users.UpdateUser(ctx, u.ID, change, now)
	if err != nil {
		return nil, err
	}
	if change.PasswordHash != nil {
		if err := s.tokens.RevokeUserTokens(ctx, u.ID, keepSession, now); err != nil {
			return nil, err
		}
	}
	return updated, nil
}
