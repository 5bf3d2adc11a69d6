package web

import (
	"cmp"
	"context"
	"net/http"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/domains"
)

// Domains manages the short domains (the API's /api/v1/domains): any user
// lists them, an admin changes them (EFORBIDDEN for anyone else).
type Domains interface {
	List(ctx context.Context) ([]*shortener.Domain, error)
	// Create adds a domain. Returns EINVALID with field errors (body.host,
	// body.not_found_url, body.root_url) and ECONFLICT for a taken host.
	Create(ctx context.Context, caller *shortener.User, in domains.Input) (*shortener.Domain, error)
	// Update changes a domain; errors as Create, and ECONFLICT for the
	// default domain's host.
	Update(ctx context.Context, caller *shortener.User, id string, p domains.Patch) (*shortener.Domain, error)
	// Delete deletes a domain; ECONFLICT for the default and while links
	// use it.
	Delete(ctx context.Context, caller *shortener.User, id string) error
}

// domainsView is the admin's page of domains: the add form and every
// domain with its own edit form.
type domainsView struct {
	pageBase
	Form    *form
	Domains []domainRow
}

// domainRow is one domain and its edit form.
type domainRow struct {
	ID, Host, Created string
	Default           bool
	Form              *form
}

var domainFields = []string{"host", "not_found_url", "root_url"}

var errAdminsOnly = shortener.Errorf(shortener.EFORBIDDEN, "Only an admin may manage domains.")

// domainHosts returns the hosts a new link may go on, the default first,
// or nil when there is only the default (the form then has no choice).
func (a *App) domainHosts(r *http.Request) []string {
	if a.domains == nil {
		return nil
	}
	list, err := a.domains.List(r.Context())
	if err != nil {
		a.logError(r, "list domains", err)
		return nil
	}
	if len(list) < 2 {
		return nil
	}
	hosts := make([]string, len(list))
	for i, d := range list {
		hosts[i] = d.Host
	}
	return hosts
}

func (a *App) domainsPage(w http.ResponseWriter, r *http.Request) {
	if !visitOf(r).user.IsAdmin() {
		a.failPage(w, r, errAdminsOnly)
		return
	}
	a.renderDomains(w, r, http.StatusOK, newForm(nil, domainFields...), "", nil, "")
}

// renderDomains renders the page; editID names the domain whose card shows
// a refusal: edit, its form as sent with the errors (a refused change), or
// with edit nil, cardMsg over the domain's own values (a refused delete).
func (a *App) renderDomains(w http.ResponseWriter, r *http.Request, status int, f *form, editID string, edit *form, cardMsg string) {
	list, err := a.domains.List(r.Context())
	if err != nil {
		a.failPage(w, r, err)
		return
	}
	v := &domainsView{pageBase: pageBase{Title: "Domains", Nav: "domains"}, Form: f}
	for _, d := range list {
		row := domainRow{ID: d.ID, Host: d.Host, Created: formatDay(d.CreatedAt), Default: d.IsDefault(),
			Form: newForm(nil, domainFields...)}
		row.Form.set("host", d.Host)
		if d.NotFoundURL != nil {
			row.Form.set("not_found_url", *d.NotFoundURL)
		}
		if d.RootURL != nil {
			row.Form.set("root_url", *d.RootURL)
		}
		if d.ID == editID {
			if edit != nil {
				row.Form = edit
			}
			row.Form.Message = cmp.Or(row.Form.Message, cardMsg)
		}
		v.Domains = append(v.Domains, row)
	}
	a.render(w, r, status, "domains", v)
}

func optionalValue(f *form, name string) *string {
	if s := f.Value(name); s != "" {
		return &s
	}
	return nil
}

func (a *App) createDomain(w http.ResponseWriter, r *http.Request) {
	user := visitOf(r).user
	f := newForm(r, domainFields...)
	err := a.admit(w, r, classUser, user)
	if err == nil {
		_, err = a.domains.Create(r.Context(), user, domains.Input{Host: f.Value("host"),
			NotFoundURL: optionalValue(f, "not_found_url"), RootURL: optionalValue(f, "root_url")})
	}
	if err != nil {
		a.renderDomains(w, r, a.explain(r, f, err), f, "", nil, "")
		return
	}
	a.setFlash(w, "domainsaved", "")
	seeOther(w, r, "/app/domains")
}

// editDomain saves a domain's form: an empty URL field removes that URL.
func (a *App) editDomain(w http.ResponseWriter, r *http.Request) {
	user, id := visitOf(r).user, r.PathValue("id")
	f := newForm(r, domainFields...)
	err := a.admit(w, r, classUser, user)
	if err == nil {
		p := domains.Patch{NotFoundURL: optionalValue(f, "not_found_url"), RootURL: optionalValue(f, "root_url")}
		p.ClearNotFoundURL, p.ClearRootURL = p.NotFoundURL == nil, p.RootURL == nil
		if id != shortener.DefaultDomainID {
			p.Host = optionalValue(f, "host")
		}
		_, err = a.domains.Update(r.Context(), user, id, p)
	}
	if err != nil {
		status := a.explain(r, f, err)
		if status == http.StatusNotFound || status == http.StatusForbidden {
			a.failPage(w, r, err)
			return
		}
		a.renderDomains(w, r, status, newForm(nil, domainFields...), id, f, "")
		return
	}
	a.setFlash(w, "domainsaved", "")
	seeOther(w, r, "/app/domains")
}

// deleteDomain deletes a domain once confirmed; one that links use stays,
// and the page says why.
func (a *App) deleteDomain(w http.ResponseWriter, r *http.Request) {
	user, id := visitOf(r).user, r.PathValue("id")
	if !a.confirmed(w, r, id, confirmView{Heading: "Delete this domain?",
		Message: "Its host stops being one of the service's domains. A domain that links use cannot be deleted.",
		Action:  "/app/domains/" + id + "/delete", Button: "Delete domain", Return: "/app/domains"},
		func() (string, error) {
			if !user.IsAdmin() {
				return "", shortener.Errorf(shortener.EFORBIDDEN, "Only an admin can change domains.")
			}
			list, err := a.domains.List(r.Context())
			return listed(list, err, func(d *shortener.Domain) string { return d.ID },
				func(d *shortener.Domain) string { return d.Host }, id, "Domain not found.")
		}) {
		return
	}
	if err := a.domains.Delete(r.Context(), user, id); err != nil {
		if shortener.ErrorCode(err) == shortener.ECONFLICT {
			// Said on the domain's own card, not the add form's.
			a.renderDomains(w, r, http.StatusConflict, newForm(nil, domainFields...), id, nil, shortener.ErrorMessage(err))
			return
		}
		a.failPage(w, r, err)
		return
	}
	a.setFlash(w, "domaindeleted", "")
	seeOther(w, r, "/app/domains")
}
