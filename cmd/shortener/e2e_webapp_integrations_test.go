package main

import (
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// webBrowser is a cookie-keeping client of the web app.
type webBrowser struct {
	t      *testing.T
	srv    *testServer
	client *http.Client
	last   string      // the last page, for its CSRF token
	header http.Header // the last answer's headers
}

func (s *testServer) browser(t *testing.T) *webBrowser {
	jar, _ := cookiejar.New(nil)
	return &webBrowser{t: t, srv: s, client: &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *webBrowser) send(req *http.Request) (int, string) {
	b.t.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	b.header = resp.Header
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		b.last = string(body)
	}
	return resp.StatusCode, string(body)
}

func (b *webBrowser) get(path string) (int, string) {
	req, _ := http.NewRequest("GET", b.srv.url+path, nil)
	return b.send(req)
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// post submits a form with the CSRF token of the last page.
func (b *webBrowser) post(path string, form url.Values) (int, string) {
	b.t.Helper()
	m := csrfRE.FindStringSubmatch(b.last)
	if m == nil {
		b.t.Fatalf("no CSRF token on the last page")
	}
	form.Set("csrf_token", html.UnescapeString(m[1]))
	req, _ := http.NewRequest("POST", b.srv.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.send(req)
}

func (b *webBrowser) logIn(acct *account) {
	b.t.Helper()
	b.get("/app/login")
	if status, body := b.post("/app/login", url.Values{"email": {acct.email}, "password": {acct.password}}); status != http.StatusSeeOther {
		b.t.Fatalf("log in: %d %s", status, body)
	}
}

var (
	pageKeyRE    = regexp.MustCompile(`id="new-key"[^>]*value="(shk_[0-9A-Za-z]+)"`)
	pageSecretRE = regexp.MustCompile(`id="new-secret"[^>]*value="(whsec_[^"]+)"`)
	pageHookRE   = regexp.MustCompile(`href="/app/webhooks/([0-9a-f-]{36})"`)
)

// TestE2EWebAppKeysAndWebhooks: the web app makes a key that the API
// takes, revokes it, and adds a webhook whose test ping reaches the
// receiver and shows in the page's deliveries log.
func TestE2EWebAppKeysAndWebhooks(t *testing.T) {
	srv := startServer(t, "embedded", allowPrivateHooks)
	acct := srv.newAccount(t)
	b := srv.browser(t)
	b.logIn(acct)

	b.get("/app/keys")
	status, body := b.post("/app/keys", url.Values{"name": {"from the web"}, "scopes": {"links:read"}})
	m := pageKeyRE.FindStringSubmatch(body)
	if status != http.StatusOK || m == nil {
		t.Fatalf("create key: %d, key shown: %v", status, m)
	}
	key := m[1]
	expectJSON(t, srv.do(t, "GET", "/api/v1/urls", nil, withHeader("X-API-Key", key)), http.StatusOK)
	if _, again := b.get("/app/keys"); strings.Contains(again, key) {
		t.Error("the key is shown again")
	}
	id := regexp.MustCompile(`action="/app/keys/([0-9a-f-]{36})/revoke"`).FindStringSubmatch(b.last)
	if id == nil {
		t.Fatal("no revoke form")
	}
	if status, _ := b.post("/app/keys/"+id[1]+"/revoke", url.Values{"confirmed": {"yes"}}); status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", status)
	}
	expectUnauthorized(t, srv.do(t, "GET", "/api/v1/urls", nil, withHeader("X-API-Key", key)))

	recv := newHookReceiver(t)
	b.get("/app/webhooks")
	status, body = b.post("/app/webhooks", url.Values{"url": {recv.url()}, "events": {"link.created"}})
	secret, hook := pageSecretRE.FindStringSubmatch(body), pageHookRE.FindStringSubmatch(body)
	if status != http.StatusOK || secret == nil || hook == nil {
		t.Fatalf("create webhook: %d, secret %v, link %v", status, secret, hook)
	}
	recv.setSecret(html.UnescapeString(secret[1]))
	b.get("/app/webhooks/" + hook[1])
	if status, _ := b.post("/app/webhooks/"+hook[1]+"/test", url.Values{}); status != http.StatusSeeOther {
		t.Fatalf("ping: %d", status)
	}
	waitFor(t, "the ping", func() bool { return len(recv.received("ping")) == 1 })
	if err := recv.received("ping")[0].Verified; err != nil {
		t.Errorf("ping signature: %v", err)
	}
	waitFor(t, "the ping in the deliveries log", func() bool {
		_, page := b.get("/app/webhooks/" + hook[1])
		return strings.Contains(page, "Delivered") && strings.Contains(page, "ping")
	})
}
