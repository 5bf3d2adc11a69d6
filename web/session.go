package web

import (
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/auth"
)

// client describes the browser to the session service, which stores it
// with the refresh token (the same shape as an API login).
func (a *App) client(r *http.Request) auth.Client {
	ip := ""
	if addr := a.clientIP(r); addr.IsValid() {
		ip = addr.String()
	}
	return auth.Client{UserAgent: shortener.ClipText(r.UserAgent(), 512), IP: ip}
}

// resume signs the request in from its session cookie. A rotated token
// goes back in the cookie; a session the service refuses is cleared from
// the browser, leaving the request signed out. Other errors are returned.
func (a *App) resume(w http.ResponseWriter, r *http.Request) error {
	v := visitOf(r)
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" || v.user != nil {
		return nil
	}
	u, next, err := a.sessions.Resume(r.Context(), c.Value, a.client(r))
	switch {
	case shortener.ErrorCode(err) == shortener.EUNAUTHORIZED:
		a.clearCookie(w, sessionCookie)
		v.hasCookie, v.ended = false, true
		return nil
	case err != nil:
		return err
	}
	v.user, v.session = u, c.Value
	if next != "" {
		v.session = next
		a.setCookie(w, sessionCookie, next, sessionAge)
	}
	return nil
}

// optionalUser resumes the session when there is one.
func (a *App) optionalUser(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := a.resume(w, r); err != nil {
			a.serverError(w, r, err)
			return
		}
		next(w, r)
	}
}

// requireUser sends a request without a valid session to the login page
// (303), which comes back here afterwards. A session that has ended
// (expired, or revoked by a logout elsewhere) is said on the login page,
// and for a form, that what it sent was not saved.
func (a *App) requireUser(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := a.resume(w, r); err != nil {
			a.serverError(w, r, err)
			return
		}
		if v := visitOf(r); v.user == nil {
			if v.ended {
				kind := "ended"
				if isForm(r) {
					kind = "endedform"
				}
				a.setFlash(w, kind, "")
			}
			seeOther(w, r, loginURL(r))
			return
		}
		next(w, r)
	}
}

func isForm(r *http.Request) bool { return r.Method != http.MethodGet && r.Method != http.MethodHead }

// loginURL is the login page with next set to come back to r: the page
// itself for a GET; for a form (re-posting it is not safe), the page of
// this site it was sent from, else the link list.
func loginURL(r *http.Request) string {
	if !isForm(r) {
		return "/app/login?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && ref.Path != "" {
		if back := safeReturn(ref.RequestURI()); back != "/app" {
			return "/app/login?next=" + url.QueryEscape(back)
		}
	}
	return "/app/login"
}

// safeNext returns next when it is a path on this site, else "". Browsers
// read "//host", "/\host" and "/\t/host" as another origin, so a value
// must start with one "/" and hold no backslash, control character or
// space anywhere.
func safeNext(next string) string {
	if len(next) > 2048 || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return ""
	}
	if strings.ContainsFunc(next, func(r rune) bool {
		return r == '\\' || unicode.IsControl(r) || unicode.IsSpace(r)
	}) {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return ""
	}
	return next
}

// safeReturn is where a form on a signed-in page goes back to: a path
// under /app, else the link list.
func safeReturn(ret string) string {
	if s := safeNext(ret); s == "/app" || strings.HasPrefix(s, "/app?") || strings.HasPrefix(s, "/app/") {
		return s
	}
	return "/app"
}

// startSession puts a new session token in the cookie. The CSRF seed is
// replaced too: a seed planted before the login must not outlive it.
func (a *App) startSession(w http.ResponseWriter, r *http.Request, token string, u *shortener.User) {
	v := visitOf(r)
	a.setCookie(w, sessionCookie, token, sessionAge)
	v.user, v.session, v.hasCookie = u, token, true
	a.newSeed(w, r)
}
