package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserAdminDomains: an admin adds a short domain on /app/domains,
// the page lists it beside the default one at desktop and phone widths,
// and the create form then offers it; a link made there shows its host.
func TestBrowserAdminDomains(t *testing.T) {
	t.Parallel()
	srv := startWebServer(t, "embedded")
	admin := srv.newAccount(t)
	srv.promote(t, admin)
	b := newTab(t, srv.url)
	b.logIn(admin.email, admin.password, "/app")

	b.open("/app/domains", http.StatusOK)
	b.fill("#host", "go.example")
	b.submit("form[action='/app/domains'] button[type=submit]", http.StatusOK)
	if got := b.text("main"); !strings.Contains(got, "go.example") || !strings.Contains(got, "Default") {
		b.fatalf("after adding go.example the domains page says %q", got)
	}
	b.reviewShot("domains-1280")

	// A domain without links goes through its Delete button, confirmed in
	// the browser's dialog.
	b.fill("#host", "old.example")
	b.submit("form[action='/app/domains'] button[type=submit]", http.StatusOK)
	dialogs := b.acceptDialogs()
	form := eval[string](b, `[...document.querySelectorAll("button[form].danger")].find(e => e.textContent.includes("old.example")).getAttribute("form")`)
	b.submit("button[form='"+form+"']", http.StatusOK)
	if got := dialogs(); len(got) != 1 || got[0] != "Delete the domain old.example?" {
		b.fatalf("the delete dialog asked %q", got)
	}
	if got := b.text("main"); strings.Contains(got, "old.example") || !strings.Contains(got, "go.example") {
		b.fatalf("after deleting old.example the domains page says %q", got)
	}
	b.viewport(390)
	b.noHorizontalScroll("the domains page")
	b.reviewShot("domains-390")
	b.viewport(1280)

	b.open("/app", http.StatusOK)
	if n := b.count("#domain option"); n != 2 {
		b.fatalf("the create form offers %d domains, want the default and go.example", n)
	}
	b.step("pick go.example", chromedp.Evaluate[chromedp.Void](`document.querySelector("#domain").value = "go.example"`))
	b.createInBrowser("https://example.com/on-a-brand-domain")
	if rows := b.listRows(); len(rows) != 1 || !strings.Contains(rows[0], "go.example/") {
		b.fatalf("the list after a link on go.example: %q", rows)
	}
	b.reviewShot("links-domain-1280")
}
