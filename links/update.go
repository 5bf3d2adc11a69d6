package links

import (
	"context"
	"errors"
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
	Domain      *string // moves the link to the domain with this host
	Options
	ClearValidSince bool
	ClearMaxClicks  bool
	ClearPassword   bool
	ClearVariants   bool
}

// CheckUpdate reports what Update would refuse in `in` for its values
// alone: EINVALID with every bad value at once, or nil (as CheckCreate).
func (s *Service) CheckUpdate(in UpdateInput) error {
	_, _, err := s.checkUpdate(in, s.clock())
	return err
}

// checkUpdate checks in's values and returns the domain (nil when in
// moves the link to none) and the options it names. Returns EINVALID for
// each bad value.
func (s *Service) checkUpdate(in UpdateInput, now time.Time) (*shortener.Domain, Options, error) {
	var errs []error
	if in.OriginalURL != nil {
		errs = append(errs, shortener.CheckURL(*in.OriginalURL, s.OwnHosts()))
	}
	var domain *shortener.Domain
	if in.Domain != nil {
		var err error
		domain, err = s.domainOf(in.Domain, "body.domain")
		errs = append(errs, err)
	}
	if in.Title != nil && !in.ClearTitle {
		errs = append(errs, shortener.CheckTitle(*in.Title))
	}
	errs = append(errs, checkExpiry(in.ExpiresAt, now))
	opts, optErrs := s.checkOptions(in.Options)
	return domain, opts, shortener.JoinInvalid(append(errs, optErrs...)...)
}

// Update changes a link caller may manage; the redirect reflects the
// change at once on every instance. Only the fields in names are written,
// so a concurrent change of other fields (an admin disabling the link
// while its owner retitles it) is kept. Returns ENOTFOUND when caller may
// not manage it and EINVALID for bad values.
func (s *Service) Update(ctx context.Context, caller *shortener.User, id string, in UpdateInput) (*shortener.Link, error) {
	now := s.clock()
	domain, opts, err := s.checkUpdate(in, now)
	if err != nil {
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
	oldKey := l.Key()
	if domain != nil && domain.ID != l.DomainID {
		change.DomainID = &domain.ID
	}
	if change == (shortener.LinkUpdate{}) {
		// Nothing to change (PATCH {}): no write, no updated_at, no
		// link.updated event.
		return l, nil
	}
	l, err = s.links.UpdateLink(ctx, l.ID, change, now)
	switch shortener.ErrorCode(err) {
	case "":
	case shortener.ENOTFOUND:
		if errors.Is(err, shortener.ErrDomainGone) { // the domain was deleted in between
			return nil, noSuchDomain("body.domain", domain.Host)
		}
		return nil, shortener.ErrLinkNotFound // deleted in between
	case shortener.ECONFLICT: // only a move can collide
		return nil, &shortener.Error{Code: shortener.ECONFLICT, Message: "The link's code is already taken on that domain.",
			Fields: []shortener.FieldError{{Location: "body.domain", Message: "the code is taken on this domain", Value: domain.Host}}}
	default:
		return nil, err
	}
	s.invalidate(ctx, l.Key())
	if oldKey != l.Key() {
		s.invalidate(ctx, oldKey) // moved: the old domain answers 404 at once
	}
	return l, nil
}
