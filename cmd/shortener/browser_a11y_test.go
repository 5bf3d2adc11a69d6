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
// button, text contrast of WCAG AA and unique ids.
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
	// Text contrast (WCAG AA): 4.5:1, or 3:1 for large text, against the
	// background that shows behind the element (ancestors composited).
	const rgba = c => { const m = c.match(/[\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
	const over = (top, under) => { const a = top[3]; return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)).concat(1); };
	const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
	const backdrop = el => {
		const layers = [];
		for (let e = el; e; e = e.parentElement) {
			const bg = rgba(getComputedStyle(e).backgroundColor);
			if (bg[3] > 0) layers.push(bg);
			if (bg[3] >= 1) break;
		}
		let c = [255, 255, 255, 1];
		for (const l of layers.reverse()) c = over(l, c);
		return c;
	};
	for (const el of document.querySelectorAll("body *")) {
		if (el.closest("svg") || ![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
		const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
		if (r.width <= 1 || r.height <= 1 || cs.visibility === "hidden") continue;
		const bg = backdrop(el), fg = over(rgba(cs.color), bg);
		const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
		const ratio = (hi + 0.05) / (lo + 0.05);
		const size = parseFloat(cs.fontSize), bold = parseInt(cs.fontWeight, 10) >= 700;
		const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
		if (ratio < need) problems.push("contrast " + ratio.toFixed(2) + " < " + need + ": " + el.tagName.toLowerCase() + " " + JSON.stringify(el.textContent.trim().slice(0, 40)) + " " + cs.color + " on " + "rgb(" + bg.slice(0, 3).map(Math.round).join(", ") + ")");
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
// the basics of a11yProblems in the dark and the light colour scheme, then
// Tab from the top of the page until a
// link or button has focus, every stop on the way showing a visible
// focus ring. A form sent back with errors starts at its first marked
// field instead, which must show its ring.
func (b *tab) checkA11y(page string) {
	b.t.Helper()
	for _, scheme := range []string{"dark", "light"} {
		b.colorScheme(scheme)
		if problems := eval[[]string](b, a11yProblems); len(problems) > 0 {
			b.fatalf("%s in the %s scheme: %s", page, scheme, strings.Join(problems, "; "))
		}
	}
	if eval[bool](b, `document.activeElement.getAttribute("aria-invalid") === "true"`) {
		if f := eval[focusState](b, focusedJS); !f.Ring || !f.Visible {
			b.fatalf("%s: the marked field %s %q has no visible focus ring (ring %v, in view %v)", page, f.Tag, f.Text, f.Ring, f.Visible)
		}
		return
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

// smallTargetsJS lists the controls under 44 px tall or wide (UI.md's hit target
// on touch widths): links, buttons, summaries and form controls, a radio
// or checkbox by its label. Links inside running text are exempt, as
// WCAG's target size rule has them.
const smallTargetsJS = `(() => {
	const small = [];
	for (const e of document.querySelectorAll("a[href], button, summary, input:not([type=hidden]), select, textarea")) {
		const r = e.getBoundingClientRect();
		if (e.hidden || r.width === 0) continue;
		if (getComputedStyle(e).display === "inline" && e.tagName === "A" && e.parentElement.closest("p, li, dd, figcaption, h1, h2")) continue;
		const box = (e.type === "radio" || e.type === "checkbox") && e.closest("label") ? e.closest("label").getBoundingClientRect() : r;
		if (box.height < 44 || box.width < 44) small.push(e.tagName.toLowerCase() + " " + JSON.stringify((e.innerText || e.name || "").trim().slice(0, 30)) + " " + Math.round(box.width) + "×" + Math.round(box.height) + " px");
	}
	return small;
})()`

// touchTargets fails when a control of the page (every <details> opened)
// is under 44 px tall or wide.
func (b *tab) touchTargets(page string) {
	b.t.Helper()
	eval[chromedp.Void](b, `document.querySelectorAll("details").forEach(d => d.open = true)`)
	if small := eval[[]string](b, smallTargetsJS); len(small) > 0 {
		b.fatalf("%s: controls under 44 px on a phone: %s", page, strings.Join(small, "; "))
	}
}

// buttonsClear fails when a form's submit button sits right under the text
// before it (less than 8 px between them).
func (b *tab) buttonsClear(page string) {
	b.t.Helper()
	cramped := eval[[]string](b, `[...document.querySelectorAll("form button[type=submit]")].filter(btn => {
		const r = btn.getBoundingClientRect();
		let prev = btn.previousElementSibling;
		while (prev && !prev.checkVisibility()) prev = prev.previousElementSibling;
		if (!prev || !btn.checkVisibility()) return false;
		const p = prev.getBoundingClientRect();
		return p.bottom <= r.top + 0.5 && r.top - p.bottom < 8; // stacked, and too close
	}).map(btn => btn.innerText.trim())`)
	if len(cramped) > 0 {
		b.fatalf("%s: submit buttons pressed against the text above them: %q", page, cramped)
	}
}

// TestBrowserAccessibility visits every page of the web app, signed out
// and in, with and without errors on its forms, and runs the
// accessibility smoke test on each; then, on a phone, checks that every
// control is at least 44 px tall. With SCREENSHOT_DIR set, the pages the
// other browser tests do not show are saved as screenshots too.
func TestBrowserAccessibility(t *testing.T) {
	t.Parallel()
	srv := startWebServer(t, "embedded")
	b := newTab(t, srv.url)
	visit := func(path string, status int, name string) {
		t.Helper()
		b.open(path, status)
		b.checkA11y(path)
		b.buttonsClear(path)
		if name != "" {
			b.reviewShot(name)
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
	b.reviewShot("signup-errors-1280")
	b.open("/", http.StatusOK)
	b.fill("#original_url", "http://localhost/admin")
	b.submit("main form button[type=submit]", http.StatusUnprocessableEntity)
	b.checkA11y("the home page with an error")
	b.reviewShot("home-error-1280")

	email := randomEmail()
	b.signUp(email, "Alan Turing", e2ePassword)
	b.checkA11y("the empty link list")
	b.reviewShot("links-empty-1280")
	b.createInBrowser("https://example.com/a11y")
	b.open("/app", http.StatusOK)
	id := b.firstLinkID()
	b.fill("#original_url", "https://example.com/again")
	b.step("open the options", chromedp.Click(chromedp.CSS("form[action='/app/links'] details > summary")))
	b.fill("#custom_alias", "no")
	b.submit("form[action='/app/links'] .shorten button[type=submit]", http.StatusUnprocessableEntity)
	b.checkA11y("the link list with a form error")
	b.reviewShot("links-error-1280")

	visit("/app", http.StatusOK, "")
	visit("/app/links/"+id, http.StatusOK, "link-no-clicks-1280")
	visit("/app/account", http.StatusOK, "account-1280")
	visit("/app/nope", http.StatusNotFound, "not-found-1280")
	visit("/NoSuchCode9", http.StatusNotFound, "code-not-found-1280")
	visit("/", http.StatusOK, "")

	// Without script, the copy buttons (which only script can work) stay
	// hidden: a button's display must not undo the hidden attribute.
	b.scripts(false)
	for _, path := range []string{"/app", "/app/links/" + id} {
		b.open(path, http.StatusOK)
		if n := eval[int](b, `[...document.querySelectorAll("[data-copy]")].filter(e => getComputedStyle(e).display !== "none").length`); n > 0 {
			b.fatalf("%s without script shows %d copy buttons that cannot work", path, n)
		}
	}
	b.scripts(true)

	// The delete confirmation page, as a browser without script gets it:
	// form.submit() skips the script's dialog.
	b.open("/app/links/"+id, http.StatusOK)
	b.navigate("delete without the dialog", chromedp.Evaluate[chromedp.Void](`document.querySelector(".link-head form[action$='/delete']").submit()`))
	if h := b.text("main h1"); !strings.HasPrefix(h, "Delete ") {
		b.fatalf("the delete form without script leads to %q, want the confirmation page", h)
	}
	b.checkA11y("the delete confirmation page")
	b.reviewShot("delete-confirm-1280")

	// On a phone every control is big enough to hit.
	b.viewport(phoneWidth)
	for _, path := range []string{"/", "/app/account", "/app", "/app/links/" + id} {
		b.open(path, http.StatusOK)
		b.noHorizontalScroll(path)
		b.touchTargets(path)
		if path == "/app/account" {
			b.reviewShot("account-390")
		}
	}
	b.logOut()
	for _, path := range []string{"/app/login", "/app/signup"} {
		b.open(path, http.StatusOK)
		b.touchTargets(path)
	}
}
