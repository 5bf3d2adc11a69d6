package web

import (
	"net/http"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/links"
)

// linkPageView is one link: its short URL and QR code, the edit form and
// its analytics. The page's heading is the link's title, or else its short
// URL (never both the same URL twice).
type linkPageView struct {
	pageBase
	Link     linkRow
	Form     *form
	Domains  []string // the hosts the link may move to, when there is more than one
	EditOpen bool
	Options  []fact // the link's options that are not the defaults
	Stats    *statsView
	Return   string // this page, for the forms to come back to
}

var editFields = append([]string{"original_url", "domain", "title", "expires_at", "is_public", "is_active"}, optionFields...)

// editForm is the edit form filled in from l.
func editForm(l *shortener.Link) *form {
	f := newForm(nil, editFields...)
	f.set("original_url", l.OriginalURL)
	f.set("domain", l.Domain)
	if l.Title != nil {
		f.set("title", *l.Title)
	}
	f.set("expires_at", inputDateTime(l.ExpiresAt))
	f.set("is_public", map[bool]string{true: "true", false: "false"}[l.IsPublic])
	if l.IsActive {
		f.set("is_active", "true")
	}
	fillOptions(f, l)
	return f
}

// updateInput reads the edit form into the changes it makes to l. Only
// what differs is sent: an expired link's past expiry, sent back as it
// is, would be refused ("must be in the future") and block every other
// change. An emptied title or expiry clears it.
func updateInput(f *form, l *shortener.Link) links.UpdateInput {
	var in links.UpdateInput
	if u := withScheme(f.Value("original_url")); u != l.OriginalURL {
		in.OriginalURL = &u
	}
	if d := f.Value("domain"); d != "" && d != l.Domain {
		in.Domain = &d // a move; 409 when the code is taken there
	}
	switch title := f.Value("title"); {
	case title == "" && l.Title != nil:
		in.ClearTitle = true
	case title != "" && (l.Title == nil || *l.Title != title):
		in.Title = &title
	}
	switch exp := f.Value("expires_at"); {
	case exp == "" && l.ExpiresAt != nil:
		in.ClearExpiry = true
	case exp != "" && exp != inputDateTime(l.ExpiresAt):
		if t, err := parseInputDateTime(exp); err != nil {
			f.fail("expires_at", msgBadTime)
		} else {
			in.ExpiresAt = &t
		}
	}
	active, public := f.Value("is_active") == "true", f.Value("is_public") != "false"
	in.IsActive, in.IsPublic = &active, &public
	updateOptions(f, l, &in)
	return in
}

func (a *App) linkPage(w http.ResponseWriter, r *http.Request) {
	l, err := a.links.Get(r.Context(), visitOf(r).user, r.PathValue("id"))
	if err != nil {
		a.failPage(w, r, err)
		return
	}
	a.renderLink(w, r, http.StatusOK, l, editForm(l))
}

// editLink saves the edit form; errors show on the link page, next to
// their fields, with the input kept and the form open.
func (a *App) editLink(w http.ResponseWriter, r *http.Request) {
	user, id := visitOf(r).user, r.PathValue("id")
	admitErr := a.admit(w, r, classUser, user)
	l, err := a.links.Get(r.Context(), user, id)
	if err != nil {
		a.failPage(w, r, err)
		return
	}
	f := newForm(r, editFields...)
	err = admitErr
	if err == nil {
		if in := updateInput(f, l); f.Failed() {
			err = errFormInvalid
			a.explainAlso(r, f, a.links.CheckUpdate(in))
		} else {
			_, err = a.links.Update(r.Context(), user, id, in)
		}
	}
	if err != nil {
		status := http.StatusUnprocessableEntity
		if err != errFormInvalid {
			status = a.explain(r, f, err)
		}
		a.renderLink(w, r, status, l, f)
		return
	}
	a.setFlash(w, "updated", "")
	seeOther(w, r, linkURL(id, periodDays(r.URL.Query().Get("days"))))
}

// renderLink renders the link page of l with the edit form f. The page is
// for those who may see the link's analytics (owner or admin): when the
// summary is not found for the caller, neither is the page, so that rule
// stays with the services.
func (a *App) renderLink(w http.ResponseWriter, r *http.Request, status int, l *shortener.Link, f *form) {
	days := periodDays(r.URL.Query().Get("days"))
	stats, err := a.stats(r, l, days)
	if shortener.ErrorCode(err) == shortener.ENOTFOUND {
		a.notFound(w, r)
		return
	}
	row := a.linkRow(l, a.clock())
	v := &linkPageView{
		pageBase: pageBase{Title: row.Display, Nav: "links"},
		Link:     row, Form: f, Domains: a.domainHosts(r), EditOpen: f.Failed(), Options: optionFacts(l),
		Stats: stats, Return: linkURL(l.ID, days),
	}
	a.render(w, r, status, "link", v)
}
