package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/shortener-dev/shortener/internal/csrf"
)

// CSRF protection (internal/csrf), one scheme for signed-out and
// signed-in forms: the seed in an HttpOnly cookie ("csrf"), and in every
// form the token bound to the signed-in user's ID ("" when signed out).
//
// The token is not the HMAC of the session token itself: the session
// token rotates (Resume may hand out a new one on any request), which
// would void the forms open in every other tab at each rotation. The seed
// stays for the browser's session and is replaced at log-in and log-out.
//
// The cookie is SameSite=Lax, not Strict: a Strict cookie is withheld on
// the first page reached from another site, which would mint a new seed
// and void the forms of the other tabs. Lax still keeps it off
// cross-site POSTs, and its secrecy is what the scheme rests on.

const csrfField = "csrf_token"

// maxFormBytes bounds a form body; the largest form (a link) is a few KB.
const maxFormBytes = 64 << 10

// newSeed mints a seed for this browser and sets its cookie.
func (a *App) newSeed(w http.ResponseWriter, r *http.Request) {
	v := visitOf(r)
	v.seed, v.seedSent = csrf.NewSeed(), true
	a.setCookie(w, csrfCookie, v.seed, sessionAge)
}

// csrfToken returns the token for the forms of the page being rendered,
// minting the browser's seed first if it has none.
func (a *App) csrfToken(w http.ResponseWriter, r *http.Request) string {
	v := visitOf(r)
	if !v.seedSent {
		a.newSeed(w, r)
	}
	return a.csrf.Token(v.seed, userID(v))
}

func userID(v *visit) string {
	if v.user == nil {
		return ""
	}
	return v.user.ID
}

// checkCSRF refuses a form whose token does not match the browser's seed
// and user, before the handler runs: nothing changes, and the page says
// the form expired (which is what happened to an honest user).
func (a *App) checkCSRF(next http.HandlerFunc) http.HandlerFunc {
	return a.csrfAfter(func(w http.ResponseWriter, r *http.Request) error {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		return r.ParseForm()
	}, next)
}

// checkUploadCSRF is checkCSRF for a form that uploads a file
// (multipart/form-data) of at most the app's import limit.
func (a *App) checkUploadCSRF(next http.HandlerFunc) http.HandlerFunc {
	return a.csrfAfter(func(w http.ResponseWriter, r *http.Request) error {
		r.Body = http.MaxBytesReader(w, r.Body, a.maxImport+maxFormBytes)
		return r.ParseMultipartForm(uploadMemory)
	}, next)
}

// uploadMemory is how much of an upload is held in memory; the rest waits
// in a temporary file.
const uploadMemory = 1 << 20

// csrfAfter reads the form with parse, then checks its token.
func (a *App) csrfAfter(parse func(http.ResponseWriter, *http.Request) error, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := parse(w, r); err != nil {
			// Too large is 413, as in the API; the browser's Back keeps
			// what was typed.
			if tooLarge := (*http.MaxBytesError)(nil); errors.As(err, &tooLarge) {
				a.errorPage(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf(
					"This form is larger than %s. Go back, shorten what you entered, and send it again.", bytesText(tooLarge.Limit)))
				return
			}
			a.errorPage(w, r, http.StatusBadRequest, "This form could not be read; reload the page and try again.")
			return
		}
		// The seed must have come with this request, whatever the
		// request has done since.
		seed, err := r.Cookie(csrfCookie)
		if err != nil || !a.csrf.Valid(seed.Value, r.PostFormValue(csrfField), userID(visitOf(r))) {
			a.errorPage(w, r, http.StatusForbidden, "This form has expired; reload the page and try again.")
			return
		}
		next(w, r)
	}
}
