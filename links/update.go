package links

import (
	"context"

	"github.com/shortener-dev/shortener"
)

// UpdateInput holds the fields a PATCH may change; nil means unchanged.
// ClearTitle and ClearExpiry remove those (a JSON null).
type UpdateInput = shortener.LinkUpdate

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
	if err := shortener.JoinInvalid(errs...); err != nil {
		return nil, err
	}
	if in.ExpiresAt != nil {
		t := in.ExpiresAt.UTC()
		in.ExpiresAt = &t
	}
	l, err := s.manageable(ctx, caller, id)
	if err != nil {
		return nil, err
	}
	l, err = s.links.UpdateLink(ctx, l.ID, in, now)
	if shortener.ErrorCode(err) == shortener.ENOTFOUND {
		return nil, shortener.ErrLinkNotFound // deleted in between
	} else if err != nil {
		return nil, err
	}
	s.invalidate(ctx, l.ShortCode)
	return l, nil
}
