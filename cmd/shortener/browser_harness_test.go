package main

// Browser tests: the web app in a real Chromium (Debian's chromium
// package, never a downloaded one) driven with chromedp over its DevTools
// pipe. Each test starts the program in-process as the e2e tests do
// (startServer), a headless browser with a fresh profile, and, when it
// follows a short link, a landing server of its own that the browser
// reaches as http://target.example:PORT (--host-resolver-rules): the
// shortener refuses loopback addresses and localhost as targets, not that
// name.
//
// Without a browser the tests skip, or fail under TEST_REQUIRE_SERVICES=1.
// Screenshots (full page PNGs) go to each test's temporary directory and,
// when SCREENSHOT_DIR is set, there as well: that is how the ones in
// docs/screenshots are made.

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/shortener-dev/shortener/internal/testenv"
)

// browserUserAgent is what the browser calls itself. Headless Chromium
// says "HeadlessChrome", which the click analytics rightly count as a bot;
// these tests stand for a person at a desktop browser.
const browserUserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"

// targetHost is the host of the short links' targets in browser tests;
// Chromium resolves it to 127.0.0.1, where the test's landing server is.
const targetHost = "target.example"

// Viewport widths of the screenshots: a desktop and a phone; and a tablet
// between them.
const (
	desktopWidth = 1280
	tabletWidth  = 800
	phoneWidth   = 390
)

// browserStepTimeout bounds one browser action, so that a page that never
// loads fails its test instead of hanging the suite.
const browserStepTimeout = 30 * time.Second

// chromiumPath returns Debian's chromium launcher, or "" when there is none.
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// noBrowser skips the test, or fails it when TEST_REQUIRE_SERVICES=1 (CI
// installs chromium, so it can never pass by skipping).
func noBrowser(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if testenv.RequireServices() {
		t.Fatalf("no browser for the browser tests: %s (TEST_REQUIRE_SERVICES=1; apt-get install chromium)", msg)
	}
	t.Skipf("no browser for the browser tests: %s; install Debian's chromium package (apt-get install chromium) to run them", msg)
}

// tab is one headless Chromium with one tab, on the web app of a server.
type tab struct {
	t      *testing.T
	ctx    context.Context // the tab's chromedp context
	base   string          // the server's address, http://127.0.0.1:PORT
	shots  string          // this test's screenshot directory
	output *syncBuffer     // what the browser printed, shown when a step fails
}

// newTab starts a browser for base with a fresh profile; it is closed
// when the test ends.
func newTab(t *testing.T, base string) *tab {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		noBrowser(t, "chromium is not on PATH")
	}
	b := &tab{t: t, base: base, shots: t.TempDir(), output: &syncBuffer{}}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("host-resolver-rules", "MAP "+targetHost+" 127.0.0.1"),
		chromedp.UserAgent(browserUserAgent),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(desktopWidth, 900),
		chromedp.CombinedOutput(b.output),
	}
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	b.ctx = ctx
	t.Cleanup(func() {
		// Close the browser before its profile directory is removed.
		closeCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_ = chromedp.Cancel(closeCtx)
		cancelTab()
		cancelAlloc()
	})

	// The first action starts the browser; its context must outlive the
	// test's steps, so the start-up is bounded from here.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			noBrowser(t, "%s did not start: %v\n%s", path, err, b.browserOutput())
		}
	case <-time.After(60 * time.Second):
		cancelAlloc()
		noBrowser(t, "%s did not start within 60s\n%s", path, b.browserOutput())
	}
	return b
}

// step runs actions with a deadline and fails the test on an error.
func (b *tab) step(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.fatalf("%s: %v", what, err)
	}
}

