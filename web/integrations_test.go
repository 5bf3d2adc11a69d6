package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func integrationsEnv(t *testing.T) (*env, *fakeKeys, *fakeWebhooks) {
	k, w := &fakeKeys{}, &fakeWebhooks{}
	return newEnv(t, withIntegrations(k, w)), k, w
}

func TestKeysPageShowsANewKeyOnce(t *testing.T) {
	e, keys, _ := integrationsEnv(t)
	b := e.signedIn(alice)
	p := b.get("/app/keys")
	wantStatus(t, p, http.StatusOK)
	wantBody(t, p, `name="scopes" value="links:read" checked`, `value="webhooks:write"`, "You have no API keys yet", `href="/app/keys" aria-current="page"`)

	p = b.submit("/app/keys", url.Values{"name": {"CRM sync"}, "scopes": {"links:read", "analytics:read"}})
	wantStatus(t, p, http.StatusOK)
	wantBody(t, p, `value="`+fakeKeyValue+`"`, `data-copy="`+fakeKeyValue+`"`, "shown only this once", "CRM sync", "shk_01234567…")
	if got := keys.scopes; len(got) != 2 || got[1] != "analytics:read" {
		t.Errorf("scopes sent: %v", got)
	}
	if cc := p.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q on the page with the key", cc)
	}
	for _, c := range p.Cookies() {
		if strings.Contains(c.Value, fakeKeyValue) {
			t.Errorf("the key is in cookie %s", c.Name)
		}
	}
	if again := b.get("/app/keys"); strings.Contains(again.Body, fakeKeyValue) {
		t.Error("the key is shown again")
	}

	p = b.submit("/app/keys", url.Values{"name": {""}, "scopes": {"links:read", "nope"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantBody(t, p, `id="scopes-error"`, `id="name-error"`, `value="links:read" checked`)
}

func TestKeysRevokeAsksFirst(t *testing.T) {
	e, keys, _ := integrationsEnv(t)
	b := e.signedIn(alice)
	b.get("/app/keys")
	b.submit("/app/keys", url.Values{"name": {"old"}, "scopes": {"links:read"}})
	id := keys.keys[0].ID
	p := b.submit("/app/keys/"+id+"/revoke", url.Values{})
	wantStatus(t, p, http.StatusOK)
	wantBody(t, p, "Revoke this API key?", `<p class="item-name"><strong>old (`+keys.keys[0].Prefix+`…)</strong></p>`, `name="confirmed" value="yes"`)
	if keys.count("RevokeKey") != 0 {
		t.Fatal("revoked without confirmation")
	}
	p = b.submit("/app/keys/"+id+"/revoke", url.Values{"confirmed": {"yes"}})
	wantStatus(t, p, http.StatusSeeOther)
	if len(keys.revoked) != 1 || keys.revoked[0] != id {
		t.Fatalf("revoked %v", keys.revoked)
	}
	wantBody(t, b.get("/app/keys"), "API key revoked")

	// Bob cannot revoke Alice's key; a form without its CSRF token does nothing.
	b.submit("/app/keys", url.Values{"name": {"mine"}, "scopes": {"links:read"}})
	bob := e.signedIn(bob)
	bob.get("/app/keys")
	wantStatus(t, bob.submit("/app/keys/"+keys.keys[0].ID+"/revoke", url.Values{"confirmed": {"yes"}}), http.StatusNotFound)
	wantStatus(t, bob.submit("/app/keys/"+keys.keys[0].ID+"/revoke", url.Values{}), http.StatusNotFound) // not asked either
	wantStatus(t, b.do(http.MethodPost, "/app/keys/"+keys.keys[0].ID+"/revoke", url.Values{"confirmed": {"yes"}}), http.StatusForbidden)
	if len(keys.revoked) != 1 {
		t.Errorf("revoked %v", keys.revoked)
	}
}

func TestWebhooksPages(t *testing.T) {
	e, _, hooks := integrationsEnv(t)
	b := e.signedIn(alice)
	p := b.get("/app/webhooks")
	wantStatus(t, p, http.StatusOK)
	wantBody(t, p, `value="link.clicked" checked`, "You have no webhooks yet")

	p = b.submit("/app/webhooks", url.Values{"url": {"hooks.example.com/in"}, "events": {"link.created", "link.clicked"}, "description": {"CRM"}})
	wantStatus(t, p, http.StatusOK)
	wantBody(t, p, `value="`+fakeSecret+`"`, "shown only this once", `data-copy="`+fakeSecret+`"`, "https://hooks.example.com/in")
	id := hooks.hooks[0].ID
	if again := b.get("/app/webhooks"); strings.Contains(again.Body, fakeSecret) {
		t.Error("the secret is shown again")
	}

	p = b.submit("/app/webhooks", url.Values{"url": {"http://127.0.0.1/"}, "events": {"link.created", "link.exploded"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantBody(t, p, `id="url-error"`, `id="events-error"`, `value="http://127.0.0.1/"`)

	p = b.get("/app/webhooks/" + id)
	wantStatus(t, p, http.StatusOK)
	wantBody(t, p, "Send a test ping", "Delivered", "Failed", "HTTP 500: &lt;b&gt;down&lt;/b&gt;", `title="webhook-id evt-1"`)

	wantStatus(t, b.submit("/app/webhooks/"+id+"/test", url.Values{}), http.StatusSeeOther)
	if len(hooks.pinged) != 1 {
		t.Fatal("no ping queued")
	}
	wantBody(t, b.get("/app/webhooks/"+id), "Test ping queued")

	p = b.submit("/app/webhooks/"+id+"/edit", url.Values{"url": {"https://hooks.example.com/v2"}, "events": {"link.deleted"}, "description": {"CRM v2"}})
	wantStatus(t, p, http.StatusSeeOther)
	u := hooks.updates[0]
	if *u.URL != "https://hooks.example.com/v2" || (*u.Events)[0] != "link.deleted" || *u.IsActive {
		t.Errorf("update %+v (an unchecked Active box disables the endpoint)", u)
	}
	b.get("/app/webhooks/" + id)
	p = b.submit("/app/webhooks/"+id+"/edit", url.Values{"url": {"https://hooks.example.com/v2"}, "is_active": {"true"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantBody(t, p, `id="events-error"`, "<details class=\"card\" open>")

	bob := e.signedIn(bob)
	wantStatus(t, bob.get("/app/webhooks/"+id), http.StatusNotFound)
	bob.get("/app/webhooks")
	wantStatus(t, bob.submit("/app/webhooks/"+id+"/delete", url.Values{}), http.StatusNotFound) // not asked either

	b.get("/app/webhooks/" + id)
	wantStatus(t, b.submit("/app/webhooks/"+id+"/delete", url.Values{}), http.StatusOK)
	wantStatus(t, b.submit("/app/webhooks/"+id+"/delete", url.Values{"confirmed": {"yes"}}), http.StatusSeeOther)
	if hooks.count("Delete") != 1 {
		t.Error("not deleted")
	}
}

func TestIntegrationPagesNeedASession(t *testing.T) {
	e, _, _ := integrationsEnv(t)
	for _, path := range []string{"/app/keys", "/app/webhooks", "/app/webhooks/0190a0f4-0000-7000-8000-000000000001"} {
		p := e.browser().get(path)
		if p.StatusCode != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/app/login") {
			t.Errorf("%s signed out: %d %s", path, p.StatusCode, p.Header.Get("Location"))
		}
	}
	// Without the services the pages and their nav links are not there.
	plain := newEnv(t).signedIn(alice)
	wantStatus(t, plain.get("/app/keys"), http.StatusNotFound)
	if body := plain.get("/app").Body; strings.Contains(body, "/app/keys") || strings.Contains(body, "/app/webhooks") {
		t.Error("nav links to pages that are not there")
	}
}

func TestIntegrationPagesAreLabelled(t *testing.T) {
	e, keys, hooks := integrationsEnv(t)
	b := e.signedIn(alice)
	b.get("/app/keys")
	created := b.submit("/app/keys", url.Values{"name": {"k"}, "scopes": {"links:read"}}).Body
	b.get("/app/webhooks")
	hookCreated := b.submit("/app/webhooks", url.Values{"url": {"https://hooks.example.com/"}, "events": {"link.created"}}).Body
	_ = keys
	pages := map[string]string{
		"keys": created, "webhooks": hookCreated, "webhook": b.get("/app/webhooks/" + hooks.hooks[0].ID).Body,
		"confirm": b.submit("/app/webhooks/"+hooks.hooks[0].ID+"/delete", url.Values{}).Body,
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
		if strings.Contains(body, "<script>") || strings.Contains(body, " style=") || strings.Contains(body, "<style") {
			t.Errorf("%s has inline script or style", name)
		}
		for _, m := range buttonTag.FindAllStringSubmatch(body, -1) {
			if strings.TrimSpace(m[1]) == "" {
				t.Errorf("%s: an empty button", name)
			}
		}
	}
	p := b.get("/app/keys")
	if csp := p.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
}
