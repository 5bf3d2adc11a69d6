package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shortener-dev/shortener"
)

// withHost sends the request as if to host (the Host header).
func withHost(host string) reqOpt {
	return func(r *http.Request) { r.Host = host }
}

// addDomain adds a domain as admin and returns it.
func (s *testServer) addDomain(t *testing.T, admin *account, body map[string]any) map[string]any {
	t.Helper()
	r := s.do(t, "POST", "/api/v1/domains", body, withToken(admin.access))
	expectJSON(t, r, http.StatusCreated)
	return r.object(t)
}

// domainLink creates a link with alias code to target on domain (a host;
// "" for the default).
func (s *testServer) domainLink(t *testing.T, token, domain, code, target string) map[string]any {
	t.Helper()
	body := map[string]any{"original_url": target, "custom_alias": code}
	if domain != "" {
		body["domain"] = domain
	}
	r := s.do(t, "POST", "/api/v1/urls", body, withToken(token))
	expectJSON(t, r, http.StatusCreated)
	return r.object(t)
}

// TestE2EDomains: the API of domains, and what a domain changes for links
// and the redirect, on both backends.
func TestE2EDomains(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		admin, user := srv.newAccount(t), srv.newAccount(t)
		srv.promote(t, admin)
		host := alias("go") + ".example"

		t.Run("the default domain is listed", func(t *testing.T) {
			r := srv.do(t, "GET", "/api/v1/domains", nil, withToken(user.access))
			expectJSON(t, r, http.StatusOK)
			items := r.object(t)["items"].([]any)
			def := items[0].(map[string]any)
			if def["host"] != "localhost" || def["is_default"] != true || def["not_found_url"] != nil {
				t.Fatalf("default domain %v", def)
			}
			expectUnauthorized(t, srv.do(t, "GET", "/api/v1/domains", nil))
		})
		t.Run("writes need an admin's access token", func(t *testing.T) {
			body := map[string]any{"host": "nope.example"}
			expectProblem(t, srv.do(t, "POST", "/api/v1/domains", body, withToken(user.access)), http.StatusForbidden)
			key := srv.newKey(t, admin, "links:read", "links:write")
			expectProblem(t, srv.do(t, "POST", "/api/v1/domains", body, withToken(key)), http.StatusForbidden)
			expectJSON(t, srv.do(t, "GET", "/api/v1/domains", nil, withToken(key)), http.StatusOK)
		})

		d := srv.addDomain(t, admin, map[string]any{"host": " " + strings.ToUpper(host) + ". "})
		if d["host"] != host || d["is_default"] != false || !uuidRE.MatchString(str(d["id"])) {
			t.Fatalf("created domain %v", d)
		}
		t.Run("one domain is read where its create says", func(t *testing.T) {
			// The create's Location, as for links and webhooks.
			created := srv.do(t, "POST", "/api/v1/domains", map[string]any{"host": alias("loc") + ".example"}, withToken(admin.access))
			expectJSON(t, created, http.StatusCreated)
			loc := created.Header.Get("Location")
			if loc != "/api/v1/domains/"+str(created.object(t)["id"]) {
				t.Fatalf("Location %q for %v", loc, created.object(t))
			}
			r := srv.do(t, "GET", "/api/v1/domains/"+strings.ToUpper(str(d["id"])), nil, withToken(user.access))
			expectJSON(t, r, http.StatusOK)
			if got := r.object(t); got["id"] != d["id"] || got["host"] != host || got["is_default"] != false {
				t.Fatalf("GET one domain: %v, want %v", got, d)
			}
			key := srv.newKey(t, user, "links:read")
			expectJSON(t, srv.do(t, "GET", loc, nil, withToken(key)), http.StatusOK)
			expectProblem(t, srv.do(t, "GET", loc, nil, withToken(srv.newKey(t, user, "analytics:read"))), http.StatusForbidden)
			expectUnauthorized(t, srv.do(t, "GET", loc, nil))
			expectProblem(t, srv.do(t, "GET", "/api/v1/domains/"+shortener.NewID(), nil, withToken(user.access)), http.StatusNotFound)
			expectProblem(t, srv.do(t, "GET", "/api/v1/domains/nope", nil, withToken(user.access)), http.StatusNotFound)
		})
		t.Run("host rules", func(t *testing.T) {
			expectProblem(t, srv.do(t, "POST", "/api/v1/domains", map[string]any{"host": host}, withToken(admin.access)), http.StatusConflict)
			expectProblem(t, srv.do(t, "POST", "/api/v1/domains", map[string]any{"host": "localhost"}, withToken(admin.access)), http.StatusUnprocessableEntity)
			for _, bad := range []string{"go.example:8080", "https://go.example", "go.example/x", "10.0.0.1", "-x.example", ""} {
				expectValidation(t, srv.do(t, "POST", "/api/v1/domains", map[string]any{"host": bad}, withToken(admin.access)), "body.host")
			}
		})

		t.Run("a Unicode domain in either spelling", func(t *testing.T) {
			uni := alias("bü") + ".example"
			d := srv.addDomain(t, admin, map[string]any{"host": strings.ToUpper(uni)})
			ascii := str(d["host"])
			if !strings.HasPrefix(ascii, "xn--") {
				t.Fatalf("domain %s stored as %s, want punycode", uni, ascii)
			}
			l := srv.domainLink(t, user.access, uni+".", alias("u"), "https://example.com/u")
			if l["domain"] != ascii {
				t.Fatalf("link on %s: domain %v, want %s", uni, l["domain"], ascii)
			}
			expectJSON(t, srv.do(t, "GET", "/api/v1/urls?domain="+url.QueryEscape(uni), nil, withToken(user.access)), http.StatusOK)
			for _, target := range []string{"https://" + uni + "/", "https://" + ascii + "/x"} {
				expectValidation(t, srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": target}, withToken(user.access)), "body.original_url")
			}
			expectValidation(t, srv.do(t, "POST", "/api/v1/domains", map[string]any{"host": alias("loop") + ".example", "not_found_url": "https://" + host + "/x"},
				withToken(admin.access)), "body.not_found_url")
		})
		t.Run("the same code on two domains goes to two targets", func(t *testing.T) {
			code := alias("same")
			srv.domainLink(t, user.access, "", code, "https://example.com/default")
			l := srv.domainLink(t, user.access, host, code, "https://example.com/other")
			if l["domain"] != host || l["short_url"] != "http://"+host+"/"+code {
				t.Fatalf("link on %s: %v", host, l)
			}
			expectProblem(t, srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://example.com/x", "custom_alias": code, "domain": host},
				withToken(user.access)), http.StatusConflict)
			expectRedirect(t, srv.redirect(t, code), "https://example.com/default")
			expectRedirect(t, srv.redirect(t, code, withHost("localhost:8000")), "https://example.com/default")
			expectRedirect(t, srv.redirect(t, code, withHost(strings.ToUpper(host)+".:8443")), "https://example.com/other")
			// An unknown host is the default domain.
			expectRedirect(t, srv.redirect(t, code, withHost("unknown.example")), "https://example.com/default")

			list := srv.do(t, "GET", "/api/v1/urls?domain="+host, nil, withToken(user.access))
			expectJSON(t, list, http.StatusOK)
			if items := list.object(t)["items"].([]any); len(items) != 1 || items[0].(map[string]any)["domain"] != host {
				t.Fatalf("links on %s: %v", host, items)
			}
			expectValidation(t, srv.do(t, "GET", "/api/v1/urls?domain=nope.example", nil, withToken(user.access)), "query.domain")

			qr := srv.do(t, "GET", "/api/v1/qr/"+code+"?domain="+host+"&format=svg", nil)
			expectStatus(t, qr, http.StatusOK)
			def := srv.do(t, "GET", "/api/v1/qr/"+code+"?format=svg", nil)
			if string(qr.Body) == string(def.Body) {
				t.Errorf("the QR codes of %s on two domains are the same", code)
			}
			expectProblem(t, srv.do(t, "GET", "/api/v1/qr/"+code+"?domain=nope.example", nil), http.StatusNotFound)
			expectJSON(t, srv.do(t, "GET", "/api/v1/analytics/"+code+"/summary?domain="+host, nil, withToken(user.access)), http.StatusOK)
		})

		t.Run("export and import carry the domain", func(t *testing.T) {
			other := srv.newAccount(t)
			code := alias("csv")
			srv.domainLink(t, other.access, host, code, "https://example.com/csv")
			recs := srv.exportCSV(t, other.access, "?domain="+host)
			if len(recs) != 2 || recs[1][0] != code || recs[1][10] != host || recs[1][1] != "http://"+host+"/"+code {
				t.Fatalf("export of the domain %v", recs)
			}
			if recs := srv.exportCSV(t, other.access, ""); len(recs) != 2 {
				t.Errorf("export without a domain filter: %v", recs)
			}
			imported := alias("imp")
			r := srv.importCSV(t, other.access, "", "original_url,custom_alias,domain\nhttps://example.com/imp,"+imported+","+host+
				"\nhttps://example.com/bad,"+alias("bad")+",nope.example\n")
			expectJSON(t, r, http.StatusOK)
			if o := r.object(t); fmt.Sprintf("%v %v", o["created"], o["failed"]) != "1 1" {
				t.Fatalf("import %s", r)
			}
			expectRedirect(t, srv.redirect(t, imported, withHost(host)), "https://example.com/imp")
			expectProblem(t, srv.redirect(t, imported), http.StatusNotFound)
		})

		t.Run("a link moves where its code is free", func(t *testing.T) {
			taken := alias("taken")
			srv.domainLink(t, user.access, host, taken, "https://example.com/t1")
			l := srv.domainLink(t, user.access, "", taken, "https://example.com/t2")
			r := srv.do(t, "PATCH", "/api/v1/urls/"+str(l["id"]), map[string]any{"domain": host}, withToken(user.access))
			expectProblem(t, r, http.StatusConflict)
			free := srv.domainLink(t, user.access, "", alias("free"), "https://example.com/free")
			code := str(free["short_code"])
			expectRedirect(t, srv.redirect(t, code), "https://example.com/free")
			r = srv.do(t, "PATCH", "/api/v1/urls/"+str(free["id"]), map[string]any{"domain": host}, withToken(user.access))
			expectJSON(t, r, http.StatusOK)
			if r.object(t)["domain"] != host {
				t.Fatalf("moved link %s", r)
			}
			expectRedirect(t, srv.redirect(t, code, withHost(host)), "https://example.com/free")
			expectProblem(t, srv.redirect(t, code), http.StatusNotFound)
		})

		t.Run("original_url and webhook endpoints may not point to a domain", func(t *testing.T) {
			r := srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://" + host + "/x"}, withToken(user.access))
			expectValidation(t, r, "body.original_url")
			r = srv.do(t, "POST", "/api/v1/webhooks", map[string]any{"url": "https://" + host + "/hook", "events": []string{"link.created"}},
				withToken(user.access))
			expectValidation(t, r, "body.url")
		})

		t.Run("not_found_url and root_url", func(t *testing.T) {
			missing := alias("missing")
			expectProblem(t, srv.redirect(t, missing, withHost(host)), http.StatusNotFound)
			expectProblem(t, srv.do(t, "GET", "/app/login", nil, withHost(host)), http.StatusNotFound)
			r := srv.do(t, "PATCH", "/api/v1/domains/"+str(d["id"]), map[string]any{
				"not_found_url": "https://example.com/not-found", "root_url": "https://example.com/home"}, withToken(admin.access))
			expectJSON(t, r, http.StatusOK)
			expectRedirect(t, srv.redirect(t, missing, withHost(host)), "https://example.com/not-found")
			expectRedirect(t, srv.do(t, "GET", "/", nil, withHost(host)), "https://example.com/home")
			// The default domain is untouched.
			expectProblem(t, srv.redirect(t, missing), http.StatusNotFound)
			expectStatus(t, srv.do(t, "GET", "/", nil), http.StatusOK)
			expectValidation(t, srv.do(t, "PATCH", "/api/v1/domains/"+str(d["id"]), map[string]any{"root_url": "https://" + host + "/"},
				withToken(admin.access)), "body.root_url")
			r = srv.do(t, "PATCH", "/api/v1/domains/"+str(d["id"]), map[string]any{"not_found_url": nil}, withToken(admin.access))
			expectJSON(t, r, http.StatusOK)
			expectProblem(t, srv.redirect(t, missing, withHost(host)), http.StatusNotFound)
		})

		t.Run("the default domain", func(t *testing.T) {
			list := srv.do(t, "GET", "/api/v1/domains", nil, withToken(admin.access))
			def := list.object(t)["items"].([]any)[0].(map[string]any)
			id := str(def["id"])
			expectProblem(t, srv.do(t, "DELETE", "/api/v1/domains/"+id, nil, withToken(admin.access)), http.StatusConflict)
			expectProblem(t, srv.do(t, "PATCH", "/api/v1/domains/"+id, map[string]any{"host": "other.example"}, withToken(admin.access)), http.StatusConflict)
			r := srv.do(t, "PATCH", "/api/v1/domains/"+id, map[string]any{"root_url": "https://example.com/landing"}, withToken(admin.access))
			expectJSON(t, r, http.StatusOK)
			expectRedirect(t, srv.do(t, "GET", "/", nil), "https://example.com/landing")
			expectStatus(t, srv.do(t, "GET", "/app/login", nil), http.StatusOK)
			expectJSON(t, srv.do(t, "PATCH", "/api/v1/domains/"+id, map[string]any{"root_url": nil}, withToken(admin.access)), http.StatusOK)
			expectStatus(t, srv.do(t, "GET", "/", nil), http.StatusOK)
		})

		t.Run("deleting a domain in use is 409", func(t *testing.T) {
			expectProblem(t, srv.do(t, "DELETE", "/api/v1/domains/"+str(d["id"]), nil, withToken(admin.access)), http.StatusConflict)
			empty := srv.addDomain(t, admin, map[string]any{"host": alias("empty") + ".example"})
			expectProblem(t, srv.do(t, "DELETE", "/api/v1/domains/"+str(empty["id"]), nil, withToken(user.access)), http.StatusForbidden)
			expectStatus(t, srv.do(t, "DELETE", "/api/v1/domains/"+str(empty["id"]), nil, withToken(admin.access)), http.StatusNoContent)
			expectProblem(t, srv.do(t, "DELETE", "/api/v1/domains/"+str(empty["id"]), nil, withToken(admin.access)), http.StatusNotFound)
		})
	})
}

