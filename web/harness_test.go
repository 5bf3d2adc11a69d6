package web

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

var testNow = time.Date(2026, 12, 14, 15, 30, 0, 0, time.UTC)

var (
	alice = &shortener.User{ID: "u-alice", Email: "alice@example.com", FullName: "Alice", Role: shortener.RoleUser, IsActive: true}
	bob   = &shortener.User{ID: "u-bob", Email: "bob@example.com", FullName: "Bob", Role: shortener.RoleUser, IsActive: true}
	root  = &shortener.User{ID: "u-root", Email: "root@example.com", FullName: "Root", Role: shortener.RoleAdmin, IsActive: true}
)

// env is an App over fakes.
type env struct {
	t         testing.TB
	app       *App
	accounts  *fakeAccounts
	sessions  *fakeSessions
	links     *fakeLinks
	summaries *fakeSummaries
	qr        *fakeQR
	limiter   *fakeLimiter
	logs      *bytes.Buffer
}

func newEnv(t testing.TB, configure ...func(*Config)) *env {
	t.Helper()
	e := &env{
		t: t, accounts: &fakeAccounts{}, links: &fakeLinks{}, summaries: &fakeSummaries{}, qr: &fakeQR{},
		limiter: &fakeLimiter{refuse: map[shortener.RateClass]time.Duration{}}, logs: &bytes.Buffer{},
		sessions: &fakeSessions{
			passwords: map[string]string{alice.Email: "Secret123"}, users: map[string]*shortener.User{alice.Email: alice},
			tokens: map[string]*shortener.User{}, rotate: map[string]string{},
		},
	}
	c := Config{
		Accounts: e.accounts, Sessions: e.sessions, Links: e.links, Summaries: e.summaries,
		QRCodes: e.qr, Limiter: e.limiter, BaseURL: "http://sho.rt",
		Logger: slog.New(slog.NewTextHandler(e.logs, nil)), Clock: func() time.Time { return testNow },
		CSRFKey: []byte("0123456789abcdef0123456789abcdef"), Version: "test",
	}
	for _, f := range configure {
		f(&c)
	}
	app, err := New(c)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	e.app = app
	return e
}

// addLink gives owner (nil: anonymous) a link; links are kept newest first.
func (e *env) addLink(owner *shortener.User, id, code, target string) *shortener.Link {
	l := &shortener.Link{ID: id, ShortCode: code, OriginalURL: target, IsActive: true, IsPublic: true,
		ClickCount: 1234, CreatedAt: testNow.Add(-48 * time.Hour), UpdatedAt: testNow}
	if owner != nil {
		l.OwnerID = &owner.ID
	}
	e.links.links = append([]*shortener.Link{l}, e.links.links...)
	return l
}

// browser keeps cookies between requests, as a browser would.
type browser struct {
	e       *env
	cookies map[string]string
	last    string // the body of the last page, for its CSRF token
	referer string // sent as Referer when set
}

func (e *env) browser() *browser { return &browser{e: e, cookies: map[string]string{}} }

// signedIn returns a browser with a live session of u.
func (e *env) signedIn(u *shortener.User) *browser {
	b := e.browser()
	token := "sess-" + u.ID
	e.sessions.tokens[token] = u
	b.cookies[sessionCookie] = token
	return b
}

// page is a response with its body read.
type page struct {
	*http.Response
	Body string
}

func (b *browser) do(method, target string, form url.Values) page {
	b.e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for name, value := range b.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	if b.referer != "" {
		req.Header.Set("Referer", b.referer)
	}
	rec := httptest.NewRecorder()
	b.e.app.ServeHTTP(rec, req)
	resp := rec.Result()
	for _, c := range resp.Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c.Value
		}
	}
	p := page{Response: resp, Body: rec.Body.String()}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		b.last = p.Body
	}
	return p
}

func (b *browser) get(target string) page { return b.do(http.MethodGet, target, nil) }

// submit posts form with the CSRF token of the last page, as the page's
// form would.
func (b *browser) submit(target string, form url.Values) page {
	b.e.t.Helper()
	token := csrfOf(b.last)
	if token == "" {
		b.e.t.Fatalf("no CSRF token on the last page")
	}
	form.Set(csrfField, token)
	return b.do(http.MethodPost, target, form)
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func csrfOf(body string) string {
	if m := csrfInput.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

func wantStatus(t testing.TB, p page, want int) {
	t.Helper()
	if p.StatusCode != want {
		t.Fatalf("status %d, want %d; body:\n%s", p.StatusCode, want, p.Body)
	}
}

func wantBody(t testing.TB, p page, parts ...string) {
	t.Helper()
	for _, s := range parts {
		if !strings.Contains(p.Body, s) {
			t.Errorf("page lacks %q; body:\n%s", s, p.Body)
		}
	}
}

// errInternal stands for a failure whose text must never reach a page.
var errInternal = errorString("db is on fire: pq: connection refused")

type errorString string

func (e errorString) Error() string { return string(e) }

func cookieNamed(p page, name string) *http.Cookie {
	for _, c := range p.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func invalid(location, msg string) error { return shortener.Invalid(location, msg, nil) }

func joinInvalid(errs ...error) error { return shortener.JoinInvalid(errs...) }

func conflict(msg string) error { return shortener.Errorf(shortener.ECONFLICT, "%s", msg) }

func httptestRecorder(h http.Handler, target string) int {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec.Code
}
