package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// createInBrowser makes a link with the list page's form.
func (b *tab) createInBrowser(target string) {
	b.t.Helper()
	if b.path() != "/app" {
		b.open("/app", http.StatusOK)
	}
	b.fill("#original_url", target)
	b.submit("form[action='/app/links'] .shorten button[type=submit]", http.StatusOK)
	if got := b.text(".flash"); !strings.Contains(got, "Your short link is ready") {
		b.fatalf("creating a link to %s: the flash says %q", target, got)
	}
}

// listRows is the link list's rows as their text.
func (b *tab) listRows() []string {
	b.t.Helper()
	return eval[[]string](b, `[...document.querySelectorAll("table.links tbody tr")].map(tr => tr.innerText.replace(/\s+/g, " ").trim())`)
}

// firstLinkID is the ID of the list's first link.
func (b *tab) firstLinkID() string {
	b.t.Helper()
	href := eval[string](b, `document.querySelector("table.links tbody tr td a").getAttribute("href")`)
	id, ok := strings.CutPrefix(href, "/app/links/")
	if !ok {
		b.fatalf("the list's first row links to %q", href)
	}
	return id
}

// TestBrowserCSRF: forms posted without the page's CSRF token change
// nothing. A same-origin form without the token, or with a made-up one,
// gets the 403 page; a page on another site posting into the app gets no
// session (the cookies are SameSite=Lax) and the home page's form, which
// needs none, refuses it with the 403 page too. The link list is the same
// after every attempt.
func TestBrowserCSRF(t *testing.T) {
	t.Parallel()
	srv := startWebServer(t, "embedded")
	b := newTab(t, srv.url)
	b.signUp(randomEmail(), "", e2ePassword)
	b.createInBrowser("https://example.com/one")
	b.createInBrowser("https://example.com/two")
	b.open("/app", http.StatusOK)
	before := b.listRows()
	if len(before) != 2 {
		b.fatalf("the list has %d rows, want 2", len(before))
	}
	id := b.firstLinkID()

	unchanged := func(after string) {
		t.Helper()
		b.open("/app", http.StatusOK)
		if got := b.listRows(); strings.Join(got, "\n") != strings.Join(before, "\n") {
			b.fatalf("after %s the list changed:\n%s\nwas:\n%s", after, strings.Join(got, "\n"), strings.Join(before, "\n"))
		}
	}
	refused := func(what string, status int) {
		t.Helper()
		if status != http.StatusForbidden {
			b.fatalf("%s: status %d, want 403", what, status)
		}
		if h := b.text("main h1"); h != "Not allowed" {
			b.fatalf("%s: the page's heading is %q, want the 403 page's", what, h)
		}
		if msg := b.text("main"); !strings.Contains(msg, "This form has expired; reload the page and try again.") {
			b.fatalf("%s: the 403 page says %q", what, msg)
		}
	}
	// forge builds a form in the page and sends it, bypassing app.js.
	forge := func(action string, fields map[string]string) int {
		t.Helper()
		js := `(() => { const f = document.createElement("form"); f.method = "post"; f.action = ` + jsString(action) + `;`
		for k, v := range fields {
			js += `{ const i = document.createElement("input"); i.type = "hidden"; i.name = ` + jsString(k) + `; i.value = ` + jsString(v) + `; f.append(i); }`
		}
		js += `document.body.append(f); f.submit(); })()`
		return b.navigate("post a forged form to "+action, chromedp.Evaluate[chromedp.Void](js))
	}

	refused("delete without a token", forge("/app/links/"+id+"/delete", map[string]string{"confirmed": "yes", "return": "/app"}))
	unchanged("a delete without a token")
	refused("disable with a made-up token", forge("/app/links/"+id+"/toggle", map[string]string{"is_active": "false", "csrf_token": "Zm9yZ2VkLXRva2VuLWZvcmdlZC10b2tlbi1mb3JnZWQtdG9rZW4", "return": "/app"}))
	unchanged("a disable with a made-up token")
	refused("create without a token", forge("/app/links", map[string]string{"original_url": "https://evil.example/phish"}))
	unchanged("a create without a token")

	// Another site's page posts into the app.
	land := startLanding(t, map[string]string{"/forge": `<!doctype html><html lang="en"><title>Win</title>
<form id="del" method="post" action="` + srv.url + `/app/links/` + id + `/delete"><input type="hidden" name="confirmed" value="yes"><input type="hidden" name="return" value="/app"><button>Claim your prize</button></form>
<form id="home" method="post" action="` + srv.url + `/"><input type="hidden" name="original_url" value="https://evil.example/spam"><button>Claim another</button></form>`})
	b.open(land.origin()+"/forge", http.StatusOK)
	if got := b.navigate("cross-site delete", chromedp.Click(chromedp.CSS("#del button"))); got != http.StatusOK {
		b.fatalf("cross-site delete: status %d", got)
	}
	// The post came without the session cookie (SameSite=Lax) and was
	// sent to the login page; that GET has the cookie, so the signed-in
	// user ends on the list, with nothing deleted.
	if p := b.path(); p != "/app" && !strings.HasPrefix(p, "/app/login") {
		b.fatalf("a cross-site delete led to %s, want the login page (or the list, signed in)", p)
	}
	if got := b.text(".flash"); got != "" {
		b.fatalf("after a cross-site delete the page says %q", got)
	}
	unchanged("a cross-site delete")
	b.open(land.origin()+"/forge", http.StatusOK)
	refused("cross-site shorten", b.navigate("cross-site shorten", chromedp.Click(chromedp.CSS("#home button"))))
	unchanged("a cross-site shorten")

	// Nothing was made anywhere, anonymous links included.
	admin := srv.newAccount(t)
	srv.promote(t, admin)
	r := srv.do(t, "GET", "/api/v1/urls?owner=all", nil, withToken(admin.access))
	expectJSON(t, r, http.StatusOK)
	if total := integer(t, "total", r.object(t)["total"]); total != 2 {
		t.Fatalf("after the forged posts the service has %d links, want the 2 made honestly", total)
	}
}

