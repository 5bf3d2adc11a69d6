package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserPasswordLink makes a password link through the web app's
// form, unlocks it through the password page as a visitor would (a wrong
// password first), then removes the password through the edit form.
func TestBrowserPasswordLink(t *testing.T) {
	t.Parallel()
	srv := startWebServer(t, "embedded")
	land := startLanding(t, nil)
	b := newTab(t, srv.url)
	b.signUp(randomEmail(), "", e2ePassword)

	code := alias("pw-")
	b.fill("#original_url", land.url)
	b.step("open the alias options", chromedp.Click(chromedp.CSS("form[action='/app/links'] details:nth-of-type(1) > summary")))
	b.fill("#custom_alias", code)
	b.step("open the rules", chromedp.Click(chromedp.CSS("form[action='/app/links'] details:nth-of-type(2) > summary")))
	b.fill("#password", "open sesame")
	b.fill("#max_clicks", "5")
	b.reviewShot("create-rules-1280")
	b.submit("form[action='/app/links'] .shorten button[type=submit]", http.StatusOK)
	if p := b.path(); p != "/app" {
		b.fatalf("after creating the link the browser is at %s: %s", p, b.text("main"))
	}
	if row := b.text("table.links tbody tr"); !strings.Contains(row, "Password") {
		b.fatalf("the row %q does not say the link has a password", row)
	}
	linkPath := eval[string](b, `document.querySelector("table.links tbody tr td a").getAttribute("href")`)

	// A visitor, in a browser of their own, meets the password page; a
	// wrong password is refused.
	v := newTab(t, srv.url)
	v.open("/"+code, http.StatusOK)
	if got := v.text("h1"); got != "This link is protected" {
		v.fatalf("the short link shows %q, want the password page", got)
	}
	v.fill("#password", "open says me")
	v.submit("main form button[type=submit]", http.StatusUnauthorized)
	if got := v.text("#password-error"); !strings.Contains(got, "not right") {
		v.fatalf("after a wrong password the page says %q", got)
	}
	v.reviewShot("password-wrong-1280")
	v.viewport(phoneWidth)
	v.noHorizontalScroll("the password page")
	v.reviewShot("password-wrong-390")
	v.viewport(1280)
	if n := land.hits.Load(); n != 0 {
		t.Fatalf("the target was reached %d times before the password", n)
	}
	v.fill("#password", "open sesame")
	v.submit("main form button[type=submit]", http.StatusOK)
	if loc := eval[string](v, `location.href`); loc != land.url {
		v.fatalf("the right password led to %s, want %s", loc, land.url)
	}

	// Nothing is remembered: the next visit asks again (API.md keeps no
	// unlock cookie, so a shared computer does not leak the link).
	v.open("/"+code, http.StatusOK)
	if got := v.text("h1"); got != "This link is protected" {
		v.fatalf("the second visit shows %q, want the password page", got)
	}

	// The owner removes the password; the edit form shows the cap it kept.
	b.open(linkPath, http.StatusOK)
	b.step("open the edit form", chromedp.Click(chromedp.CSS("details.card > summary")))
	if got := eval[string](b, `document.querySelector("#max_clicks").value`); got != "5" {
		b.fatalf("the edit form's click limit holds %q, want 5", got)
	}
	b.reviewShot("edit-rules-1280")
	b.step("tick remove the password", chromedp.Click(chromedp.CSS(`input[name="unprotect"]`)))
	b.submit("details.card form button[type=submit]", http.StatusOK)
	if got := b.text(".link-head"); strings.Contains(got, "Password") || !strings.Contains(got, "Click limit") {
		b.fatalf("after removing the password the link's facts say %q", got)
	}
	// A new visitor goes straight through.
	v2 := newTab(t, srv.url)
	v2.open("/"+code, http.StatusOK)
	if loc := eval[string](v2, `location.href`); loc != land.url {
		v2.fatalf("without a password the link led to %s, want the target", loc)
	}
}