// TestE2EDomainsTwoInstances: a domain added on one instance serves on
// the other at once, and the same code on two domains goes to two targets
// on both.
func TestE2EDomainsTwoInstances(t *testing.T) {
	t.Parallel()
	a, b := startPair(t, nil)
	admin, user := a.newAccount(t), a.newAccount(t)
	a.promote(t, admin)
	code := alias("pair")
	a.domainLink(t, user.access, "", code, "https://example.com/default")
	// B has the miss cached before the domain exists.
	expectRedirect(t, b.redirect(t, code, withHost("pair.example")), "https://example.com/default")

	d := a.addDomain(t, admin, map[string]any{"host": "pair.example"})
	soon(t, "B takes links on the new domain", func() bool {
		r := b.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://example.com/other", "custom_alias": code,
			"domain": "pair.example"}, withToken(user.access))
		return r.Status == http.StatusCreated
	})
	for _, s := range []*testServer{a, b} {
		soon(t, "the new domain's link redirects", func() bool {
			return s.redirect(t, code, withHost("pair.example")).Header.Get("Location") == "https://example.com/other"
		})
		expectRedirect(t, s.redirect(t, code), "https://example.com/default")
	}
	expectJSON(t, b.do(t, "PATCH", "/api/v1/domains/"+str(d["id"]), map[string]any{"not_found_url": "https://example.com/nf"},
		withToken(admin.access)), http.StatusOK)
	soon(t, "A follows the new not_found_url", func() bool {
		return a.redirect(t, alias("nf"), withHost("pair.example")).Header.Get("Location") == "https://example.com/nf"
	})
	expectProblem(t, b.do(t, "DELETE", "/api/v1/domains/"+str(d["id"]), nil, withToken(admin.access)), http.StatusConflict)
}

