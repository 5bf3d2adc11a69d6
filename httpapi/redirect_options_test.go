package httpapi_test

import (
	"errors"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

// optionsFakes knows links with each option.
func optionsFakes() *fakes {
	f := newFakes()
	base := shortener.Target{Found: true, Active: true, URL: "https://example.com/own?a=1"}
	with := func(id string, fn func(*shortener.Target)) shortener.Target {
		t := base
		t.LinkID = id
		fn(&t)
		return t
	}
	f.resolver.targets = map[string]shortener.Target{
		"plain":   with("plain", func(*shortener.Target) {}),
		"perm":    with("perm", func(t *shortener.Target) { t.RedirectType = 308 }),
		"fwd":     with("fwd", func(t *shortener.Target) { t.ForwardQuery = true }),
		"later":   with("later", func(t *shortener.Target) { t.ValidSince = testNow.Add(time.Hour) }),
		"capped":  with("capped", func(t *shortener.Target) { t.MaxClicks = 2 }),
		"secret":  with("secret", func(t *shortener.Target) { t.PasswordHash = "$hash-of-open-sesame" }),
		"secret2": with("secret2", func(t *shortener.Target) { t.PasswordHash = "$hash-of-open-sesame" }),
		"targets": with("targets", func(t *shortener.Target) {
			t.Rules = []shortener.TargetRule{{URL: "https://example.com/ios", Devices: []string{"ios"}}}
		}),
	}
	f.caps.left["capped"] = 2
	return f
}

const browserAccept = "text/html,application/xhtml+xml"

func TestRedirectOptions(t *testing.T) {
	f := optionsFakes()
	srv := f.server()
	tests := []struct {
		name, path string
		header     []string
		status     int
		location   string
	}{
		{"redirect type", "/perm", nil, 308, "https://example.com/own?a=1"},
		{"forward query", "/fwd?a=2&utm=x", nil, 302, "https://example.com/own?a=2&utm=x"},
		{"not yet valid", "/later", nil, 404, ""},
		{"rule matches", "/targets", []string{"User-Agent", "Mozilla/5.0 (iPhone)"}, 302, "https://example.com/ios"},
		{"rule does not match", "/targets", []string{"User-Agent", "Mozilla/5.0 (Windows)"}, 302, "https://example.com/own?a=1"},
	}
	for _, tt := range tests {
		w := serve(t, srv, "GET", tt.path, "", tt.header...)
		if w.Code != tt.status || w.Header().Get("Location") != tt.location {
			t.Errorf("%s: %d %q, want %d %q", tt.name, w.Code, w.Header().Get("Location"), tt.status, tt.location)
		}
		if tt.status < 400 && w.Header().Get("Cache-Control") != "private, max-age=0" {
			t.Errorf("%s: Cache-Control %q", tt.name, w.Header().Get("Cache-Control"))
		}
	}
	// The click records the target served.
	last := f.clicks.clicks[len(f.clicks.clicks)-1]
	if last.Target != "https://example.com/own?a=1" {
		t.Errorf("click target %q", last.Target)
	}
}

// A plain link asks nothing of the enrichment (no user agent parsing, no
// GeoIP) and takes no click from a counter.
func TestPlainLinkPaysForNoOption(t *testing.T) {
	f := optionsFakes()
	srv := f.server()
	for range 5 {
		serve(t, srv, "GET", "/plain", "", "User-Agent", "Mozilla/5.0 (iPhone)")
	}
	if f.enrichment.asked != 0 || f.caps.takes != 0 {
		t.Fatalf("a plain link asked the enrichment %d times and the counter %d times", f.enrichment.asked, f.caps.takes)
	}
	if len(f.clicks.clicks) != 5 || f.clicks.clicks[0].Target != "https://example.com/own?a=1" {
		t.Fatalf("clicks %+v", f.clicks.clicks)
	}
}

func TestRedirectCap(t *testing.T) {
	f := optionsFakes()
	srv := f.server()
	human := []string{"User-Agent", "Mozilla/5.0 (Windows)"}
	if w := serve(t, srv, "HEAD", "/capped", "", human...); w.Code != 302 {
		t.Fatalf("HEAD: %d", w.Code)
	}
	if w := serve(t, srv, "GET", "/capped", "", "User-Agent", "Googlebot/2.1 bot"); w.Code != 302 {
		t.Fatalf("bot: %d", w.Code)
	}
	for i := range 2 {
		if w := serve(t, srv, "GET", "/capped", "", human...); w.Code != 302 {
			t.Fatalf("human %d: %d", i, w.Code)
		}
	}
	for _, method := range []string{"GET", "HEAD"} {
		if w := serve(t, srv, method, "/capped", "", human...); w.Code != http.StatusGone {
			t.Fatalf("%s after the cap: %d, want 410", method, w.Code)
		}
	}
	if w := serve(t, srv, "GET", "/capped", "", "User-Agent", "bot"); w.Code != http.StatusGone {
		t.Fatalf("a bot after the cap: %d, want 410", w.Code)
	}
	if f.caps.takes != 3 { // two humans, and the one refused
		t.Fatalf("%d takes, want 3 (HEAD and bots take none)", f.caps.takes)
	}
	f.caps.err = errors.New("database down")
	if w := serve(t, srv, "GET", "/capped", "", human...); w.Code != http.StatusServiceUnavailable {
		t.Fatalf("counter down: %d, want 503", w.Code)
	}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func TestPasswordLink(t *testing.T) {
	f := optionsFakes()
	f.counting = &countingLimiter{}
	srv := f.server()

	// A browser gets the form: 200, no click, no target anywhere.
	w := serve(t, srv, "GET", "/secret", "", "Accept", browserAccept)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `<form method="post" action="/secret">`) ||
		strings.Contains(w.Body.String(), "example.com") || w.Header().Get("Cache-Control") != "no-store" ||
		strings.Contains(w.Header().Get("Content-Security-Policy"), "unsafe-inline") {
		t.Fatalf("form: %d %v\n%s", w.Code, w.Header(), w.Body)
	}
	if len(f.clicks.clicks) != 0 {
		t.Fatal("the form recorded a click")
	}
	token := csrfField.FindStringSubmatch(w.Body.String())[1]
	cookie := w.Result().Cookies()[0]

	post := func(pw, csrf string, withCookie bool) *httptest.ResponseRecorder {
		h := []string{"Content-Type", "application/x-www-form-urlencoded", "Accept", browserAccept}
		if withCookie {
			h = append(h, "Cookie", cookie.Name+"="+cookie.Value)
		}
		form := url.Values{"password": {pw}, "csrf": {csrf}}.Encode()
		return serve(t, srv, "POST", "/secret", form, h...)
	}
	if w := post("open sesame", token, false); w.Code != http.StatusForbidden {
		t.Fatalf("post without the cookie: %d, want 403", w.Code)
	}
	if w := post("open sesame", "forged", true); w.Code != http.StatusForbidden {
		t.Fatalf("post with a forged token: %d, want 403", w.Code)
	}
	// A cookie and field of one made-up value (a double submit a sibling
	// subdomain could plant) is no token.
	planted := url.Values{"password": {"open sesame"}, "csrf": {cookie.Value}}.Encode()
	if w := serve(t, srv, "POST", "/secret", planted, "Content-Type", "application/x-www-form-urlencoded",
		"Cookie", cookie.Name+"="+cookie.Value); w.Code != http.StatusForbidden {
		t.Fatalf("post with the seed as its token: %d, want 403", w.Code)
	}
	// Another link's form, with its seed, cannot post to this one.
	other := serve(t, srv, "GET", "/secret2", "", "Accept", browserAccept)
	if other.Code == 200 {
		otherForm := url.Values{"password": {"open sesame"}, "csrf": {csrfField.FindStringSubmatch(other.Body.String())[1]}}.Encode()
		otherCookie := other.Result().Cookies()[0]
		if w := serve(t, srv, "POST", "/secret", otherForm, "Content-Type", "application/x-www-form-urlencoded",
			"Cookie", cookie.Name+"="+otherCookie.Value); w.Code != http.StatusForbidden {
			t.Fatalf("post with another link's token: %d, want 403", w.Code)
		}
	} else {
		t.Fatalf("the second password link's form: %d", other.Code)
	}
	// A second tab's form keeps the browser's seed: the first form's token
	// stays good.
	if w := serve(t, srv, "GET", "/secret", "", "Accept", browserAccept, "Cookie", cookie.Name+"="+cookie.Value); w.Code != 200 ||
		len(w.Result().Cookies()) != 0 || csrfField.FindStringSubmatch(w.Body.String())[1] != token {
		t.Fatalf("a second form for the same browser: %d, cookies %v", w.Code, w.Result().Cookies())
	}
	w = post("wrong", token, true)
	if w.Code != 401 || w.Header().Get("WWW-Authenticate") != "Link-Password" || !strings.Contains(w.Body.String(), "not right") {
		t.Fatalf("wrong password: %d %v", w.Code, w.Header())
	}
	w = post("open sesame", token, true)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "https://example.com/own?a=1" || len(f.clicks.clicks) != 1 {
		t.Fatalf("right password: %d %q, %d clicks", w.Code, w.Header().Get("Location"), len(f.clicks.clicks))
	}

	// API clients: X-Link-Password.
	w = serve(t, srv, "GET", "/secret", "")
	if p := decodeProblem(t, w, 401); w.Header().Get("WWW-Authenticate") != "Link-Password" || p.Detail == "" ||
		w.Header().Get("X-Robots-Tag") != "noindex" {
		t.Fatalf("no password: %v", w.Header())
	}
	w = serve(t, srv, "GET", "/secret", "", "X-Link-Password", "nope")
	if decodeProblem(t, w, 401); w.Header().Get("X-Robots-Tag") != "noindex" {
		t.Fatalf("wrong password: %v", w.Header())
	}
	// A right one's redirect carries the limit's headers too, its place
	// given back: the two wrong ones above left 8.
	if w := serve(t, srv, "GET", "/secret", "", "X-Link-Password", "open sesame"); w.Code != 302 ||
		w.Header().Get("RateLimit-Limit") != "10" || w.Header().Get("RateLimit-Remaining") != "8" || w.Header().Get("Retry-After") != "" {
		t.Fatalf("right header: %d %v", w.Code, w.Header())
	}

	// 10 wrong attempts (the form's and the header's count alike), then
	// every attempt, the right one too, is 429; a missing one is no attempt.
	// Each wrong attempt's 401 counts down in RateLimit-Remaining (a right
	// one gave its place back).
	for i := range 8 {
		w := serve(t, srv, "GET", "/secret", "", "X-Link-Password", "nope")
		h := w.Header()
		if w.Code != 401 || h.Get("RateLimit-Limit") != "10" || h.Get("RateLimit-Remaining") != strconv.Itoa(7-i) ||
			h.Get("RateLimit-Reset") == "" || h.Get("Retry-After") != "" {
			t.Fatalf("wrong attempt %d of 10: %d %v", i+3, w.Code, h)
		}
	}
	w = serve(t, srv, "GET", "/secret", "", "X-Link-Password", "open sesame")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" || w.Header().Get("X-Robots-Tag") != "noindex" ||
		w.Header().Get("RateLimit-Limit") != "10" || w.Header().Get("RateLimit-Remaining") != "0" || w.Header().Get("RateLimit-Reset") == "" {
		t.Fatalf("after 10 wrong passwords: %d %v", w.Code, w.Header())
	}
	if w := post("open sesame", token, true); w.Code != http.StatusTooManyRequests {
		t.Fatalf("the form after 10 wrong passwords: %d", w.Code)
	}
	if w := serve(t, srv, "GET", "/secret", "", "Accept", browserAccept); w.Code != 200 {
		t.Fatalf("the form itself after the limit: %d", w.Code)
	}
	if w := serve(t, srv, "POST", "/plain", "password=x", "Content-Type", "application/x-www-form-urlencoded",
		"Cookie", cookie.Name+"="+cookie.Value); w.Code == 302 || w.Code == 303 {
		t.Fatalf("a post to a link without password redirected: %d", w.Code)
	}
}

// TestPasswordFormKeepsTheReferrer: the click of a right password counts
// the referrer the visitor came with, not the form (the post's own
// Referer), and a wrong attempt's form keeps carrying it.
func TestPasswordFormKeepsTheReferrer(t *testing.T) {
	f := optionsFakes()
	srv := f.server()
	const from = `https://news.example/item?id=1&x="<b>`
	w := serve(t, srv, "GET", "/secret", "", "Accept", browserAccept, "Referer", from)
	field := regexp.MustCompile(`name="referrer" value="([^"]*)"`)
	m := field.FindStringSubmatch(w.Body.String())
	if m == nil || html.UnescapeString(m[1]) != from {
		t.Fatalf("the form carries %q, want %q", m, from)
	}
	cookie := w.Result().Cookies()[0]
	post := func(pw string, w *httptest.ResponseRecorder) *httptest.ResponseRecorder {
		token := csrfField.FindStringSubmatch(w.Body.String())[1]
		form := url.Values{"password": {pw}, "csrf": {token}, "referrer": {html.UnescapeString(field.FindStringSubmatch(w.Body.String())[1])}}
		return serve(t, srv, "POST", "/secret", form.Encode(), "Content-Type", "application/x-www-form-urlencoded",
			"Accept", browserAccept, "Cookie", cookie.Name+"="+cookie.Value, "Referer", "http://sho.rt/secret")
	}
	w = post("wrong", w)
	if w.Code != http.StatusUnauthorized || len(w.Result().Cookies()) != 0 {
		t.Fatalf("wrong password: %d, cookies %v (want the browser's seed kept)", w.Code, w.Result().Cookies())
	}
	if w = post("open sesame", w); w.Code != http.StatusSeeOther || len(f.clicks.clicks) != 1 {
		t.Fatalf("right password: %d, %d clicks", w.Code, len(f.clicks.clicks))
	}
	if got := f.clicks.clicks[0].Referrer; got != from {
		t.Errorf("the click's referrer is %q, want %q", got, from)
	}

	// A visit without a referrer: no field, and the click is direct.
	w = serve(t, srv, "GET", "/secret", "", "Accept", browserAccept)
	if field.MatchString(w.Body.String()) {
		t.Error("a form without a referrer carries one")
	}
}
