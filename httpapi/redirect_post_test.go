package httpapi_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The password form posts back to the URL it was shown for, query
// included, so that forward_query has the query to forward after the 303;
// the query is escaped into the attribute, never markup.
func TestPasswordFormKeepsTheQuery(t *testing.T) {
	f := optionsFakes()
	secret := f.resolver.targets["secret"]
	secret.ForwardQuery = true
	f.resolver.targets["secret"] = secret
	srv := f.server()

	w := serve(t, srv, "GET", `/secret?utm=mail&x=%22%3E%3Cscript%3E`, "", "Accept", browserAccept)
	body := w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(body, `action="/secret?utm=mail&amp;x=%22%3E%3Cscript%3E"`) ||
		strings.Contains(body, "<script") {
		t.Fatalf("form: %d\n%s", w.Code, body)
	}
	token := csrfField.FindStringSubmatch(body)[1]
	cookie := w.Result().Cookies()[0]
	form := url.Values{"password": {"open sesame"}, "csrf": {token}}.Encode()
	w = serve(t, srv, "POST", "/secret?utm=mail", form, "Content-Type", "application/x-www-form-urlencoded",
		"Accept", browserAccept, "Cookie", cookie.Name+"="+cookie.Value)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "https://example.com/own?a=1&utm=mail" {
		t.Fatalf("post: %d %q", w.Code, w.Header().Get("Location"))
	}
}

// A post to a code without a password is answered as the redirect would
// answer it, before any CSRF check: 404 for an unknown code, 405 for a link
// without a password; never a password form.
func TestPostToACodeWithoutPassword(t *testing.T) {
	srv := optionsFakes().server()
	for path, want := range map[string]int{"/nosuchcode": http.StatusNotFound, "/plain": http.StatusMethodNotAllowed} {
		w := serve(t, srv, "POST", path, "password=x", "Content-Type", "application/x-www-form-urlencoded", "Accept", browserAccept)
		if w.Code != want || strings.Contains(w.Body.String(), "password") {
			t.Errorf("POST %s: %d, want %d without a password form\n%s", path, w.Code, want, w.Body)
		}
	}
}

// A password form over MAX_BODY_BYTES is a 413 and one that is not a web
// form a 415, before the form's token is looked at; up to the limit it is
// read (a wrong password: 401).
func TestPasswordPostBodyRules(t *testing.T) {
	srv := optionsFakes().server()
	w := serve(t, srv, "GET", "/secret", "", "Accept", browserAccept)
	token := csrfField.FindStringSubmatch(w.Body.String())[1]
	cookie := w.Result().Cookies()[0]
	post := func(contentType, body string) int {
		return serve(t, srv, "POST", "/secret", body, "Content-Type", contentType,
			"Accept", browserAccept, "Cookie", cookie.Name+"="+cookie.Value).Code
	}
	form := url.Values{"password": {"wrong"}, "csrf": {token}}.Encode() + "&pad="
	const limit = 1 << 16
	if got := post("application/x-www-form-urlencoded", form+strings.Repeat("a", limit-len(form))); got != http.StatusUnauthorized {
		t.Errorf("a form of exactly the limit: %d, want 401", got)
	}
	if got := post("application/x-www-form-urlencoded", form+strings.Repeat("a", limit+1-len(form))); got != http.StatusRequestEntityTooLarge {
		t.Errorf("a form over the limit: %d, want 413", got)
	}
	if got := post("Application/X-WWW-Form-Urlencoded; charset=utf-8", form); got != http.StatusUnauthorized {
		t.Errorf("a form's media type with other case and a parameter: %d, want 401", got)
	}
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	_ = mw.WriteField("csrf", token)
	_ = mw.WriteField("pad", strings.Repeat("a", limit))
	_ = mw.Close()
	if got := post(mw.FormDataContentType(), mp.String()); got != http.StatusRequestEntityTooLarge {
		t.Errorf("a multipart form over the limit: %d, want 413", got)
	}
	for _, ct := range []string{"text/plain", "application/json", "nonsense"} {
		if got := post(ct, form); got != http.StatusUnsupportedMediaType {
			t.Errorf("Content-Type %q: %d, want 415", ct, got)
		}
	}
}
