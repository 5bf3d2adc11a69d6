package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/shortener-dev/shortener"
)

// keysView is the API keys page: the new key (once, right after it was
// made), the create form, and the user's keys.
type keysView struct {
	pageBase
	Form   *form
	Scopes []checkOption
	NewKey *newKeyView
	Keys   []keyRow
}

// newKeyView is a key just made: the only time it is shown.
type newKeyView struct {
	Name, Key string
}

// checkOption is one checkbox of a list (scopes, events).
type checkOption struct {
	Value, Label, Hint string
	Checked            bool
}

// keyRow is one key of the list.
type keyRow struct {
	ID, Name, Prefix, Scopes, Created, Expires, LastUsed string
	Expired                                              bool
}

var keyFields = []string{"name", "scopes", "expires_at"}

// scopeHints say what each scope lets a key do, in the API's words.
var scopeHints = map[shortener.Scope]string{
	shortener.ScopeLinksRead:     "read links, tags and QR codes",
	shortener.ScopeLinksWrite:    "create, change and delete links",
	shortener.ScopeAnalyticsRead: "read click summaries and exports",
	shortener.ScopeWebhooksWrite: "manage webhooks",
}

func scopeOptions(checked []string) []checkOption {
	out := make([]checkOption, 0, len(shortener.AllScopes))
	for _, s := range shortener.AllScopes {
		out = append(out, checkOption{Value: string(s), Label: string(s), Hint: scopeHints[s], Checked: slices.Contains(checked, string(s))})
	}
	return out
}

func (a *App) keysPage(w http.ResponseWriter, r *http.Request) {
	a.renderKeys(w, r, http.StatusOK, newForm(nil, keyFields...), []string{string(shortener.ScopeLinksRead)}, nil)
}

// renderKeys renders the page with the user's keys.
func (a *App) renderKeys(w http.ResponseWriter, r *http.Request, status int, f *form, scopes []string, created *newKeyView) {
	keys, err := a.keys.ListKeys(r.Context(), visitOf(r).user)
	if err != nil {
		a.failPage(w, r, err)
		return
	}
	now := a.clock()
	v := &keysView{pageBase: pageBase{Title: "API keys", Nav: "keys"}, Form: f, Scopes: scopeOptions(scopes), NewKey: created}
	for _, k := range keys {
		row := keyRow{ID: k.ID, Name: k.Name, Prefix: k.Prefix, Created: formatDay(k.CreatedAt), Expires: "Never",
			LastUsed: "Never", Expired: k.Expired(now)}
		names := make([]string, len(k.Scopes))
		for i, s := range k.Scopes {
			names[i] = string(s)
		}
		row.Scopes = strings.Join(names, ", ")
		if k.ExpiresAt != nil {
			row.Expires = formatDateTime(*k.ExpiresAt)
		}
		if k.LastUsedAt != nil {
			row.LastUsed = formatDateTime(*k.LastUsedAt)
		}
		v.Keys = append(v.Keys, row)
	}
	a.render(w, r, status, "keys", v)
}

// createKey makes a key and shows it on the page it answers with (no
// redirect: the key must not travel in a cookie or a URL).
func (a *App) createKey(w http.ResponseWriter, r *http.Request) {
	user := visitOf(r).user
	f := newForm(r, keyFields...)
	scopes := r.PostForm["scopes"]
	err := a.admit(w, r, classUser, user)
	var expires *time.Time
	if s := f.Value("expires_at"); err == nil && s != "" {
		if t, perr := parseInputDateTime(s); perr != nil {
			f.fail("expires_at", msgBadTime)
			err = errFormInvalid
		} else {
			expires = &t
		}
	}
	var (
		k   *shortener.APIKey
		key string
	)
	if err == nil {
		k, key, err = a.keys.CreateKey(r.Context(), user, f.Value("name"), scopes, expires)
	}
	if err != nil {
		status := http.StatusUnprocessableEntity
		if err != errFormInvalid {
			status = a.explain(r, f, listFieldsAsOne(err, "body.scopes"))
		}
		a.renderKeys(w, r, status, f, scopes, nil)
		return
	}
	a.renderKeys(w, r, http.StatusOK, newForm(nil, keyFields...), []string{string(shortener.ScopeLinksRead)},
		&newKeyView{Name: k.Name, Key: key})
}

