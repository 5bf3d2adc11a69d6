package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserImportAndFilter: a new user imports a CSV file (a byte order
// mark, CRLF, a quoted comma and a bad row) through the import page and
// sees each record's outcome; back on the list, the tag filter and the
// search find the imported links, and the export link carries the
// filter.
func TestBrowserImportAndFilter(t *testing.T) {
	t.Parallel()
	srv := startWebServer(t, "embedded")
	b := newTab(t, srv.url)
	b.signUp(randomEmail(), "Grace Hopper", e2ePassword)

	file := filepath.Join(t.TempDir(), "bitly.csv")
	csv := "\ufefflong_url,title,tags\r\n" +
		"https://example.com/compilers,\"Compilers, a history\",history|cobol\r\n" +
		"https://example.com/nanosecond,Nanosecond,talks\r\n" +
		"javascript:alert(1),Bad,\r\n"
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	b.submit(".transfer a[href='/app/import']", http.StatusOK)
	b.step("choose the file", chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}))
	b.submit("main form button[type=submit]", http.StatusOK)
	if got := b.text("#result-h"); got != "2 links created, 1 record refused" {
		b.fatalf("import result heading %q", got)
	}
	rows := eval[[]string](b, `[...document.querySelectorAll(".import-results tbody tr")].map(r => r.innerText.replace(/\s+/g, " ").trim())`)
	if len(rows) != 3 || !strings.HasPrefix(rows[0], "1 Created") || !strings.HasPrefix(rows[2], "3 Invalid") {
		b.fatalf("import rows %q", rows)
	}
	b.screenshot("import-results")

	b.open("/app", http.StatusOK)
	b.step("filter by a tag", chromedp.SetValue(chromedp.CSS("#filter-tag"), "cobol"))
	b.submit(".filter-bar button[type=submit]", http.StatusOK)
	if got := b.count("table.links tbody tr"); got != 1 || !strings.Contains(b.text("table.links"), "Compilers, a history") {
		b.fatalf("tag cobol lists %d rows:\n%s", got, b.text("main"))
	}
	if href := eval[string](b, `document.querySelector(".transfer a[download]").getAttribute("href")`); href != "/app/export?tag=cobol" {
		b.fatalf("export link %q, want the filter kept", href)
	}
	b.screenshot("links-filtered")
	// A search through the form, its tag select on "Any tag" (sent as
	// tag=, which once made every such search a 422).
	b.open("/app", http.StatusOK)
	b.step("search", chromedp.SetValue(chromedp.CSS("#filter-q"), "NANO"))
	b.submit(".filter-bar button[type=submit]", http.StatusOK)
	if got := b.count("table.links tbody tr"); got != 1 || !strings.Contains(b.text("table.links"), "Nanosecond") {
		b.fatalf("search NANO lists %d rows", got)
	}
}
