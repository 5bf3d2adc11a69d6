package web

import (
	"net/http"

	"github.com/shortener-dev/shortener"
)

// authView is the log-in or sign-up page.
type authView struct {
	pageBase
	Form *form
	Next string // where to go once signed in; "" for the link list
}

var (
	loginFields  = []string{"email", "password"}
	signupFields = []string{"email", "password", "full_name"}
)

// afterLogin is where a signed-in visitor of the login pages goes.
func afterLogin(next string) string { return cmpOr(safeNext(next), "/app") }

func (a *App) loginPage(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if visitOf(r).user != nil {
		seeOther(w, r, afterLogin(next))
		return
	}
	a.render(w, r, http.StatusOK, "login", &authView{
		pageBase: pageBase{Title: "Log in", Nav: "login"}, Form: newForm(nil, loginFields...), Next: next,
	})
}

// login starts a session. Every attempt counts against the login bucket,
// as on the API.
func (a *App) login(w http.ResponseWriter, r *http.Request) {
	f := newForm(r, loginFields...)
	next := safeNext(r.PostFormValue("next"))
	err := a.admit(w, r, classLogin, nil)
	var token string
	if err == nil {
		token, err = a.sessions.Start(r.Context(), f.Value("email"), f.raw("password"), a.client(r))
	}
	if err != nil {
		status := a.explain(r, f, err)
		a.render(w, r, status, "login", &authView{pageBase: pageBase{Title: "Log in", Nav: "login"}, Form: f, Next: next})
		return
	}
	a.endPrevious(r)
	a.startSession(w, r, token, nil)
	seeOther(w, r, afterLogin(next))
}

// endPrevious ends the session whose cookie came with a log-in or sign-up
// (another tab's, say), so that no live session is left without a cookie.
// The login forms are signed-out forms, so it was not resumed.
func (a *App) endPrevious(r *http.Request) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return
	}
	if err := a.sessions.End(r.Context(), c.Value); err != nil {
		a.logError(r, "end the previous session", err)
	}
}

func (a *App) signupPage(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if visitOf(r).user != nil {
		seeOther(w, r, afterLogin(next))
		return
	}
	a.render(w, r, http.StatusOK, "signup", &authView{
		pageBase: pageBase{Title: "Sign up", Nav: "signup"}, Form: newForm(nil, signupFields...), Next: next,
	})
}

// signup creates the account and signs it in. It counts against the
// register bucket only: the session that follows is part of it.
func (a *App) signup(w http.ResponseWriter, r *http.Request) {
	f := newForm(r, signupFields...)
	next := safeNext(r.PostFormValue("next"))
	err := a.admit(w, r, classRegister, nil)
	var u *shortener.User
	if err == nil {
		u, err = a.accounts.Register(r.Context(), f.Value("email"), f.raw("password"), f.Value("full_name"))
	}
	if shortener.ErrorCode(err) == shortener.ECONFLICT {
		f.fail("email", shortener.ErrorMessage(err)+" Log in instead, or use another email.")
	}
	if err != nil {
		status := statusOf(r.Context(), err)
		if !f.Failed() {
			status = a.explain(r, f, err)
		}
		a.render(w, r, status, "signup", &authView{pageBase: pageBase{Title: "Sign up", Nav: "signup"}, Form: f, Next: next})
		return
	}
	token, err := a.sessions.Start(r.Context(), u.Email, f.raw("password"), a.client(r))
	if err != nil {
		// The account exists; only the automatic log-in failed.
		a.logError(r, "log in after sign-up", err)
		seeOther(w, r, "/app/login")
		return
	}
	a.endPrevious(r)
	a.startSession(w, r, token, u)
	a.setFlash(w, "welcome", "")
	seeOther(w, r, afterLogin(next))
}

// logout revokes the session's refresh tokens, then forgets the cookies.
// When revoking fails the cookie stays, so that logging out again can
// still revoke it: clearing it alone would leave a live token behind.
func (a *App) logout(w http.ResponseWriter, r *http.Request) {
	if err := a.sessions.End(r.Context(), visitOf(r).session); err != nil {
		a.serverError(w, r, err)
		return
	}
	a.clearCookie(w, sessionCookie)
	a.clearCookie(w, csrfCookie)
	a.setFlash(w, "loggedout", "")
	seeOther(w, r, "/")
}