// revokeKey revokes a key once confirmed: by the script's dialog, or else
// by the confirmation page this answers with.
func (a *App) revokeKey(w http.ResponseWriter, r *http.Request) {
	user, id := visitOf(r).user, r.PathValue("id")
	if !a.confirmed(w, r, id, confirmView{Heading: "Revoke this API key?",
		Message: "Programs that use it are refused at once. This cannot be undone.",
		Action:  "/app/keys/" + id + "/revoke", Button: "Revoke key", Return: "/app/keys"},
		func() (string, error) {
			keys, err := a.keys.ListKeys(r.Context(), user)
			return listed(keys, err, func(k *shortener.APIKey) string { return k.ID },
				func(k *shortener.APIKey) string { return k.Name + " (" + k.Prefix + "…)" }, id, "API key not found.")
		}) {
		return
	}
	if err := a.keys.RevokeKey(r.Context(), user, id); err != nil {
		a.failPage(w, r, err)
		return
	}
	a.setFlash(w, "keyrevoked", "")
	seeOther(w, r, "/app/keys")
}

// listFieldsAsOne moves the errors about the items of a list field
// (body.scopes[1]) to the field (body.scopes), whose checkboxes show one
// error for all.
func listFieldsAsOne(err error, location string) error {
	var e *shortener.Error
	if !errors.As(err, &e) {
		return err
	}
	c := *e
	c.Fields = nil
	for _, f := range e.Fields {
		if strings.HasPrefix(f.Location, location+"[") {
			f.Location = location
		}
		c.Fields = append(c.Fields, f)
	}
	return &c
}

// confirmView asks before a destructive form when the page's script did
// not.
type confirmView struct {
	pageBase
	Heading, Message, Action, Button, Return string
	Item                                     string // what is asked about, by the name the user knows it by
}

// confirmed runs what every destructive form of an item shares: the
// user's rate limit, an ID that can be one, and the confirmation (by the
// script's dialog, or else by the page ask that this answers with, for an
// item that find finds among the user's, named on the page by the name
// find returns: a 404 page otherwise). It has answered the request when it
// returns false.
func (a *App) confirmed(w http.ResponseWriter, r *http.Request, id string, ask confirmView, find func() (string, error)) bool {
	if err := a.admit(w, r, classUser, visitOf(r).user); err != nil {
		a.failPage(w, r, err)
		return false
	}
	if !shortener.IsID(id) {
		a.notFound(w, r)
		return false
	}
	if r.PostFormValue("confirmed") != "yes" {
		item, err := find()
		if err != nil {
			a.failPage(w, r, err)
			return false
		}
		ask.Item = item
		a.confirm(w, r, ask)
		return false
	}
	return true
}

// listed is the find of confirmed for items the user sees as a list: the
// name (nameOf) of the item with the id, else err, or ENOTFOUND (notFound)
// when items has none.
func listed[T any](items []T, err error, idOf, nameOf func(T) string, id, notFound string) (string, error) {
	if err != nil {
		return "", err
	}
	i := slices.IndexFunc(items, func(item T) bool { return strings.EqualFold(idOf(item), id) })
	if i < 0 {
		return "", shortener.Errorf(shortener.ENOTFOUND, "%s", notFound)
	}
	return nameOf(items[i]), nil
}

func (a *App) confirm(w http.ResponseWriter, r *http.Request, v confirmView) {
	v.pageBase = pageBase{Title: v.Heading}
	a.render(w, r, http.StatusOK, "confirm", &v)
}