// TestBrowserLogOutAndBackIn: logging out ends the session for good (the
// old cookie, put back, signs nobody in), the app's pages then lead to the
// login page and back to where they were, and the links are all there.
func TestBrowserLogOutAndBackIn(t *testing.T) {
	t.Parallel()
	srv := startWebServer(t, "embedded")
	b := newTab(t, srv.url)
	email := randomEmail()
	b.signUp(email, "Grace Hopper", e2ePassword)
	b.createInBrowser("https://example.com/first")
	b.createInBrowser("https://example.com/second")
	b.open("/app", http.StatusOK)
	rows := b.listRows()
	id := b.firstLinkID()

	session := b.cookie("session")
	if session == nil || !session.HTTPOnly || session.SameSite != "Lax" {
		b.fatalf("signed in, the session cookie is %+v, want HttpOnly and SameSite=Lax", session)
	}
	b.logOut()
	if c := b.cookie("session"); c != nil {
		b.fatalf("after logging out the browser still has a session cookie")
	}
	if got := b.text(".site-header nav"); !strings.Contains(got, "Log in") || strings.Contains(got, "Log out") {
		b.fatalf("after logging out the header offers %q", got)
	}
	b.open("/app", http.StatusOK)
	if p := b.path(); p != "/app/login?next=%2Fapp" {
		b.fatalf("signed out, /app leads to %s, want /app/login?next=%%2Fapp", p)
	}

	// The old session cookie is worthless: the logout revoked it.
	b.setCookie(session)
	b.open("/app", http.StatusOK)
	if p := b.path(); !strings.HasPrefix(p, "/app/login") {
		b.fatalf("with the logged-out session's cookie put back, /app shows %s", p)
	}

	// A link page leads to the login page and back to it.
	b.open("/app/links/"+id, http.StatusOK)
	if p := b.path(); p != "/app/login?next=%2Fapp%2Flinks%2F"+id {
		b.fatalf("signed out, the link page leads to %s", p)
	}
	b.logIn(email, e2ePassword, "/app/links/"+id)
	b.open("/app", http.StatusOK)
	if got := b.listRows(); strings.Join(got, "\n") != strings.Join(rows, "\n") {
		b.fatalf("after logging back in the list is\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(rows, "\n"))
	}
}