// fatalf fails the test, saying where the browser was.
func (b *tab) fatalf(format string, args ...any) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 1500) : ""`))
	b.t.Fatalf("%s\nbrowser at %s, page text:\n%s\nbrowser output:\n%s", fmt.Sprintf(format, args...), loc, body, tail(b.browserOutput(), 2000))
}

// browserOutput is what the browser printed, without the complaints of a
// machine that has no D-Bus.
func (b *tab) browserOutput() string {
	var keep []string
	for _, line := range strings.Split(b.output.String(), "\n") {
		if !strings.Contains(line, "dbus") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n")
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}

// eval evaluates a JavaScript expression in the page and decodes its value.
func eval[T any](b *tab, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// navigate runs actions that load a new page (a click on a link, a form
// sent, an address opened) and returns the status of the page they led to.
func (b *tab) navigate(what string, actions ...chromedp.Action[chromedp.Void]) int {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		b.fatalf("%s: %v", what, err)
	}
	if resp == nil {
		b.fatalf("%s: no page was loaded", what)
	}
	return int(resp.Status)
}

// open loads path of the server (or an absolute URL) and requires want.
func (b *tab) open(path string, want int) {
	b.t.Helper()
	u := path
	if strings.HasPrefix(path, "/") {
		u = b.base + path
	}
	if got := b.navigate("open "+u, chromedp.Navigate(u)); got != want {
		b.fatalf("open %s: status %d, want %d", u, got, want)
	}
}

// submit sends a form by clicking its button sel and requires status want
// for the page it leads to (after the redirect of a POST-redirect-GET).
func (b *tab) submit(sel string, want int) {
	b.t.Helper()
	if got := b.navigate("click "+sel, chromedp.Click(chromedp.CSS(sel))); got != want {
		b.fatalf("after clicking %s: status %d, want %d", sel, got, want)
	}
}

// fill replaces the value of the input sel with value: it focuses the
// field, selects what it holds and enters value over it as text input
// (as a paste would; key by key is many times slower and shows nothing
// more, except where a test types on purpose).
func (b *tab) fill(sel, value string) {
	b.t.Helper()
	b.step("fill "+sel,
		chromedp.Focus(chromedp.CSS(sel)),
		chromedp.Evaluate[chromedp.Void](`document.activeElement.select()`),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: value})
			return err
		}))
	if got := eval[string](b, `document.querySelector(`+jsString(sel)+`).value`); got != value {
		b.fatalf("fill %s: the field holds %q, want %q", sel, got, value)
	}
}

// path is the path and query of the page the tab shows.
func (b *tab) path() string {
	b.t.Helper()
	loc := eval[string](b, `location.href`)
	u, err := url.Parse(loc)
	if err != nil {
		b.fatalf("location %q: %v", loc, err)
	}
	return u.RequestURI()
}

// text is the rendered text of the first element sel ("" when none).
func (b *tab) text(sel string) string {
	b.t.Helper()
	return eval[string](b, `(() => { const e = document.querySelector(`+jsString(sel)+`); return e ? e.innerText.trim() : ""; })()`)
}

// count is the number of elements sel.
func (b *tab) count(sel string) int {
	b.t.Helper()
	return eval[int](b, `document.querySelectorAll(`+jsString(sel)+`).length`)
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			sb.WriteByte('\\')
			sb.WriteRune(r)
		case r < 0x20 || r == 0x2028 || r == 0x2029:
			fmt.Fprintf(&sb, `\u%04x`, r)
		default:
			sb.WriteRune(r)
		}
	}
	sb.WriteByte('"')
	return sb.String()
}

// viewport sets the width of the page: a phone (touch, mobile viewport)
// at phoneWidth and below, else a desktop window.
func (b *tab) viewport(width int64) {
	b.t.Helper()
	if width <= phoneWidth {
		b.step("phone viewport", chromedp.EmulateViewport(width, 844, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait))
		return
	}
	b.step("desktop viewport", chromedp.EmulateViewport(width, 900))
}

// screenshot saves a full-page PNG of the current page as name.png.
func (b *tab) screenshot(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.fatalf("screenshot %s: %v", name, err)
	}
	dirs := []string{b.shots}
	if d := os.Getenv("SCREENSHOT_DIR"); d != "" {
		dirs = append(dirs, d)
	}
	for _, dir := range dirs {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.t.Fatalf("screenshot dir: %v", err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
			b.t.Fatalf("write screenshot: %v", err)
		}
	}
	b.t.Logf("screenshot %s.png (%d KB) in %s", name, len(png)>>10, strings.Join(dirs, " and "))
}

// reviewShot saves a screenshot for people to look at, only when
// SCREENSHOT_DIR is set: the pages no flow promises a picture of.
func (b *tab) reviewShot(name string) {
	b.t.Helper()
	if os.Getenv("SCREENSHOT_DIR") != "" {
		b.screenshot(name)
	}
}

// grantClipboard lets the server's pages write to and read the clipboard.
func (b *tab) grantClipboard() {
	b.t.Helper()
	for _, name := range []string{"clipboard-write", "clipboard-read"} {
		_, err := chromedp.CallBrowser(b.ctx, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
			Permission: &cdpbrowser.PermissionDescriptor{Name: name, AllowWithoutSanitization: true},
			Setting:    cdpbrowser.PermissionSettingGranted,
			Origin:     b.base,
		})
		if err != nil {
			b.fatalf("grant %s: %v", name, err)
		}
	}
}

// acceptDialogs answers every JavaScript dialog (confirm) from now on
// with OK; the function it returns lists the messages seen so far.
func (b *tab) acceptDialogs() func() []string {
	var mu sync.Mutex
	var msgs []string
	dialogs := chromedp.Events(b.ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			mu.Lock()
			msgs = append(msgs, ev.Message)
			mu.Unlock()
			_, _ = chromedp.Call(b.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(msgs)
	}
}

// cookie returns the browser's cookie name for the server, or nil.
func (b *tab) cookie(name string) *network.Cookie {
	b.t.Helper()
	res, err := chromedp.Call(b.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{b.base + "/"}})
	if err != nil {
		b.fatalf("get cookies: %v", err)
	}
	for _, c := range res.Cookies {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// setCookie puts c back into the browser.
func (b *tab) setCookie(c *network.Cookie) {
	b.t.Helper()
	_, err := chromedp.Call(b.ctx, network.SetCookie, network.SetCookieParams{
		Name: c.Name, Value: c.Value, URL: b.base + "/", Path: c.Path, HTTPOnly: &c.HTTPOnly, SameSite: c.SameSite,
	})
	if err != nil {
		b.fatalf("set cookie %s: %v", c.Name, err)
	}
}

// landing is a target site for short links: a page at /landing that the
// browser reaches through targetHost, counting its visits.
type landing struct {
	url   string // http://target.example:PORT/landing
	hits  atomic.Int64
	pages map[string]string // more pages: path → HTML
}

const landingHeading = "You have arrived"

func startLanding(t *testing.T, pages map[string]string) *landing {
	t.Helper()
	l := &landing{pages: pages}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if html, ok := l.pages[r.URL.Path]; ok {
			fmt.Fprint(w, html)
			return
		}
		if r.URL.Path != "/landing" {
			http.NotFound(w, r)
			return
		}
		l.hits.Add(1)
		fmt.Fprintf(w, `<!doctype html><html lang="en"><title>Landing</title><h1 id="landed">%s</h1>`, landingHeading)
	}))
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	l.url = "http://" + targetHost + ":" + u.Port() + "/landing"
	return l
}

// origin is the landing server's origin as the browser knows it.
func (l *landing) origin() string { return strings.TrimSuffix(l.url, "/landing") }

// startWebServer starts a server for browser tests: analytics without a
// summary cache, so that a click shows on the link page once flushed.
func startWebServer(t *testing.T, backend string) *testServer {
	t.Helper()
	return startServer(t, backend, map[string]string{"ANALYTICS_CACHE_TTL": "0"})
}

// signUp creates an account through the sign-up form; the browser is then
// signed in (sign-up logs in) and on the link list.
func (b *tab) signUp(email, name, password string) {
	b.t.Helper()
	b.open("/app/signup", http.StatusOK)
	b.fill("#email", email)
	if name != "" {
		b.fill("#full_name", name)
	}
	b.fill("#password", password)
	b.submit("main form button[type=submit]", http.StatusOK)
	if p := b.path(); p != "/app" {
		b.fatalf("after sign-up the browser is at %s, want /app", p)
	}
}

// logIn signs in through the login form (the browser must be on a login
// page or is sent to one) and requires landing on want.
func (b *tab) logIn(email, password, want string) {
	b.t.Helper()
	if !strings.HasPrefix(b.path(), "/app/login") {
		b.open("/app/login", http.StatusOK)
	}
	b.fill("#email", email)
	b.fill("#password", password)
	b.submit("main form button[type=submit]", http.StatusOK)
	if p := b.path(); p != want {
		b.fatalf("after logging in the browser is at %s, want %s", p, want)
	}
}

// logOut uses the header's Log out button.
func (b *tab) logOut() {
	b.t.Helper()
	b.submit(".site-header form[action='/app/logout'] button", http.StatusOK)
	if p := b.path(); p != "/" {
		b.fatalf("after logging out the browser is at %s, want /", p)
	}
	if got := b.text(".flash"); !strings.Contains(got, "logged out") {
		b.fatalf("after logging out the flash says %q", got)
	}
}

// waitTrue polls the JavaScript expression until it is true (15 s at most).
func (b *tab) waitTrue(what, expr string) {
	b.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !eval[bool](b, expr) {
		if time.Now().After(deadline) {
			b.fatalf("timed out after 15s waiting for %s (%s)", what, expr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// noHorizontalScroll fails when the page is wider than the viewport.
func (b *tab) noHorizontalScroll(page string) {
	b.t.Helper()
	w := eval[[]int](b, `[document.documentElement.scrollWidth, window.innerWidth]`)
	if w[0] > w[1] {
		wide := eval[string](b, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).replace(/ /g, ".") : "")).join(", ")`)
		b.fatalf("%s at %d px scrolls sideways: scrollWidth %d > innerWidth %d (too wide: %s)", page, w[1], w[0], w[1], wide)
	}
}

// colorScheme makes the page see prefers-color-scheme: scheme ("light"
// or "dark").
func (b *tab) colorScheme(scheme string) {
	b.t.Helper()
	_, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	})
	if err != nil {
		b.fatalf("emulate prefers-color-scheme: %s: %v", scheme, err)
	}
}

// scripts turns the page's scripts on or off, as for a browser without
// JavaScript (the next page loaded).
func (b *tab) scripts(on bool) {
	b.t.Helper()
	_, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
	if err != nil {
		b.fatalf("turn scripts on=%v: %v", on, err)
	}
}
