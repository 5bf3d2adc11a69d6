package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// a11yProblems lists what the page lacks of the basics: a language, one
// <main>, a label for every form control (label[for], a wrapping label,
// aria-label or aria-labelledby naming text), a name for every link and
// button, and unique ids.
const a11yProblems = `(() => {
	const problems = [];
	if (!document.documentElement.lang) problems.push("<html> has no lang");
	const mains = document.querySelectorAll("main").length;
	if (mains !== 1) problems.push(mains + " <main> landmarks, want 1");
	const text = e => (e ? e.textContent : "").trim();
	const byIDs = ids => (ids || "").split(/\s+/).filter(Boolean).map(id => text(document.getElementById(id))).join("");
	const labelled = el =>
		(el.id && [...document.querySelectorAll("label[for]")].some(l => l.htmlFor === el.id && text(l))) ||
		text(el.closest("label")) ||
		(el.getAttribute("aria-label") || "").trim() ||
		byIDs(el.getAttribute("aria-labelledby"));
	for (const el of document.querySelectorAll("input, select, textarea")) {
		if (el.type === "hidden" || el.hidden) continue;
		if (!labelled(el)) problems.push("no label: " + el.outerHTML.slice(0, 120));
	}
	for (const el of document.querySelectorAll("a[href], button")) {
		if (el.hidden) continue;
		const name = text(el) || (el.getAttribute("aria-label") || "").trim() || byIDs(el.getAttribute("aria-labelledby")) ||
			[...el.querySelectorAll("img[alt]")].map(i => i.alt).join("").trim();
		if (!name) problems.push("no name: " + el.outerHTML.slice(0, 120));
	}
	const ids = {};
	for (const el of document.querySelectorAll("[id]")) ids[el.id] = (ids[el.id] || 0) + 1;
	for (const [id, n] of Object.entries(ids)) if (n > 1) problems.push(n + " elements with id " + id);
	return problems;
})()`

// focusState describes the focused element: what it is and whether it
// shows a focus indicator inside the viewport.
type focusState struct {
	Tag     string `json:"tag"`
	Text    string `json:"text"`
	Ring    bool   `json:"ring"`
	Visible bool   `json:"visible"`
}

const focusedJS = `(() => {
	const e = document.activeElement;
	if (!e || e === document.body) return {tag: "body", text: "", ring: false, visible: false};
	const cs = getComputedStyle(e), r = e.getBoundingClientRect();
	return {
		tag: e.tagName.toLowerCase(),
		text: (e.innerText || e.value || e.getAttribute("aria-label") || e.name || "").trim().slice(0, 40),
		ring: (cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== "none",
		visible: r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth,
	};
})()`

// checkA11y runs the accessibility smoke test on the page the tab shows:
// the basics of a11yProblems, then Tab from the top of the page until a
// link or button has focus, every stop on the way showing a visible
// focus ring.
func (b *tab) checkA11y(page string) {
	b.t.Helper()
	if problems := eval[[]string](b, a11yProblems); len(problems) > 0 {
		b.fatalf("%s: %s", page, strings.Join(problems, "; "))
	}
	var stops []string
	for range 6 {
		b.step("press Tab", chromedp.KeyEvent(kb.Tab))
		f := eval[focusState](b, focusedJS)
		stops = append(stops, fmt.Sprintf("%s %q", f.Tag, f.Text))
		if f.Tag == "body" {
			b.fatalf("%s: Tab left the focus nowhere (after %s)", page, strings.Join(stops, ", "))
		}
		if !f.Ring || !f.Visible {
			b.fatalf("%s: Tab stop %s has no visible focus ring (ring %v, in view %v)", page, stops[len(stops)-1], f.Ring, f.Visible)
		}
		if f.Tag == "a" || f.Tag == "button" {
			return
		}
	}
	b.fatalf("%s: no link or button among the first Tab stops: %s", page, strings.Join(stops, ", "))
}

// TestBrowserAccessibility visits every page of the web app, signed out
// and in, with and without errors on its forms, and runs the
// accessibility smoke test on each; the pages not covered by the other
// browser tests are saved as screenshots too.
func TestBrowserAccessibility(t *testing.T) {
	t.Parallel()
	srv := startWebServer(t, "embedded")
	b := newTab(t, srv.url)
	visit := func(path string, status int, name string) {
		t.Helper()
		b.open(path, status)
		b.checkA11y(path)
		if name != "" {
			b.screenshot(name)
		}
	}

	visit("/", http.StatusOK, "")
	visit("/app/login", http.StatusOK, "login-1280")
	visit("/app/signup", http.StatusOK, "")

	// Forms sent with mistakes: errors next to their fields.
	b.open("/app/signup", http.StatusOK)
	b.fill("#email", "not-an-email")
	b.fill("#password", "short")
	b.submit("main form button[type=submit]", http.StatusUnprocessableEntity)
	if n := b.count(".field-error"); n != 2 {
		b.fatalf("the sign-up form sent with a bad email and password shows %d field errors, want 2", n)
	}
	if got := eval[string](b, `document.getElementById("password").getAttribute("aria-describedby")`); got != "password-hint password-error" {
		b.fatalf("the password field is described by %q, want its hint and its error", got)
	}
	b.checkA11y("the sign-up form with errors")
	b.screenshot("signup-errors-1280")
	b.open("/", http.StatusOK)
	b.fill("#original_url", "http://localhost/admin")
	b.submit("main form button[type=submit]", http.StatusUnprocessableEntity)
	b.checkA11y("the home page with an error")
	b.screenshot("home-error-1280")

	email := randomEmail()
	b.signUp(email, "Alan Turing", e2ePassword)
	b.checkA11y("the empty link list")
	b.screenshot("links-empty-1280")
	b.createInBrowser("https://example.com/a11y")
	b.open("/app", http.StatusOK)
	id := b.firstLinkID()
	b.fill("#original_url", "https://example.com/again")
	b.step("open the options", chromedp.Click(chromedp.CSS("form[action='/app/links'] details > summary")))
	b.fill("#custom_alias", "no")
	b.submit("form[action='/app/links'] .shorten button[type=submit]", http.StatusUnprocessableEntity)
	b.checkA11y("the link list with a form error")
	b.screenshot("links-error-1280")

	visit("/app", http.StatusOK, "")
	visit("/app/links/"+id, http.StatusOK, "link-no-clicks-1280")
	visit("/app/account", http.StatusOK, "account-1280")
	visit("/app/nope", http.StatusNotFound, "not-found-1280")
	visit("/", http.StatusOK, "")

	// The delete confirmation page, as a browser without script gets it:
	// form.submit() skips the script's dialog.
	b.open("/app/links/"+id, http.StatusOK)
	b.navigate("delete without the dialog", chromedp.Evaluate[chromedp.Void](`document.querySelector(".link-head form[action$='/delete']").submit()`))
	if h := b.text("main h1"); !strings.HasPrefix(h, "Delete ") {
		b.fatalf("the delete form without script leads to %q, want the confirmation page", h)
	}
	b.checkA11y("the delete confirmation page")
	b.screenshot("delete-confirm-1280")
	b.viewport(phoneWidth)
	b.open("/app/account", http.StatusOK)
	b.noHorizontalScroll("the account page")
	b.screenshot("account-390")
}
