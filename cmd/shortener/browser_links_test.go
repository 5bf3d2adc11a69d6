package main

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// apiLinks lists the user's links through the API (a fresh login).
func apiLinks(t *testing.T, srv *testServer, email, password string) []map[string]any {
	t.Helper()
	access, _ := srv.login(t, email, password)
	r := srv.do(t, "GET", "/api/v1/urls?size=100", nil, withToken(access))
	expectJSON(t, r, http.StatusOK)
	items, _ := r.object(t)["items"].([]any)
	out := make([]map[string]any, len(items))
	for i, it := range items {
		out[i] = it.(map[string]any)
	}
	return out
}

// totals reads the link page's four totals as "label=value".
func (b *tab) totals() []string {
	b.t.Helper()
	return eval[[]string](b, `[...document.querySelectorAll(".totals > div")].map(d => d.querySelector("dt").innerText.trim() + "=" + d.querySelector("dd").innerText.trim())`)
}

// topRows reads one top list of the link page as "label count pct" rows.
func (b *tab) topRows(id string) []string {
	b.t.Helper()
	return eval[[]string](b, `[...document.querySelectorAll("#top-`+id+` + ol li")].map(li => [...li.querySelectorAll(":scope > span")].map(s => s.innerText.trim()).join(" "))`)
}

