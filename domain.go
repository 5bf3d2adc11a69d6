package shortener

import (
	"context"
	"strings"
	"time"
)

// DefaultDomainID is the ID of the default domain: the host of BASE_URL.
// No migration can know that host, so its row is written with this fixed ID
// and the service keeps its host in line with BASE_URL at start
// (DomainStore.SetDefaultDomainHost).
const DefaultDomainID = "00000000-0000-0000-0000-000000000001"

// Domain is a short domain that links live on (API.md, "Domains").
type Domain struct {
	ID          string
	Host        string  // lower-case, no port, no trailing dot
	NotFoundURL *string // an unknown code on the domain redirects here instead of 404
	RootURL     *string // GET / on the domain redirects here
	CreatedAt   time.Time
}

// IsDefault reports whether d is the default domain (BASE_URL's host).
func (d *Domain) IsDefault() bool { return d.ID == DefaultDomainID }

// LinkKey names a link in every cache, in the code filter, in
// invalidations and in the hot-link counter: its bare code on the default
// domain (so keys made before domains existed stay valid), else the
// domain's ID, a slash and the code. Codes never hold a slash.
func LinkKey(domainID, code string) string {
	if domainID == "" || domainID == DefaultDomainID {
		return code
	}
	return domainID + "/" + code
}

// SplitLinkKey returns the domain ID and code of a LinkKey.
func SplitLinkKey(key string) (domainID, code string) {
	if i := strings.IndexByte(key, '/'); i >= 0 {
		return key[:i], key[i+1:]
	}
	return DefaultDomainID, key
}

// DomainUpdate names the fields of a domain to change: nil leaves a field
// as it is; the Clear fields set a URL to none.
type DomainUpdate struct {
	Host             *string
	NotFoundURL      *string
	ClearNotFoundURL bool
	RootURL          *string
	ClearRootURL     bool
}

// DomainStore keeps the short domains.
type DomainStore interface {
	// CreateDomain inserts d (ID and CreatedAt set by the caller).
	// Returns ECONFLICT if its host is taken.
	CreateDomain(ctx context.Context, d *Domain) error

	// DomainByID returns the domain with the given ID.
	// Returns ENOTFOUND if there is none.
	DomainByID(ctx context.Context, id string) (*Domain, error)

	// ListDomains returns every domain, the default first, then by
	// creation.
	ListDomains(ctx context.Context) ([]*Domain, error)

	// UpdateDomain writes the fields u names and returns the domain as
	// stored. Returns ENOTFOUND if there is none and ECONFLICT if the new
	// host is taken.
	UpdateDomain(ctx context.Context, id string, u DomainUpdate) (*Domain, error)

	// DeleteDomain deletes a domain no link uses. Returns ENOTFOUND if
	// there is none and ECONFLICT while links use it.
	DeleteDomain(ctx context.Context, id string) error

	// SetDefaultDomainHost writes host as the default domain's host and
	// returns the host it had before ("" when they are the same).
	// Returns ECONFLICT if an added domain has that host.
	SetDefaultDomainHost(ctx context.Context, host string) (previous string, err error)
}

// Client-facing messages about domains, the same whichever layer notices.
const (
	MsgDomainNotFound = "Domain not found."
	MsgHostTaken      = "This host is already a domain."
	MsgDomainInUse    = "Links use this domain: move or delete them first."
)
