package links

import (
	"errors"

	"github.com/shortener-dev/shortener"
)

// defaultDomain stands for the default domain when a Service has no
// Domains (tests of other packages).
var defaultDomain = &shortener.Domain{ID: shortener.DefaultDomainID}

// domainOf returns the domain with the given host (nil: the default), or
// EINVALID at location for a host that is no domain.
func (s *Service) domainOf(host *string, location string) (*shortener.Domain, error) {
	if s.domains == nil {
		if host == nil {
			return defaultDomain, nil
		}
		return defaultDomain, noSuchDomain(location, *host)
	}
	if host == nil {
		return s.domains.Default(), nil
	}
	if d, ok := s.domains.ByHost(*host); ok {
		return d, nil
	}
	return s.domains.Default(), noSuchDomain(location, *host)
}

func noSuchDomain(location, host string) error {
	return shortener.Invalid(location, "domain must be one of the service's domains", host)
}

// domainGone answers a store's ErrDomainGone (the link's domain was
// deleted after domainOf found it) as domainOf answers a host that is no
// domain; other errors pass.
func domainGone(err error, l *shortener.Link) error {
	if errors.Is(err, shortener.ErrDomainGone) {
		return noSuchDomain("body.domain", l.Domain)
	}
	return err
}

// OwnHosts returns the hosts that link targets and webhook endpoints may
// not point to: BASE_URL's and every domain's (a redirect loop otherwise).
func (s *Service) OwnHosts() []string {
	if s.domains == nil {
		return s.ownHosts
	}
	return append(append(make([]string, 0, len(s.ownHosts)+4), s.ownHosts...), s.domains.Hosts()...)
}
