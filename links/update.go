package links

import (
	"context"
	"time"

	"github.com/shortener-dev/shortener"
)

// UpdateInput holds the fields a PATCH may change; nil means unchanged, and
// the Clear fields remove a nullable one (a JSON null).
type UpdateInput struct {
	OriginalURL *string
	Title       *string
	ClearTitle  bool
	ExpiresAt   *time.Time
	ClearExpiry bool
	IsActive    *bool
	IsPublic    *bool
	Options
	ClearValidSince bool
	ClearMaxClicks  bool
	ClearPassword   bool
	ClearVariants   bool
}

// Update changes a link caller may manage; the redirect reflects the
// change at once on every instance. Only the fields in names are written,
// so a concurrent change of other fields (an admin disabling the link
// while its owner retitles it) is kept. Returns ENOTFOUND when caller may
// not manage it and EINVALID for bad values.
func (s *Service) Update(ctx context.Context, caller *shortener.User, id string, in UpdateInput) (*shortener.Link, error) {
	now := s.clock()
	var errs []error
	if in.OriginalURL != nil {
		errs = append(errs, shortener.CheckURL(*in.OriginalURL, s.ownHosts))
	}
	if in.Title != nil && !in.ClearTitle {
		errs = append(errs, shortener.CheckTitle(*in.Title))
	}
	errs = append(errs, checkExpiry(in.ExpiresAt, now))
	opts, optErrs := s.checkOptions(in.Options)
	if err := shortener.JoinInvalid(append(errs, optErrs...)...); err != nil {
		return nil, err
	}
	in.Options = opts
	change := shortener.LinkUpdate{OriginalURL: in.OriginalURL, Title: in.Title, ClearTitle: in.ClearTitle,
		ExpiresAt: in.ExpiresAt, ClearExpiry: in.ClearExpiry, IsActive: in.IsActive, IsPublic: in.IsPublic}
	if change.ExpiresAt != nil {
		t := change.ExpiresAt.UTC()
		change.ExpiresAt = &t
	}
	l, err := s.manageable(ctx, caller, id)
	if err != nil {
		return nil, err
	}
	hash, err := s.passwordHash(opts.Password)
	if err != nil {
		return nil, err
	}
	updateOptions(&change, in, hash)
	l, err = s.links.UpdateLink(ctx, l.ID, change, now)
	if shortener.ErrorCode(err) == shortener.ENOTFOUND {
		return nil, shortener.ErrLinkNotFound // deleted in between
	} else if err != nil {
		return nil, err
	}
	s.invalidate(ctx, l.ShortCode)
	return l, nil
}