// TestE2EDefaultDomainFollowsBaseURL: the default domain's host is
// BASE_URL's; when BASE_URL's host changes, the log says so with the old
// and the new host, and the default domain's links answer on the new one.
func TestE2EDefaultDomainFollowsBaseURL(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		acct := srv.newAccount(t)
		l := srv.link(t, acct.access, "https://example.com/before")
		srv.stop(t)
		env := make(map[string]string, len(srv.env))
		for k, v := range srv.env {
			env[k] = v
		}
		env["BASE_URL"] = "https://new-base.example"
		next := launch(t, srv.backend, env)
		waitFor(t, "the warning about BASE_URL's host", func() bool {
			logs := next.logs.String()
			return strings.Contains(logs, "BASE_URL's host changed") && strings.Contains(logs, "old_host=localhost") &&
				strings.Contains(logs, "new_host=new-base.example")
		})
		r := next.do(t, "GET", "/api/v1/urls/"+str(l["id"]), nil, withToken(acct.access))
		expectJSON(t, r, http.StatusOK)
		if got := r.object(t); got["domain"] != "new-base.example" || got["short_url"] != "https://new-base.example/"+str(l["short_code"]) {
			t.Fatalf("link after the change of BASE_URL: %v", got)
		}
		expectRedirect(t, next.redirect(t, str(l["short_code"])), "https://example.com/before")
	})
}