// TestBrowserSignUpToChart is a new user's first session, on both
// backends: sign up (which logs in), log out, log in; create a link with
// every option and find it in the list as made; follow the short link in
// the browser to the target site; see the click on the link page once it
// is flushed (totals, a chart bar titled with today's count, the top
// lists); edit the title; disable the link (its short URL answers 404);
// delete it after the confirmation, and it is gone.
func TestBrowserSignUpToChart(t *testing.T) {
	t.Parallel()
	forEachBackendEnv(t, map[string]string{"ANALYTICS_CACHE_TTL": "0"}, func(t *testing.T, srv *testServer) {
		land := startLanding(t, nil)
		b := newTab(t, srv.url)
		shot := strings.NewReplacer("+", "-").Replace(srv.backend)

		email := randomEmail()
		b.signUp(email, "Ada Lovelace", e2ePassword)
		if got := b.text(".flash"); !strings.Contains(got, "Welcome") {
			b.fatalf("after sign-up the flash says %q, want a welcome", got)
		}
		if got := b.text("main"); !strings.Contains(got, "You have no links yet") {
			b.fatalf("a new account's list does not say what to do first:\n%s", got)
		}
		if b.count("table.links") != 0 {
			b.fatalf("a new account's list shows a table")
		}
		b.logOut()
		b.open("/app", http.StatusOK)
		if p := b.path(); p != "/app/login?next=%2Fapp" {
			b.fatalf("signed out, /app leads to %s, want the login page", p)
		}
		b.logIn(email, e2ePassword, "/app")

		// A link with every option of the create form.
		code := alias("web-")
		expires := time.Now().UTC().Add(90 * 24 * time.Hour).Truncate(time.Minute)
		b.fill("#original_url", land.url)
		b.step("open the options", chromedp.Click(chromedp.CSS("form[action='/app/links'] details > summary")))
		b.fill("#custom_alias", code)
		b.fill("#title", "Launch notes")
		b.step("set the expiry", chromedp.SetValue(chromedp.CSS("#expires_at"), expires.Format("2006-01-02T15:04")))
		b.step("make it private", chromedp.Click(chromedp.CSS(`input[name="is_public"][value="false"]`)))
		b.submit("form[action='/app/links'] .shorten button[type=submit]", http.StatusOK)
		if p := b.path(); p != "/app" {
			b.fatalf("after creating a link the browser is at %s, want /app", p)
		}
		short := e2eBaseURL + "/" + code
		if got := b.text(".flash"); !strings.Contains(got, "Your short link is ready") || !strings.Contains(got, strings.TrimPrefix(short, "http://")) {
			b.fatalf("after creating a link the flash says %q", got)
		}
		if n := b.count("table.links tbody tr"); n != 1 {
			b.fatalf("the list has %d rows, want 1", n)
		}
		row := b.text("table.links tbody tr")
		for _, want := range []string{code, "Launch notes", "Active", "Private"} {
			if !strings.Contains(row, want) {
				b.fatalf("the list's row %q lacks %q", row, want)
			}
		}
		// The same alias again: refused (409) in the options, which are
		// open, with an alert at the top and the focus on the alias.
		b.fill("#original_url", land.url)
		b.step("open the options", chromedp.Click(chromedp.CSS("form[action='/app/links'] details > summary")))
		b.fill("#custom_alias", code)
		b.submit("form[action='/app/links'] .shorten button[type=submit]", http.StatusConflict)
		if focused := eval[string](b, `document.activeElement.id`); focused != "custom_alias" {
			b.fatalf("after a refused alias the focus is on %q, want the alias field", focused)
		}
		if got := b.text("form[action='/app/links'] [role=alert]"); !strings.Contains(got, "correct the marked field") {
			b.fatalf("after a refused alias the form's alert says %q", got)
		}
		b.open("/app", http.StatusOK)

		links := apiLinks(t, srv, email, e2ePassword)
		if len(links) != 1 {
			t.Fatalf("the API lists %d links, want 1", len(links))
		}
		l := links[0]
		if l["short_code"] != code || l["title"] != "Launch notes" || l["is_public"] != false || l["original_url"] != land.url {
			t.Fatalf("the link as the API sees it: %v", l)
		}
		if got := expectTimestamp(t, "expires_at", l["expires_at"]); !got.Equal(expires) {
			t.Fatalf("expires_at %v, want %v (the form's UTC date and time)", got, expires)
		}
		linkPath := eval[string](b, `document.querySelector("table.links tbody tr td a").getAttribute("href")`)
		if linkPath != "/app/links/"+str(l["id"]) {
			b.fatalf("the row links to %q, want /app/links/%v", linkPath, l["id"])
		}
		b.reviewShot(shot + "-list-one-link-1280")

		// Follow the short link: the redirect lands on the target site.
		if got := b.navigate("follow the short link", chromedp.Navigate(srv.url+"/"+code)); got != http.StatusOK {
			b.fatalf("following the short link ended with status %d", got)
		}
		if loc := eval[string](b, `location.href`); loc != land.url {
			b.fatalf("the short link led to %s, want %s", loc, land.url)
		}
		if got := b.text("#landed"); got != landingHeading {
			b.fatalf("the landing page says %q", got)
		}
		if n := land.hits.Load(); n != 1 {
			t.Fatalf("the target site was visited %d times, want 1", n)
		}

		// The click shows on the link page once flushed. The page reads the
		// link, then its summary: a flush in between shows the click in the
		// summary but not yet in the link's count, so wait for both.
		waitFor(t, "the click on the link page", func() bool {
			b.open(linkPath, http.StatusOK)
			return b.count(".totals") == 1 && slices.Contains(b.totals(), "Clicks=1") &&
				strings.Contains(b.text(".facts"), "1 in all")
		})
		today := time.Now().UTC().Format("2 Jan 2006")
		if got, want := strings.Join(b.totals(), ", "), "Clicks=1, Unique visitors=1, Bots=0, Clicks today=1"; got != want {
			b.fatalf("totals %s, want %s", got, want)
		}
		bar := eval[string](b, `(() => {
			const chart = document.querySelector(".chart-wide");
			if (!chart || getComputedStyle(chart).display === "none") return "no wide chart shown";
			const days = [...chart.querySelectorAll("g.day")];
			const hit = days.filter(g => g.querySelector("rect.bar:not(.zero)"));
			if (hit.length !== 1) return hit.length + " bars with clicks of " + days.length;
			const r = hit[0].querySelector("rect.bar");
			return hit[0].querySelector("title").textContent + " / data-clicks=" + r.dataset.clicks + " / height>0=" + (r.getBBox().height > 0);
		})()`)
		if want := today + ": 1 click, 1 visitor / data-clicks=1 / height>0=true"; bar != want {
			b.fatalf("the chart's bar: %s, want %s", bar, want)
		}
		for id, want := range map[string]string{
			"browsers": "Chrome 1 100.0%", "os": "Linux 1 100.0%", "devices": "Desktop 1 100.0%",
			"referrers": "Direct or no referrer 1 100.0%",
		} {
			if got := b.topRows(id); len(got) != 1 || got[0] != want {
				b.fatalf("top list %s: %q, want [%q]", id, got, want)
			}
		}
		// The click is in the targets list too, under the URL it went to.
		if got := b.topRows("targets"); len(got) != 1 || !strings.HasSuffix(got[0], " 1 100.0%") || !strings.Contains(got[0], "/landing") {
			b.fatalf("top list targets: %q, want one row of 1 click to the landing page", got)
		}
		if got := b.text(".facts"); !strings.Contains(got, "1 in all") || !strings.Contains(got, "Private") || !strings.Contains(got, expires.Format("2 Jan 2006, 15:04")+" UTC") {
			b.fatalf("the link's facts: %q", got)
		}
		b.reviewShot(shot + "-link-one-click-1280")

		// Edit the title.
		b.step("open the edit form", chromedp.Click(chromedp.CSS("details:has(form[action*='/edit']) > summary")))
		b.fill("form[action*='/edit'] #title", "Launch notes, final")
		b.submit("form[action*='/edit'] button[type=submit]", http.StatusOK)
		if p := b.path(); p != linkPath {
			b.fatalf("after saving the browser is at %s, want %s", p, linkPath)
		}
		if got := b.text(".flash"); got != "Changes saved." {
			b.fatalf("after saving the flash says %q", got)
		}
		if got := b.text("h1"); got != "Launch notes, final" {
			b.fatalf("after the edit the heading is %q", got)
		}
		if l := apiLinks(t, srv, email, e2ePassword)[0]; l["title"] != "Launch notes, final" || l["is_public"] != false || l["is_active"] != true {
			t.Fatalf("after the title edit the API sees %v (only the title may change)", l)
		}

		// Disable: the short link answers 404 at once.
		b.submit(".link-head form[action$='/toggle'] button", http.StatusOK)
		if got := b.text(".flash"); !strings.Contains(got, "Link disabled") {
			b.fatalf("after disabling the flash says %q", got)
		}
		if got := b.text(".link-head .badge"); got != "Disabled" {
			b.fatalf("after disabling the badge says %q", got)
		}
		expectStatus(t, srv.redirect(t, code), http.StatusNotFound)

		// Delete, confirming the browser's dialog.
		dialogs := b.acceptDialogs()
		b.submit(".link-head form[action$='/delete'] button", http.StatusOK)
		if got := dialogs(); len(got) != 1 || !strings.HasPrefix(got[0], "Delete "+strings.TrimPrefix(short, "http://")+"?") {
			b.fatalf("the delete dialog asked %q", got)
		}
		if p := b.path(); p != "/app" {
			b.fatalf("after deleting the browser is at %s, want /app (the link page is gone)", p)
		}
		if got := b.text(".flash"); got != "Link deleted." {
			b.fatalf("after deleting the flash says %q", got)
		}
		if n := b.count("table.links tbody tr"); n != 0 {
			b.fatalf("after deleting its only link the list has %d rows", n)
		}
		if got := b.text("main"); !strings.Contains(got, "You have no links yet") {
			b.fatalf("after deleting its only link the list does not teach:\n%s", got)
		}
		if n := len(apiLinks(t, srv, email, e2ePassword)); n != 0 {
			t.Fatalf("after deleting, the API lists %d links", n)
		}
		b.open(linkPath, http.StatusNotFound)
	})
}
