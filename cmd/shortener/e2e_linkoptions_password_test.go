package main

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// optExpectLinkPassword401 checks a password link's 401 problem.
func optExpectLinkPassword401(t *testing.T, r *result) {
	t.Helper()
	expectProblem(t, r, http.StatusUnauthorized)
	if h := r.Header.Get("WWW-Authenticate"); h != "Link-Password" {
		t.Errorf("%s: WWW-Authenticate %q, want Link-Password", r, h)
	}
}

// optExpectAttemptsUsedUp checks the 429 of a client that has used up its
// password attempts.
func optExpectAttemptsUsedUp(t *testing.T, r *result) {
	t.Helper()
	expectStatus(t, r, http.StatusTooManyRequests)
	if ra, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || ra < 1 || ra > 15*60 {
		t.Errorf("%s: Retry-After %q, want whole seconds 1..900", r, r.Header.Get("Retry-After"))
	}
	if r.Header.Get("Location") != "" {
		t.Errorf("%s: a 429 with a Location", r)
	}
}

// TestE2ELinkPassword: the password form for browsers (CSRF-protected,
// uncacheable, never showing the target), X-Link-Password for API clients,
// which clicks count, and the attempt limit.
func TestE2ELinkPassword(t *testing.T) {
	t.Parallel()
	forEachBackendEnv(t, optEnv(t), func(t *testing.T, srv *testServer) {
		acct := srv.newAccount(t)
		const pw = "Opensesame-42"
		const target = "https://example.com/secret-place?k=v"
		l := srv.createLink(t, acct.access, map[string]any{"original_url": target, "password": pw, "redirect_type": 307, "forward_query": true})
		code, id := str(l["short_code"]), str(l["id"])

		t.Run("browser: form, wrong, right, no CSRF", func(t *testing.T) {
			form := optPasswordForm(t, srv.redirect(t, code, browser, optHuman), http.StatusOK, target)
			if form.action != "/"+code {
				t.Errorf("form action %q, want /%s", form.action, code)
			}
			if srv.redirect(t, code, browser, optHuman).Status != http.StatusOK {
				t.Error("the form is not shown again")
			}
			// HEAD from a browser: the form's status and headers, no body.
			h := srv.do(t, "HEAD", "/"+code, nil, browser, optHuman)
			if h.Status != http.StatusOK || len(h.Body) != 0 || h.Header.Get("Location") != "" {
				t.Errorf("HEAD of a password link: %s", h)
			}

			wrong := srv.optPost(t, form, "not-the-password")
			if h := wrong.Header.Get("WWW-Authenticate"); h != "Link-Password" {
				t.Errorf("%s: WWW-Authenticate %q, want Link-Password", wrong, h)
			}
			again := optPasswordForm(t, wrong, http.StatusUnauthorized, target, form)
			if !strings.Contains(string(wrong.Body), `role="alert"`) {
				t.Errorf("%s: the form does not say the password was wrong", wrong)
			}
			// The form after a wrong password posts as well as the first.
			right := srv.optPost(t, again, pw)
			// 303 whatever the redirect_type: the browser must not post again.
			optRedirect(t, right, http.StatusSeeOther, target)
			if csp := right.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") ||
				right.Header.Get("Referrer-Policy") != "strict-origin-when-cross-origin" {
				t.Errorf("the 303 after the right password: CSP %q, Referrer-Policy %q; want the web app's", csp, right.Header.Get("Referrer-Policy"))
			}

			// Posting without the form's token is refused before the
			// password is looked at, even with the right one.
			body := url.Values{"password": {pw}}.Encode()
			form2 := withHeader("Content-Type", "application/x-www-form-urlencoded")
			for _, c := range []struct {
				name string
				body string
				opts []reqOpt
			}{
				{"no token", body, nil},
				{"field without cookie", body + "&csrf=" + url.QueryEscape(form.csrf), nil},
				{"cookie without field", body, []reqOpt{withHeader("Cookie", form.cookie)}},
				{"field and cookie differ", body + "&csrf=forged-token", []reqOpt{withHeader("Cookie", form.cookie)}},
			} {
				r := srv.optPage(t, "POST", "/"+code, c.body, append([]reqOpt{browser, optHuman, form2}, c.opts...)...)
				if r.Status != http.StatusForbidden {
					t.Errorf("%s: %s, want 403", c.name, r)
				}
				if r.Header.Get("Location") != "" || strings.Contains(string(r.Body), target) {
					t.Errorf("%s: %s reveals the target", c.name, r)
				}
			}
		})

		t.Run("a post to a code without a password", func(t *testing.T) {
			form := withHeader("Content-Type", "application/x-www-form-urlencoded")
			expectHTMLPage(t, srv.do(t, "POST", "/NoSuchCode7", rawBody("password=x"), browser, form), http.StatusNotFound)
			expectProblem(t, srv.do(t, "POST", "/NoSuchCode7", rawBody("password=x"), form), http.StatusNotFound)
			plain := str(srv.link(t, acct.access, "https://example.com/no-password")["short_code"])
			r := srv.do(t, "POST", "/"+plain, rawBody("password=x"), browser, form)
			expectProblem(t, r, http.StatusMethodNotAllowed)
			if allow := r.Header.Get("Allow"); allow != "GET, HEAD" {
				t.Errorf("%s: Allow %q, want \"GET, HEAD\"", r, allow)
			}
		})

		t.Run("API clients: X-Link-Password", func(t *testing.T) {
			optRedirect(t, srv.redirect(t, code, optHuman, withHeader("X-Link-Password", pw)), http.StatusTemporaryRedirect, target)
			optExpectLinkPassword401(t, srv.redirect(t, code, optHuman, withHeader("X-Link-Password", pw+"x")))
			optExpectLinkPassword401(t, srv.redirect(t, code, optHuman))
			optExpectLinkPassword401(t, srv.redirect(t, code, optHuman, withHeader("X-Link-Password", "")))
			// The check runs on the NFC form: an é written as e + U+0301 is
			// the é of the password.
			nfc := srv.createLink(t, acct.access, map[string]any{"original_url": "https://example.com/cafe", "password": "caf\u00e9-pass"})
			optRedirect(t, srv.redirect(t, str(nfc["short_code"]), optHuman, withHeader("X-Link-Password", "cafe\u0301-pass")), http.StatusFound, "https://example.com/cafe")
		})

		t.Run("forward_query through the form", func(t *testing.T) {
			form := optPasswordForm(t, srv.redirect(t, code+"?utm=mail&k=w", browser, optHuman), http.StatusOK, target)
			if want := "/" + code + "?utm=mail&k=w"; form.action != want {
				t.Errorf("form action %q, want %q: the query must reach the 303", form.action, want)
			}
			optRedirect(t, srv.optPost(t, form, pw), http.StatusSeeOther, "https://example.com/secret-place?k=w&utm=mail")
			optRedirect(t, srv.redirect(t, code+"?x=1", optHuman, withHeader("X-Link-Password", pw)), http.StatusTemporaryRedirect, target+"&x=1")
		})

		t.Run("only redirects are clicks", func(t *testing.T) {
			// Redirects so far: the 303 and the 307 of the first two
			// subtests, the 303 and the 307 with a query. The forms, the
			// wrong passwords and the 403s recorded nothing.
			srv.optClickCount(t, acct.access, id, 4)
		})

		t.Run("10 wrong attempts per client, then 429 for every attempt", func(t *testing.T) {
			first := code
			l := srv.createLink(t, acct.access, map[string]any{"original_url": "https://example.com/guarded", "password": pw})
			code := str(l["short_code"])
			client := optFrom("203.0.113.77")
			// A missing password is not an attempt, nor an empty one.
			for range 12 {
				optExpectLinkPassword401(t, srv.redirect(t, code, client, optHuman))
				optExpectLinkPassword401(t, srv.redirect(t, code, client, optHuman, withHeader("X-Link-Password", "")))
				expectStatus(t, srv.redirect(t, code, client, optHuman, browser), http.StatusOK)
			}
			for i := range 9 {
				r := srv.redirect(t, code, client, optHuman, withHeader("X-Link-Password", "wrong-"+strconv.Itoa(i)))
				optExpectLinkPassword401(t, r)
			}
			// The right one does not reset the count.
			optRedirect(t, srv.redirect(t, code, client, optHuman, withHeader("X-Link-Password", pw)), http.StatusFound, "https://example.com/guarded")
			form := optPasswordForm(t, srv.redirect(t, code, client, optHuman, browser), http.StatusOK, "https://example.com/guarded")
			optPasswordForm(t, srv.optPost(t, form, "wrong-form", client), http.StatusUnauthorized, "https://example.com/guarded", form) // the 10th
			optExpectAttemptsUsedUp(t, srv.redirect(t, code, client, optHuman, withHeader("X-Link-Password", "wrong-11")))
			r := srv.redirect(t, code, client, optHuman, withHeader("X-Link-Password", pw))
			optExpectAttemptsUsedUp(t, r)
			expectProblem(t, r, http.StatusTooManyRequests)
			r = srv.optPost(t, form, pw, client)
			optExpectAttemptsUsedUp(t, r)
			if strings.Contains(string(r.Body), "https://example.com/guarded") {
				t.Errorf("%s: shows the target", r)
			}
			// Other clients, and this client on other links, are not held.
			optRedirect(t, srv.redirect(t, code, optFrom("203.0.113.78"), optHuman, withHeader("X-Link-Password", pw)), http.StatusFound, "https://example.com/guarded")
			optRedirect(t, srv.redirect(t, first, client, optHuman, withHeader("X-Link-Password", pw)), http.StatusTemporaryRedirect, target)
		})

		t.Run("concurrent guesses cannot overrun the 10 attempts", func(t *testing.T) {
			l := srv.createLink(t, acct.access, map[string]any{"original_url": "https://example.com/raced", "password": pw})
			code := str(l["short_code"])
			client := optFrom("203.0.113.79")
			const guesses = 30
			statuses := make([]int, guesses)
			var wg sync.WaitGroup
			for i := range guesses {
				wg.Go(func() {
					statuses[i] = srv.redirect(t, code, client, optHuman, withHeader("X-Link-Password", "guess-"+strconv.Itoa(i))).Status
				})
			}
			wg.Wait()
			judged, refused := 0, 0
			for _, st := range statuses {
				switch st {
				case http.StatusUnauthorized:
					judged++
				case http.StatusTooManyRequests:
					refused++
				default:
					t.Errorf("a wrong guess answered %d", st)
				}
			}
			if judged != 10 || refused != guesses-10 {
				t.Errorf("%d concurrent wrong guesses: %d judged (401), %d refused (429); want 10 and %d",
					guesses, judged, refused, guesses-10)
			}
		})
	})
}
