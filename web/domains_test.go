package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/domains"
	"github.com/shortener-dev/shortener/internal/testdb"
)

// domainsEnv is an App whose domains are the real service over a fresh
// SQLite store, with sho.rt as the default domain.
func domainsEnv(t *testing.T) *env {
	t.Helper()
	store := testdb.SQLite(t).Domains
	svc := domains.NewService(store, domains.NewRegistry(store, "sho.rt", nil), nil)
	if err := svc.SyncDefault(context.Background(), "sho.rt", nil); err != nil {
		t.Fatal(err)
	}
	return newEnv(t, func(c *Config) { c.Domains = svc })
}

func TestDomainsPageForAdmins(t *testing.T) {
	e := domainsEnv(t)
	b := e.signedIn(root)
	p := b.get("/app/domains")
	wantStatus(t, p, http.StatusOK)
	wantBody(t, p, "sho.rt", `<span class="badge">Default</span>`, `href="/app/domains" aria-current="page"`)
	// A single domain offers no choice in the create form.
	if p := b.get("/app"); strings.Contains(p.Body, `name="domain"`) {
		t.Error("the create form offers a domain choice with one domain")
	}

	p = b.submit("/app/domains", url.Values{"host": {"go.example:8080"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantBody(t, p, `id="host-error"`, `value="go.example:8080"`)

	p = b.submit("/app/domains", url.Values{"host": {"Go.Example"}, "not_found_url": {"https://example.com/404"}})
	wantStatus(t, p, http.StatusSeeOther)
	p = b.get("/app/domains")
	wantBody(t, p, "Domain saved", "go.example", `value="https://example.com/404"`)

	// The create form now offers both domains, and sends the choice.
	p = b.get("/app")
	wantBody(t, p, `<select id="domain" name="domain"`, `<option value="sho.rt"`, `<option value="go.example"`)
	b.submit("/app/links", url.Values{"original_url": {"https://example.com/x"}, "domain": {"go.example"}})
	if got := e.links.created; len(got) != 1 || got[0].Domain == nil || *got[0].Domain != "go.example" {
		t.Fatalf("created %+v", got)
	}

	// The edit form offers the domains too: the link's is chosen, and
	// another one moves it.
	linkID := e.links.links[0].ID
	p = b.get("/app/links/" + linkID)
	wantBody(t, p, `<select id="domain" name="domain"`, `<option value="go.example" selected>`)
	edit := url.Values{"original_url": {"https://example.com/x"}, "is_active": {"true"}, "is_public": {"true"}}
	for _, c := range []struct {
		domain string
		move   bool
	}{{"go.example", false}, {"sho.rt", true}} {
		edit.Set("domain", c.domain)
		wantStatus(t, b.submit("/app/links/"+linkID+"/edit", edit), http.StatusSeeOther)
		got := e.links.updated[len(e.links.updated)-1].Domain
		if c.move != (got != nil) || (got != nil && *got != c.domain) {
			t.Errorf("edit with domain %s: update's Domain %v, want a move: %v", c.domain, got, c.move)
		}
	}

	list, _ := domainsOf(t, e)
	id := list[1]
	p = b.submit("/app/domains/"+id+"/edit", url.Values{"host": {"go.example"}, "not_found_url": {"https://go.example/x"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantBody(t, p, `value="https://go.example/x"`)
	p = b.submit("/app/domains/"+id+"/delete", url.Values{})
	wantBody(t, p, "Delete this domain?", `<p class="item-name"><strong>go.example</strong></p>`)
	wantStatus(t, b.submit("/app/domains/00000000-0000-7000-8000-000000000000/delete", url.Values{}), http.StatusNotFound)
	wantStatus(t, b.submit("/app/domains/"+id+"/delete", url.Values{"confirmed": {"yes"}}), http.StatusSeeOther)
	wantBody(t, b.get("/app/domains"), "Domain deleted.")
}

// A domain that links use is not deleted, and its own card says why (not
// the add form at the top of the page).
func TestDomainInUseSaysSoOnItsCard(t *testing.T) {
	stores := testdb.SQLite(t)
	svc := domains.NewService(stores.Domains, domains.NewRegistry(stores.Domains, "sho.rt", nil), nil)
	if err := svc.SyncDefault(context.Background(), "sho.rt", nil); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(c *Config) { c.Domains = svc })
	b := e.signedIn(root)
	b.get("/app/domains")
	wantStatus(t, b.submit("/app/domains", url.Values{"host": {"go.example"}}), http.StatusSeeOther)
	ids, _ := domainsOf(t, e)
	id := ids[1]
	now := time.Now()
	if err := stores.Links.CreateLink(context.Background(), &shortener.Link{ID: shortener.NewID(), ShortCode: "used",
		OriginalURL: "https://example.com/", IsActive: true, IsPublic: true, CreatedAt: now, UpdatedAt: now,
		RedirectType: shortener.DefaultRedirectType, DomainID: id, Domain: "go.example"}); err != nil {
		t.Fatal(err)
	}
	b.get("/app/domains")
	p := b.submit("/app/domains/"+id+"/delete", url.Values{"confirmed": {"yes"}})
	wantStatus(t, p, http.StatusConflict)
	card := p.Body[strings.Index(p.Body, `<h2 id="d-`+id+`"`):]
	addForm := p.Body[:strings.Index(p.Body, `<h2 id="d-`)]
	if !strings.Contains(card, `role="alert"`) || strings.Contains(addForm, `role="alert"`) {
		t.Errorf("the refusal is not on the domain's card:\n%s", p.Body)
	}
	wantBody(t, p, `value="go.example"`)
}

func TestDomainsPageRefusesUsers(t *testing.T) {
	e := domainsEnv(t)
	b := e.signedIn(alice)
	if p := b.get("/app"); strings.Contains(p.Body, `href="/app/domains"`) {
		t.Error("a user's nav links the domains page")
	}
	wantStatus(t, b.get("/app/domains"), http.StatusForbidden)
	b.get("/app")
	wantStatus(t, b.submit("/app/domains", url.Values{"host": {"go.example"}}), http.StatusForbidden)
	if _, n := domainsOf(t, e); n != 1 {
		t.Errorf("%d domains after a user's add", n)
	}
}

// domainsOf returns the IDs of the domains, the default first.
func domainsOf(t *testing.T, e *env) ([]string, int) {
	t.Helper()
	list, err := e.app.domains.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(list))
	for i, d := range list {
		ids[i] = d.ID
	}
	return ids, len(ids)
}

// A link on an added domain shows its domain, and its QR codes are asked
// for on that domain.
func TestLinkPageOnAnAddedDomain(t *testing.T) {
	e := newEnv(t)
	l := e.addLink(alice, linkID, "abc", "https://example.com/page")
	l.DomainID, l.Domain = "0190a0f4-0000-7000-8000-0000000000d1", "go.example"
	e.summaries.summary = sampleSummary()
	p := e.signedIn(alice).get("/app/links/" + linkID)
	wantStatus(t, p, http.StatusOK)
	wantBody(t, p, `<dt>Domain</dt><dd>go.example</dd>`, `src="/app/qr/abc.svg?domain=go.example"`,
		`href="/app/qr/abc.png?domain=go.example" download="abc.png"`)
	wantStatus(t, e.browser().get("/app/qr/abc.svg?domain=go.example"), http.StatusOK)
	if got := e.qr.domains; len(got) != 1 || got[0] != "go.example" {
		t.Errorf("QR codes asked for on %v", got)
	}
}
