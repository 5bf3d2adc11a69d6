package httpapi

import (
	"crypto/rand"
	"errors"
	"html/template"
	"net/http"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/csrf"
)

// The password of a protected link (API.md, "Password links"): a browser
// gets a small form (200, no click recorded) that it posts back to POST
// /{code}; an API client sends X-Link-Password. Every 401 says
// WWW-Authenticate: Link-Password. The form and its errors never show the
// target.

const passwordPostPattern = "POST /{code}"

// passwordPage is the form of a password link, styled by the web app's
// stylesheet (Config.Stylesheet). Its policy is pagePolicy, without
// form-action: the form's answer is the redirect to the link's target on
// another site, and browsers hold the redirects a form leads to to
// form-action too (Chromium refuses the navigation).
var passwordPage = template.Must(template.New("password").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Password required</title>
{{with .CSS}}<link rel="stylesheet" href="{{.}}">
{{end}}</head>
<body><main><div class="wrap narrow">
<h1>This link is protected</h1>
<p>Enter the password you were given to continue.</p>
{{if .Error}}<p class="form-error" id="password-error" role="alert">{{.Error}}</p>{{end}}
<form method="post" action="{{.Action}}">
<input type="hidden" name="csrf" value="{{.CSRF}}">
{{with .Referrer}}<input type="hidden" name="referrer" value="{{.}}">
{{end}}<div class="field">
<label for="password">Password</label>
<input id="password" name="password" type="password" required autocomplete="off" autofocus{{if .Error}} aria-describedby="password-error" aria-invalid="true"{{end}}>
</div>
<button type="submit" class="primary">Continue</button>
</form>
</div></main></body></html>
`))

// codePath reports whether r's path can name a short code: a GET of it
// reaches the redirect. The paths of the service's own pages (/healthz,
// /docs, /app) fit the password form's pattern too, but are no codes: a
// POST there is a 405, not a short link's 404.
func (s *Server) codePath(r *http.Request) bool {
	probe := r.Clone(r.Context())
	probe.Method = http.MethodGet
	_, pattern := s.mux.Handler(probe)
	return pattern == redirectPattern
}

// maxFormMemory is the part of a multipart form kept in memory; the body's
// limit bounds the rest.
const maxFormMemory = 32 << 10

// isFormMediaType reports whether a Content-Type names a web form (in any
// case, with any parameters) or is missing, which leaves the form empty.
func isFormMediaType(contentType string) bool {
	switch mediaTypeOf(contentType) {
	case "application/x-www-form-urlencoded", "multipart/form-data":
		return true
	}
	return contentType == ""
}

// csrfCookie holds the seed of the password form's CSRF token
// (internal/csrf, as in the web app), for the link's path only; the token
// is bound to the link, so one link's form cannot post to another.
const csrfCookie = "link_csrf"

// csrfSigner is the signer of key, or of a random key when key is empty.
func csrfSigner(key []byte) *csrf.Signer {
	if len(key) == 0 {
		key = make([]byte, csrf.MinKey)
		_, _ = rand.Read(key)
	}
	signer, err := csrf.New(key)
	if err != nil {
		panic("httpapi: Config.CSRFKey: " + err.Error())
	}
	return signer
}

// csrfBinding is what a password form's token is bound to: its link,
// by the path the form posts to.
func csrfBinding(r *http.Request) string { return "link\x00" + r.PathValue("code") }

// postPassword answers a posted password form: the redirect's decision,
// once the form proves it came from our page. A post to a code without a
// password (unknown, or a plain link) is answered as the redirect answers
// it (404, 405): no form is shown for a link that has none.
func (s *Server) postPassword(w http.ResponseWriter, r *http.Request) {
	if !s.codePath(r) {
		s.unmatched(w, r)
		return
	}
	key, t, ok := s.resolveCode(w, r)
	if !ok || (t.PasswordHash != "" && !s.checkPasswordPost(w, r)) {
		return
	}
	s.answer(w, r, key, t)
}

// checkPasswordPost refuses a posted password form without the token of
// the form it came from: 403, nothing checked, no attempt counted.
// A body over MAX_BODY_BYTES is a 413 and one that is not a web form a 415,
// as for every body (API.md), both before the token is looked at.
func (s *Server) checkPasswordPost(w http.ResponseWriter, r *http.Request) bool {
	if !isFormMediaType(r.Header.Get("Content-Type")) {
		s.renderPasswordPage(w, r, http.StatusUnsupportedMediaType, "This form must be sent as a web form. Reload the page and try again.")
		return false
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.humaMaxBody-1)
	// ParseMultipartForm would drop ParseForm's error for a form that is
	// not multipart.
	err := r.ParseForm()
	if err == nil && mediaTypeOf(r.Header.Get("Content-Type")) == "multipart/form-data" {
		err = r.ParseMultipartForm(maxFormMemory)
	}
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		s.renderPasswordPage(w, r, http.StatusRequestEntityTooLarge, "This form was too large. Reload the page and try again.")
		return false
	}
	c, err := r.Cookie(csrfCookie)
	if err == nil && s.csrf.Valid(c.Value, r.PostFormValue("csrf"), csrfBinding(r)) {
		return true
	}
	s.renderPasswordPage(w, r, http.StatusForbidden, "This form has expired. Reload the page and try again.")
	return false
}

// passwordRefused answers a visit whose password is missing or wrong, or
// whose client has used up its attempts. A wrong attempt's answer, like the
// refusal's, carries the attempt limit's RateLimit headers.
func (s *Server) passwordRefused(w http.ResponseWriter, r *http.Request, f *visitFacts) {
	w.Header()["X-Robots-Tag"] = robotsNoindex // as on every answer of a visit
	retry := 0
	if f.counted && f.err == nil {
		retry = shortener.SetRateHeaders(w.Header(), f.attempt, passwordAttempts)
	}
	switch {
	case f.err != nil:
		s.unavailable(w, r, "password link", f.err)
	case f.blocked:
		msg := "Too many wrong passwords. Try again in " + shortener.WaitText(retry) + "."
		if r.Method == http.MethodPost {
			s.renderPasswordPage(w, r, http.StatusTooManyRequests, msg)
			return
		}
		writeProblem(w, newProblem(http.StatusTooManyRequests, msg))
	case r.Method == http.MethodPost:
		msg := "That password is not right. Try again."
		if f.password == shortener.PasswordMissing {
			msg = "Enter the link's password."
		}
		w.Header().Set("WWW-Authenticate", "Link-Password")
		s.renderPasswordPage(w, r, http.StatusUnauthorized, msg)
	case f.password == shortener.PasswordMissing && acceptsHTML(r):
		s.renderPasswordPage(w, r, http.StatusOK, "")
	default:
		detail := "This link needs a password: send it in the X-Link-Password header."
		if f.password == shortener.PasswordWrong {
			detail = "The password sent in X-Link-Password is not right."
		}
		writeProblem(w, newProblem(http.StatusUnauthorized, detail).withHeader("WWW-Authenticate", "Link-Password"))
	}
}

// renderPasswordPage writes the form with its CSRF token, uncacheable.
func (s *Server) renderPasswordPage(w http.ResponseWriter, r *http.Request, status int, errMsg string) {
	// A seed the browser has is kept, so that a second tab's form leaves
	// the first one's working.
	code := r.PathValue("code")
	var seed string
	if c, err := r.Cookie(csrfCookie); err == nil && csrf.ValidSeed(c.Value) {
		seed = c.Value
	} else {
		seed = csrf.NewSeed()
		http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: seed, Path: "/" + code, HttpOnly: true,
			Secure: s.secureCookies, SameSite: http.SameSiteStrictMode})
	}
	token := s.csrf.Token(seed, csrfBinding(r))
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", pagePolicy)
	h.Set("Referrer-Policy", referrerPolicy)
	h["X-Robots-Tag"] = robotsNoindex
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		// The form posts back to the URL it came from, query included, so
		// that forward_query still has the query to forward after the 303.
		action := "/" + code
		if r.URL.RawQuery != "" {
			action += "?" + r.URL.RawQuery
		}
		_ = passwordPage.Execute(w, struct{ Action, CSRF, Error, CSS, Referrer string }{
			action, token, errMsg, s.stylesheet, shortener.ClipText(visitReferrer(r), maxFormReferrerBytes)})
	}
}

// maxFormReferrerBytes bounds the referrer the password form carries.
const maxFormReferrerBytes = 2048

// visitReferrer is the referrer of a visit: the Referer header, except for
// a posted password form, whose Referer is the form itself; the form
// carries the Referer its page was first asked for with (the field
// "referrer", empty for a visit without one), so that the click is
// counted as coming from where the visitor came from.
func visitReferrer(r *http.Request) string {
	if r.Method == http.MethodPost {
		return r.PostFormValue("referrer")
	}
	return r.Header.Get("Referer")
}
