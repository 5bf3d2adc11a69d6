package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestLogin(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	wantStatus(t, b.get("/app/login"), http.StatusOK)

	p := b.submit("/app/login", url.Values{"email": {alice.Email}, "password": {"wrong"}})
	wantStatus(t, p, http.StatusUnauthorized)
	wantBody(t, p, `role="alert"><p>Incorrect email or password.</p>`, `value="alice@example.com"`)
	if strings.Contains(p.Body, `value="wrong"`) {
		t.Error("the password was echoed back")
	}
	if _, ok := b.cookies[sessionCookie]; ok {
		t.Error("a failed login set a session")
	}

	seedBefore := b.cookies[csrfCookie]
	p = b.submit("/app/login", url.Values{"email": {alice.Email}, "password": {"Secret123"}})
	wantStatus(t, p, http.StatusSeeOther)
	if got := p.Header.Get("Location"); got != "/app" {
		t.Errorf("redirected to %q, want /app", got)
	}
	c := cookieNamed(p, sessionCookie)
	if c == nil || c.Value != "tok-1" || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" ||
		c.Secure || c.MaxAge != 30*24*3600 {
		t.Errorf("session cookie %+v", c)
	}
	if b.cookies[csrfCookie] == seedBefore {
		t.Error("the CSRF seed survived the log-in")
	}
	if ip := e.sessions.clients[1].IP; ip != "192.0.2.1" {
		t.Errorf("session started for client IP %q", ip)
	}
	wantStatus(t, b.get("/app"), http.StatusOK)
	// Signed in, the login page sends one on.
	if p := b.get("/app/login"); p.StatusCode != http.StatusSeeOther {
		t.Errorf("login page while signed in: %d", p.StatusCode)
	}
}

func TestSecureCookiesOverHTTPS(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.BaseURL = "https://sho.rt" })
	b := e.browser()
	p := b.get("/app/login")
	if c := cookieNamed(p, csrfCookie); c == nil || !c.Secure || !c.HttpOnly {
		t.Errorf("csrf cookie %+v, want Secure and HttpOnly", c)
	}
	p = b.submit("/app/login", url.Values{"email": {alice.Email}, "password": {"Secret123"}})
	if c := cookieNamed(p, sessionCookie); c == nil || !c.Secure {
		t.Errorf("session cookie %+v, want Secure", c)
	}
}

func TestLoginRateLimited(t *testing.T) {
	e := newEnv(t)
	e.limiter.refuse[classLogin] = 41500 * time.Millisecond
	b := e.browser()
	b.get("/app/login")
	p := b.submit("/app/login", url.Values{"email": {alice.Email}, "password": {"Secret123"}})
	wantStatus(t, p, http.StatusTooManyRequests)
	if got := p.Header.Get("Retry-After"); got != "42" {
		t.Errorf("Retry-After %q, want 42", got)
	}
	if l, rem, reset := p.Header.Get("RateLimit-Limit"), p.Header.Get("RateLimit-Remaining"), p.Header.Get("RateLimit-Reset"); l != "10" || rem != "0" || reset != "42" {
		t.Errorf("RateLimit-Limit %q Remaining %q Reset %q, want 10, 0 and 42", l, rem, reset)
	}
	wantBody(t, p, "Too many requests; try again in 42 seconds.", `value="alice@example.com"`, `action="/app/login"`)
	if n := e.sessions.count("Start"); n != 0 {
		t.Errorf("Start called %d times past the limit", n)
	}
	want := limitCall{Class: classLogin}
	want.IP = e.limiter.calls()[0].IP
	if got := e.limiter.calls(); !slices.Equal(got, []limitCall{want}) || !want.IP.IsValid() {
		t.Errorf("limiter asked %+v, want one login call for the client IP", got)
	}
}

func TestSignup(t *testing.T) {
	e := newEnv(t)
	e.sessions.passwords["new@example.com"] = "Secret123"
	b := e.browser()
	b.get("/app/signup?next=%2Fapp%2Faccount")
	p := b.submit("/app/signup", url.Values{"email": {"new@example.com"}, "password": {"Secret123"}, "full_name": {"New"}, "next": {"/app/account"}})
	wantStatus(t, p, http.StatusSeeOther)
	if got := p.Header.Get("Location"); got != "/app/account" {
		t.Errorf("redirected to %q", got)
	}
	if b.cookies[sessionCookie] == "" {
		t.Error("no session after sign-up")
	}
	if got := e.limiter.calls(); len(got) != 1 || got[0].Class != classRegister {
		t.Errorf("limiter asked %+v, want one register call", got)
	}
}

func TestSignupErrors(t *testing.T) {
	e := newEnv(t)
	e.accounts.registerErr = joinInvalid(
		invalid("body.email", "email must contain exactly one @"),
		invalid("body.password", "password must contain a digit"),
	)
	b := e.browser()
	b.get("/app/signup")
	p := b.submit("/app/signup", url.Values{"email": {"nobody"}, "password": {"weak"}, "full_name": {"N"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantBody(t, p, `id="email-error">Email must contain exactly one @.</p>`,
		`id="password-error">Password must contain a digit.</p>`, `value="nobody"`, `value="N"`,
		`aria-invalid="true" aria-describedby="email-error"`)

	e.accounts.registerErr = conflict("An account with this email already exists.")
	p = b.submit("/app/signup", url.Values{"email": {"alice@example.com"}, "password": {"Secret123"}})
	wantStatus(t, p, http.StatusConflict)
	wantBody(t, p, `id="email-error">An account with this email already exists. Log in instead`)
}

func TestLogout(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn(alice)
	b.get("/app")
	p := b.submit("/app/logout", url.Values{})
	wantStatus(t, p, http.StatusSeeOther)
	if !slices.Equal(e.sessions.ended, []string{"sess-u-alice"}) {
		t.Errorf("ended %q, want the session revoked", e.sessions.ended)
	}
	if _, ok := b.cookies[sessionCookie]; ok {
		t.Error("session cookie kept after log-out")
	}
	wantBody(t, b.get("/"), "You are logged out.", `href="/app/login"`)
}
