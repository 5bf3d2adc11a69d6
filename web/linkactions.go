package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/links"
)

// errFormInvalid marks a form the app refused itself (a malformed date),
// its errors already on the form.
var errFormInvalid = errors.New("form has errors")

const msgBadTime = "Enter a date and time, like 2026-12-31 18:00 (UTC)."

// createInput reads the create form; a malformed expiry fails the form.
func createInput(f *form) links.CreateInput {
	in := links.CreateInput{OriginalURL: withScheme(f.Value("original_url"))}
	if s := f.Value("custom_alias"); s != "" {
		in.CustomAlias = &s
	}
	if s := f.Value("title"); s != "" {
		in.Title = &s
	}
	if s := f.Value("domain"); s != "" {
		in.Domain = &s
	}
	if s := f.Value("expires_at"); s != "" {
		if t, err := parseInputDateTime(s); err != nil {
			f.fail("expires_at", msgBadTime)
		} else {
			in.ExpiresAt = &t
		}
	}
	public := f.Value("is_public") != "false"
	in.IsPublic = &public
	in.Options = createOptions(f)
	return in
}

// createLink makes a link from the list page's form; its errors show on
// the list, next to their fields, with the input kept.
func (a *App) createLink(w http.ResponseWriter, r *http.Request) {
	user := visitOf(r).user
	f := newForm(r, createFields...)
	err := a.admit(w, r, classUser, user)
	var l *shortener.Link
	if err == nil {
		if in := createInput(f); f.Failed() {
			err = errFormInvalid
			a.explainAlso(r, f, a.links.CheckCreate(in))
		} else {
			l, err = a.links.Create(r.Context(), user, in)
		}
	}
	if err != nil {
		status := http.StatusUnprocessableEntity
		if err != errFormInvalid {
			status = a.explain(r, f, err)
		}
		back, _ := url.Parse(safeReturn(r.PostFormValue("return")))
		a.renderList(w, r, status, back.Query(), &listView{Form: f})
		return
	}
	// The new link is the newest: it heads the first page of one's own.
	a.setFlash(w, "created", l.ID)
	seeOther(w, r, "/app")
}

// toggleLink enables or disables a link. The form says which state it
// wants rather than "flip", so a form sent twice changes nothing more.
func (a *App) toggleLink(w http.ResponseWriter, r *http.Request) {
	user := visitOf(r).user
	active := r.PostFormValue("is_active") == "true"
	err := a.admit(w, r, classUser, user)
	if err == nil {
		_, err = a.links.Update(r.Context(), user, r.PathValue("id"), links.UpdateInput{IsActive: &active})
	}
	if err != nil {
		a.failPage(w, r, err)
		return
	}
	a.setFlash(w, map[bool]string{true: "enabled", false: "disabled"}[active], "")
	seeOther(w, r, safeReturn(r.PostFormValue("return")))
}

// deleteView asks before a delete when the page's script did not.
type deleteView struct {
	pageBase
	Link   linkRow
	Return string
}

// deleteLink deletes a link once confirmed: by the script's dialog, which
// sets confirmed=yes, or else by the confirmation page this answers with.
func (a *App) deleteLink(w http.ResponseWriter, r *http.Request) {
	user, id := visitOf(r).user, r.PathValue("id")
	ret := safeReturn(r.PostFormValue("return"))
	if err := a.admit(w, r, classUser, user); err != nil {
		a.failPage(w, r, err)
		return
	}
	if r.PostFormValue("confirmed") != "yes" {
		l, err := a.links.Get(r.Context(), user, id)
		if err == nil && !l.ManageableBy(user) {
			err = shortener.ErrLinkNotFound // readable (public), not the user's to delete
		}
		if err != nil {
			a.failPage(w, r, err)
			return
		}
		a.render(w, r, http.StatusOK, "delete", &deleteView{
			pageBase: pageBase{Title: "Delete link", Nav: "links"}, Link: a.linkRow(l, a.clock()), Return: ret,
		})
		return
	}
	if err := a.links.Delete(r.Context(), user, id); err != nil {
		a.failPage(w, r, err)
		return
	}
	if strings.HasPrefix(ret, "/app/links/") {
		ret = "/app" // that page is gone
	}
	a.setFlash(w, "deleted", "")
	seeOther(w, r, ret)
}
