package links

import (
	"context"
	"time"

	"github.com/shortener-dev/shortener"
)

// UpdateInput holds the fields a PATCH may change; nil means unchanged.
// ClearExpiry removes the expiry (a JSON null).
type UpdateInput struct {
	OriginalURL *string
	Title       *string
	ClearTitle  bool
	ExpiresAt   *time.Time
	ClearExpiry bool
	IsActive    *bool
	IsPublic    *bool
}

// Update changes a link caller may manage; the redirect reflects the
// change at once on every instance. Returns ENOTFOUND when caller may not
// manage it and EINVALID for bad values.
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
	l, err := s.manageable(ctx, caller, id)
	if err != nil {
		return nil, err
	}
	if in.OriginalURL != nil {
		l.OriginalURL = *in.OriginalURL
	}
	if in.ClearTitle {
		l.Title = nil
	} else if in.Title != nil {
		l.Title = in.Title
	}
	if in.ClearExpiry {
		l.ExpiresAt = nil
	} else if in.ExpiresAt != nil {
		t := in.ExpiresAt.UTC()
		l.ExpiresAt = &t
	}
	if in.IsActive != nil {
		l.IsActive = *in.IsActive
	}
	if in.IsPublic != nil {
		l.IsPublic = *in.IsPublic
	}
	l.UpdatedAt = now
	if err := s.links.UpdateLink(ctx, l); err != nil {
		return nil, err
	}
	s.invalidate(ctx, l.ShortCode)
	return l, nil
}
