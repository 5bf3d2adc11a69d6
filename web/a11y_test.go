package web

import (
	"regexp"
	"strings"
	"testing"
)

var (
	controlTag = regexp.MustCompile(`<(input|select|textarea)\b[^>]*>`)
	idAttr     = regexp.MustCompile(`\bid="([^"]+)"`)
	typeAttr   = regexp.MustCompile(`\btype="([^"]+)"`)
	labelFor   = regexp.MustCompile(`<label[^>]*\bfor="([^"]+)"`)
	buttonTag  = regexp.MustCompile(`<button\b[^>]*>(.*?)</button>`)
)

// Every visible control has a label, through <label for> or by being
// inside its <label>; every button says what it does; the landmarks and
// the skip link are there.
func TestPagesAreLabelled(t *testing.T) {
	e := newEnv(t)
	e.addLink(alice, linkID, "abc", "https://example.com/")
	e.summaries.summary = sampleSummary()
	pages := map[string]string{
		"/":           e.browser().get("/").Body,
		"/app/login":  e.browser().get("/app/login").Body,
		"/app/signup": e.browser().get("/app/signup").Body,
		"/app":        e.signedIn(alice).get("/app").Body,
		"/app/links":  e.signedIn(alice).get("/app/links/" + linkID).Body,
		"/account":    e.signedIn(alice).get("/app/account").Body,
	}
	for name, body := range pages {
		labels := map[string]bool{}
		for _, m := range labelFor.FindAllStringSubmatch(body, -1) {
			labels[m[1]] = true
		}
		for _, loc := range controlTag.FindAllStringIndex(body, -1) {
			tag := body[loc[0]:loc[1]]
			if typ := typeAttr.FindStringSubmatch(tag); (typ != nil && typ[1] == "hidden") || strings.Contains(tag, " hidden") {
				continue
			}
			id := idAttr.FindStringSubmatch(tag)
			open := strings.LastIndex(body[:loc[0]], "<label")
			inside := open >= 0 && !strings.Contains(body[open:loc[0]], "</label>")
			if !inside && (id == nil || !labels[id[1]]) {
				t.Errorf("%s: control without a label: %s", name, tag)
			}
		}
		for _, m := range buttonTag.FindAllStringSubmatch(body, -1) {
			if strings.TrimSpace(m[1]) == "" {
				t.Errorf("%s: an empty button", name)
			}
		}
		for _, want := range []string{`<html lang="en">`, "<header", "<nav", `<main id="main"`, "<footer", `href="#main"`, `aria-live="polite"`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %s", name, want)
			}
		}
	}
}
