package httpapi_test

import (
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
