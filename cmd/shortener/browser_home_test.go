package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserHomeShortenAndCopy: a visitor without an account opens the
// home page, types a URL into the field that already has focus, presses
// Enter and gets the short link (which redirects to the URL), its QR code
// (a loaded image) and a Copy button that puts the short URL on the
// clipboard and says "Copied".
func TestBrowserHomeShortenAndCopy(t *testing.T) {
	t.Parallel()
	srv := startWebServer(t, "embedded")
	b := newTab(t, srv.url)
	b.grantClipboard()
	b.open("/", http.StatusOK)

	if id := eval[string](b, `document.activeElement ? document.activeElement.id : ""`); id != "original_url" {
		b.fatalf("on load the focus is on %q, want the URL field #original_url", id)
	}
	const target = "https://example.com/articles/2026/a-rather-long-path/that-nobody-wants-to-type?utm_source=newsletter"
	// Typed into whatever has focus: the field, as checked above.
	if got := b.navigate("type a URL and press Enter", chromedp.KeyEvent(target+"\r")); got != http.StatusOK {
		b.fatalf("after Enter: status %d, want 200", got)
	}
	if p := b.path(); p != "/" {
		b.fatalf("after shortening the browser is at %s, want /", p)
	}
	if v := eval[string](b, `document.getElementById("original_url").value`); v != target {
		b.fatalf("the URL field holds %q after shortening, want what was typed, %q", v, target)
	}
	short := eval[string](b, `document.querySelector(".result a.short").href`)
	code, ok := strings.CutPrefix(short, e2eBaseURL+"/")
	if !ok || code == "" || strings.Contains(code, "/") {
		b.fatalf("the result's short link is %q, want %s/CODE", short, e2eBaseURL)
	}
	if shown := b.text(".result a.short"); shown != strings.TrimPrefix(short, "http://") {
		b.fatalf("the short link reads %q, want %q", shown, strings.TrimPrefix(short, "http://"))
	}
	expectRedirect(t, srv.redirect(t, code), target)

	b.waitTrue("the QR code to load", `(() => { const i = document.querySelector(".result img.qr"); return !!i && i.complete && i.naturalWidth > 0; })()`)
	if alt := eval[string](b, `document.querySelector(".result img.qr").alt`); !strings.Contains(alt, code) {
		b.fatalf("the QR image's alt text %q does not name the link", alt)
	}

	b.screenshot("home-1280")

	copyBtn := ".result button[data-copy]"
	if hidden := eval[bool](b, `document.querySelector(`+jsString(copyBtn)+`).hidden`); hidden {
		b.fatalf("the Copy button is still hidden: app.js did not run")
	}
	b.step("click Copy", chromedp.Click(chromedp.CSS(copyBtn)))
	b.waitTrue(`"Copied" on the button`, `document.querySelector(`+jsString(copyBtn)+`).textContent === "Copied"`)
	if got := eval[string](b, `navigator.clipboard.readText()`); got != short {
		b.fatalf("the clipboard holds %q, want the short URL %q", got, short)
	}
	b.waitTrue("the copy to be announced", `document.getElementById("live").textContent.includes(`+jsString(short)+`)`)

	b.viewport(phoneWidth)
	b.noHorizontalScroll("the home page")
	// On a phone the Shorten button goes under the field, as wide as it.
	if w := eval[[]float64](b, `[".shorten input", ".shorten button"].map(s => document.querySelector(s).getBoundingClientRect().width)`); w[1] < w[0]-1 {
		b.fatalf("at %d px the Shorten button is %.0f px wide under a %.0f px field", phoneWidth, w[1], w[0])
	}
	b.screenshot("home-390")
}
