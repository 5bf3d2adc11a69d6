package web

import (
	"net/http"

	"github.com/shortener-dev/shortener"
)

// accountView is the account page: two forms, each with its own errors.
type accountView struct {
	pageBase
	NameForm     *form
	PasswordForm *form
}

var passwordFields = []string{"current_password", "password", "password_confirm"}

func (a *App) accountPage(w http.ResponseWriter, r *http.Request) {
	nf := newForm(nil, "full_name")
	nf.set("full_name", visitOf(r).user.FullName)
	a.renderAccount(w, r, http.StatusOK, nf, newForm(nil, passwordFields...))
}

func (a *App) renderAccount(w http.ResponseWriter, r *http.Request, status int, name, pw *form) {
	a.render(w, r, status, "account", &accountView{
		pageBase: pageBase{Title: "Account", Nav: "account"}, NameForm: name, PasswordForm: pw,
	})
}

func (a *App) saveName(w http.ResponseWriter, r *http.Request) {
	user := visitOf(r).user
	f := newForm(r, "full_name")
	err := a.admit(w, r, classUser, user)
	if err == nil {
		name := f.Value("full_name")
		_, err = a.accounts.UpdateProfile(r.Context(), user, ProfileUpdate{FullName: &name})
	}
	if err != nil {
		status := a.explain(r, f, err)
		a.renderAccount(w, r, status, f, newForm(nil, passwordFields...))
		return
	}
	a.setFlash(w, "name", "")
	seeOther(w, r, "/app/account")
}

// changePassword sets a new password. The service ends the user's other
// sessions; this browser then gets a fresh session of its own, so it stays
// signed in however the service decides which session is "this one".
func (a *App) changePassword(w http.ResponseWriter, r *http.Request) {
	vis := visitOf(r)
	f := newForm(r, passwordFields...)
	nameForm := newForm(nil, "full_name")
	nameForm.set("full_name", vis.user.FullName)
	err := a.admit(w, r, classUser, vis.user)
	if err == nil {
		err = checkNewPassword(f)
	}
	var u *shortener.User
	if err == nil {
		pw := f.raw("password")
		u, err = a.accounts.UpdateProfile(r.Context(), vis.user, ProfileUpdate{Password: &pw, CurrentPassword: f.raw("current_password")})
	}
	if shortener.ErrorCode(err) == shortener.EFORBIDDEN {
		f.fail("current_password", "This is not your current password.")
	}
	if err != nil {
		status := statusOf(r.Context(), err)
		if !f.Failed() {
			status = a.explain(r, f, err)
		}
		a.renderAccount(w, r, status, nameForm, f)
		return
	}
	if token, err := a.sessions.Start(r.Context(), u.Email, f.raw("password"), a.client(r)); err != nil {
		a.logError(r, "start a session after a password change", err)
	} else {
		if err := a.sessions.End(r.Context(), vis.session); err != nil {
			a.logError(r, "end the session of the old password", err)
		}
		a.startSession(w, r, token, u)
	}
	a.setFlash(w, "password", "")
	seeOther(w, r, "/app/account")
}

// checkNewPassword checks what the service cannot: that the new password
// was typed twice alike, and that the current one was given at all.
func checkNewPassword(f *form) error {
	if f.raw("current_password") == "" {
		f.fail("current_password", "Enter your current password.")
	}
	if f.raw("password") != f.raw("password_confirm") {
		f.fail("password_confirm", "The two new passwords differ; type the same one twice.")
	}
	if f.Failed() {
		return shortener.Errorf(shortener.EINVALID, "%s", msgFixFields)
	}
	return nil
}
