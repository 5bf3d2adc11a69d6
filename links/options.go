package links

import (
	"time"

	"github.com/shortener-dev/shortener"
)

// Options are a link's options as a request gives them (API.md, "Link
// options"); nil leaves one at its default (create) or as it is (update).
type Options struct {
	RedirectType *int
	ForwardQuery *bool
	ValidSince   *time.Time
	MaxClicks    *int64
	Password     *string // write-only; stored as a bcrypt hash
	Rules        *[]shortener.TargetRule
	Variants     *[]shortener.Variant
	Tags         *[]string // normalised by checkOptions (shortener.NormalizeTags)
}

// PasswordHasher hashes link passwords (auth.Hasher: bcrypt).
type PasswordHasher interface {
	Hash(password string) (string, error)
}

// checkOptions validates o and returns it with its rules normalised.
func (s *Service) checkOptions(o Options) (Options, []error) {
	var errs []error
	if o.RedirectType != nil {
		errs = append(errs, shortener.CheckRedirectType(*o.RedirectType))
	}
	if o.ValidSince != nil {
		errs = append(errs, shortener.CheckTimestamp("body.valid_since", "valid_since", *o.ValidSince))
		t := o.ValidSince.UTC()
		o.ValidSince = &t
	}
	if o.MaxClicks != nil {
		errs = append(errs, shortener.CheckMaxClicks(*o.MaxClicks))
	}
	if o.Password != nil {
		errs = append(errs, shortener.CheckLinkPassword(*o.Password))
	}
	if o.Rules != nil {
		rules, err := shortener.NormalizeRules(*o.Rules, s.OwnHosts())
		errs = append(errs, err)
		o.Rules = &rules
	}
	if o.Variants != nil {
		errs = append(errs, shortener.CheckVariants(*o.Variants, s.OwnHosts()))
	}
	if o.Tags != nil {
		tags, err := shortener.NormalizeTags("body.tags", *o.Tags)
		errs = append(errs, err)
		o.Tags = &tags
	}
	return o, errs
}

// passwordHash hashes a checked password, or returns nil for none.
func (s *Service) passwordHash(pw *string) (*string, error) {
	if pw == nil {
		return nil, nil
	}
	hash, err := s.passwords.Hash(*pw)
	return &hash, err
}

// applyOptions sets checked options on a new link.
func applyOptions(l *shortener.Link, o Options, hash *string) {
	l.RedirectType = shortener.DefaultRedirectType
	if o.RedirectType != nil {
		l.RedirectType = *o.RedirectType
	}
	if o.ForwardQuery != nil {
		l.ForwardQuery = *o.ForwardQuery
	}
	l.ValidSince, l.MaxClicks = o.ValidSince, o.MaxClicks
	if hash != nil {
		l.PasswordHash = *hash
	}
	if o.Rules != nil && len(*o.Rules) > 0 {
		l.Rules = *o.Rules
	}
	if o.Variants != nil {
		l.Variants = *o.Variants
	}
	if o.Tags != nil && len(*o.Tags) > 0 {
		l.Tags = *o.Tags
	}
}

// updateOptions names the checked options of in in u.
func updateOptions(u *shortener.LinkUpdate, in UpdateInput, hash *string) {
	u.RedirectType, u.ForwardQuery = in.RedirectType, in.ForwardQuery
	u.ValidSince, u.ClearValidSince = in.ValidSince, in.ClearValidSince
	u.MaxClicks, u.ClearMaxClicks = in.MaxClicks, in.ClearMaxClicks
	u.PasswordHash = hash
	if in.ClearPassword {
		none := ""
		u.PasswordHash = &none
	}
	u.Rules = in.Rules
	u.Variants, u.ClearVariants = in.Variants, in.ClearVariants
	u.Tags = in.Tags
}
