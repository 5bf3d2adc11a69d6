package links_test

import (
	"context"
	"testing"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/testdb"
	"github.com/shortener-dev/shortener/links"
)

// staleDomains still lists a domain that the store no longer has: the
// registry of an instance that has not yet heard of its deletion, or a
// create that looked the domain up just before an admin deleted it.
type staleDomains struct{ gone *shortener.Domain }

func (d staleDomains) Default() *shortener.Domain {
	return &shortener.Domain{ID: shortener.DefaultDomainID, Host: "sho.rt"}
}

func (d staleDomains) ByHost(host string) (*shortener.Domain, bool) {
	return d.gone, host == d.gone.Host
}

func (d staleDomains) Hosts() []string { return []string{"sho.rt", d.gone.Host} }

// TestDomainDeletedMeanwhile: a link written to a domain deleted after it
// was looked up is EINVALID (422) as for a domain that is none of the service's, for
// a create, a bulk create (only its items on that domain) and a move.
func TestDomainDeletedMeanwhile(t *testing.T) {
	s := testdb.SQLite(t)
	svc := links.NewService(links.Config{
		Links: s.Links, Invalidator: &recordingInvalidator{}, BaseURL: "https://sho.rt/", OwnHosts: []string{"sho.rt"},
		CodeLength: 7, Domains: staleDomains{gone: &shortener.Domain{ID: shortener.NewID(), Host: "gone.example"}},
	})
	ctx := context.Background()
	owner := user(t, s, shortener.RoleUser)
	gone := "gone.example"
	wantDomain422 := func(what string, err error) {
		t.Helper()
		e, ok := err.(*shortener.Error)
		if !ok || e.Code != shortener.EINVALID || len(e.Fields) != 1 || e.Fields[0].Location != "body.domain" || e.Fields[0].Value != gone {
			t.Errorf("%s: %v (%#v), want EINVALID at body.domain with the host", what, err, err)
		}
	}

	_, err := svc.Create(ctx, owner, links.CreateInput{OriginalURL: "https://example.com/a", Domain: &gone})
	wantDomain422("create", err)

	results := svc.CreateMany(ctx, owner, []links.CreateInput{
		{OriginalURL: "https://example.com/b"},
		{OriginalURL: "https://example.com/c", Domain: &gone},
		{OriginalURL: "https://example.com/d"},
	})
	for _, i := range []int{0, 2} {
		if results[i].Err != nil || results[i].Link == nil {
			t.Errorf("bulk item %d on the default domain: %v", i, results[i].Err)
		}
	}
	wantDomain422("bulk item on the deleted domain", results[1].Err)

	l, err := svc.Create(ctx, owner, links.CreateInput{OriginalURL: "https://example.com/e"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.Update(ctx, owner, l.ID, links.UpdateInput{Domain: &gone})
	wantDomain422("move", err)
}
