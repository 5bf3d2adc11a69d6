package main

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shortener-dev/shortener/internal/testenv"
)

var generatedCodeRE = regexp.MustCompile(`^[A-Za-z0-9]{7}$`)

// alias returns a fresh valid alias.
func alias(prefix string) string { return testenv.RandomName(prefix) }

// TestE2ELinkCreate covers POST /api/v1/urls.
func TestE2ELinkCreate(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		acct := srv.newAccount(t)

		t.Run("anonymous", func(t *testing.T) {
			l := srv.link(t, "", "https://example.com/anon")
			if l["owner_id"] != nil {
				t.Errorf("anonymous link owner_id = %v, want null", l["owner_id"])
			}
			if !generatedCodeRE.MatchString(str(l["short_code"])) {
				t.Errorf("generated code %q, want 7 base62 characters", l["short_code"])
			}
			if l["custom_alias"] != nil {
				t.Errorf("custom_alias = %v, want null", l["custom_alias"])
			}
			if l["original_url"] != "https://example.com/anon" || l["is_active"] != true || l["expires_at"] != nil {
				t.Errorf("link %v", l)
			}
			if integer(t, "click_count", l["click_count"]) != 0 {
				t.Errorf("click_count %v, want 0", l["click_count"])
			}
			// Codes are distinct.
			seen := map[string]bool{str(l["short_code"]): true}
			for range 20 {
				c := str(srv.link(t, "", "https://example.com/anon")["short_code"])
				if seen[c] || !generatedCodeRE.MatchString(c) {
					t.Fatalf("code %q repeated or malformed", c)
				}
				seen[c] = true
			}
		})
		t.Run("all fields", func(t *testing.T) {
			a := alias("all-")
			exp := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
			l := srv.createLink(t, acct.access, map[string]any{
				"original_url": "https://example.com/all?x=1", "custom_alias": a, "title": "All fields",
				"expires_at": exp.Format(time.RFC3339), "is_public": false,
			})
			if l["short_code"] != a || l["custom_alias"] != a || l["title"] != "All fields" ||
				l["is_public"] != false || l["owner_id"] != acct.id() || l["original_url"] != "https://example.com/all?x=1" {
				t.Errorf("link %v does not echo the request", l)
			}
			if got := expectTimestamp(t, "expires_at", l["expires_at"]); !got.Equal(exp) {
				t.Errorf("expires_at %v, want %v", got, exp)
			}
			if l["short_url"] != e2eBaseURL+"/"+a {
				t.Errorf("short_url %v", l["short_url"])
			}
		})
		t.Run("alias rules", func(t *testing.T) {
			bad := []string{"ab", strings.Repeat("a", 51), "", "has space", "sl/ash", "dot.ted", "h\u00e9llo", "per%cent", "q?x",
				"API", "api", "Docs", "docs", "metrics", "healthz", "HEALTH", "static", "Admin", "login", "openapi.json", "favicon.ico", "robots.txt"}
			for _, a := range bad {
				r := srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://example.com/", "custom_alias": a}, withToken(acct.access))
				if r.Status != http.StatusUnprocessableEntity {
					t.Errorf("alias %q: %s, want 422", a, r)
					continue
				}
				expectValidation(t, r, "body.custom_alias")
			}
			for _, a := range []string{"a-" + alias(""), "abc", strings.Repeat("Z", 50), "A_b-9" + alias("")} {
				srv.createLink(t, acct.access, map[string]any{"original_url": "https://example.com/", "custom_alias": a})
			}
		})
		t.Run("alias taken is 409", func(t *testing.T) {
			a := alias("taken-")
			srv.createLink(t, "", map[string]any{"original_url": "https://example.com/1", "custom_alias": a})
			r := srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://example.com/2", "custom_alias": a}, withToken(acct.access))
			expectProblem(t, r, http.StatusConflict)
		})
		t.Run("alias equal to a generated code is 409", func(t *testing.T) {
			g := srv.link(t, "", "https://example.com/generated")
			r := srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://example.com/", "custom_alias": g["short_code"]})
			expectProblem(t, r, http.StatusConflict)
		})
		t.Run("timestamps are returned in UTC", func(t *testing.T) {
			l := srv.createLink(t, "", map[string]any{"original_url": "https://example.com/tz", "expires_at": "2099-01-01T12:00:00+02:00"})
			if l["expires_at"] != "2099-01-01T10:00:00Z" {
				t.Errorf("expires_at %v, want 2099-01-01T10:00:00Z", l["expires_at"])
			}
		})
		t.Run("aliases are case-sensitive", func(t *testing.T) {
			a := "MyLink" + alias("")
			upper := srv.createLink(t, acct.access, map[string]any{"original_url": "https://example.com/upper", "custom_alias": a})
			lower := srv.createLink(t, acct.access, map[string]any{"original_url": "https://example.com/lower", "custom_alias": strings.ToLower(a)})
			if upper["short_code"] == lower["short_code"] {
				t.Fatalf("codes %v and %v", upper["short_code"], lower["short_code"])
			}
			expectRedirect(t, srv.redirect(t, a), "https://example.com/upper")
			expectRedirect(t, srv.redirect(t, strings.ToLower(a)), "https://example.com/lower")
		})
		t.Run("expires_at in the past is 422", func(t *testing.T) {
			for _, ts := range []string{time.Now().Add(-time.Minute).UTC().Format(time.RFC3339), "2001-01-01T00:00:00Z"} {
				r := srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://example.com/", "expires_at": ts})
				expectValidation(t, r, "body.expires_at")
			}
			r := srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://example.com/", "expires_at": "tomorrow"})
			expectProblem(t, r, http.StatusUnprocessableEntity)
		})
		t.Run("title at most 255", func(t *testing.T) {
			r := srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://example.com/", "title": strings.Repeat("t", 256)})
			expectValidation(t, r, "body.title")
			l := srv.createLink(t, "", map[string]any{"original_url": "https://example.com/", "title": strings.Repeat("t", 255)})
			if len(str(l["title"])) != 255 {
				t.Errorf("title of %d characters", len(str(l["title"])))
			}
		})
		t.Run("unsafe URLs are 422", func(t *testing.T) {
			unsafe := []string{
				"http://localhost/", "http://LOCALHOST./", "http://foo.localhost/", "http://printer.local/", "http://db.internal/",
				"http://127.0.0.1/", "http://127.1/", "http://2130706433/", "http://0177.0.0.1/", "http://0x7f.0.0.1/", "http://0x7f000001/",
				"http://10.0.0.1/", "http://172.16.0.1/", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data",
				"http://100.64.0.1/", "http://0.0.0.0/", "http://224.0.0.1/", "http://255.255.255.255/",
				"http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://[fe80::1]/", "http://[fc00::1]/",
				"ftp://example.com/", "javascript:alert(1)", "http://user:pass@example.com/", "http://user@example.com/",
				"http://localhost:8000/x", "https://LOCALHOST:9999/", "https://localhost./y",
				"https://example.com/" + strings.Repeat("a", 2049-len("https://example.com/")),
				"", "not a url", "example.com/path", "http:///nohost", "//example.com/",
			}
			for _, u := range unsafe {
				r := srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": u})
				if r.Status != http.StatusUnprocessableEntity {
					t.Errorf("original_url %q: %s, want 422", u, r)
					continue
				}
				expectValidation(t, r, "body.original_url")
			}
		})
		t.Run("safe URLs are accepted", func(t *testing.T) {
			safe := []string{
				"http://172.32.0.1/", "https://xn--mnchen-3ya.de/", "https://example.com:8443/a?b=c#d",
				"https://example.com/" + strings.Repeat("a", 2048-len("https://example.com/")),
				"http://8.8.8.8/", "https://[2606:4700:4700::1111]/",
			}
			for _, u := range safe {
				l := srv.createLink(t, "", map[string]any{"original_url": u})
				if l["original_url"] != u {
					t.Errorf("original_url %q stored as %v", u, l["original_url"])
				}
			}
		})
	})
}

// TestE2ELinkReadList covers GET /api/v1/urls and GET /api/v1/urls/{id}.
func TestE2ELinkReadList(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		alice := srv.newAccount(t)
		bob := srv.newAccount(t)
		var created []string
		for i := range 3 {
			l := srv.createLink(t, alice.access, map[string]any{"original_url": "https://example.com/" + string(rune('a'+i)), "is_public": i != 1})
			created = append(created, str(l["id"]))
			time.Sleep(5 * time.Millisecond)
		}
		srv.link(t, bob.access, "https://example.com/bob")
		srv.link(t, "", "https://example.com/nobody")

		list := func(t *testing.T, acct *account, query string) map[string]any {
			t.Helper()
			r := srv.do(t, "GET", "/api/v1/urls"+query, nil, withToken(acct.access))
			expectJSON(t, r, http.StatusOK)
			return r.object(t)
		}
		ids := func(page map[string]any) []string {
			items, ok := page["items"].([]any)
			if !ok {
				t.Fatalf("items = %#v, want an array", page["items"])
			}
			var out []string
			for _, it := range items {
				l := it.(map[string]any)
				checkLinkShape(t, l)
				out = append(out, str(l["id"]))
			}
			return out
		}
		t.Run("auth required", func(t *testing.T) {
			expectUnauthorized(t, srv.do(t, "GET", "/api/v1/urls", nil))
		})
		t.Run("own links, newest first", func(t *testing.T) {
			p := list(t, alice, "")
			got := ids(p)
			want := []string{created[2], created[1], created[0]}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("items %v, want %v (own links, newest first)", got, want)
			}
			for k, v := range map[string]int{"total": 3, "page": 1, "size": 20, "pages": 1} {
				if integer(t, k, p[k]) != v {
					t.Errorf("%s = %v, want %d", k, p[k], v)
				}
			}
			if got := ids(list(t, bob, "")); len(got) != 1 {
				t.Errorf("bob sees %d links, want 1", len(got))
			}
		})
		t.Run("paging", func(t *testing.T) {
			p1 := list(t, alice, "?page=1&size=2")
			p2 := list(t, alice, "?page=2&size=2")
			if got := ids(p1); strings.Join(got, ",") != created[2]+","+created[1] {
				t.Errorf("page 1 %v", got)
			}
			if got := ids(p2); strings.Join(got, ",") != created[0] {
				t.Errorf("page 2 %v", got)
			}
			for k, v := range map[string]int{"total": 3, "page": 2, "size": 2, "pages": 2} {
				if integer(t, k, p2[k]) != v {
					t.Errorf("page 2 %s = %v, want %d", k, p2[k], v)
				}
			}
			r := srv.do(t, "GET", "/api/v1/urls?page=9&size=2", nil, withToken(alice.access))
			expectJSON(t, r, http.StatusOK)
			if !strings.Contains(strings.ReplaceAll(string(r.Body), " ", ""), `"items":[]`) {
				t.Errorf("%s: a page past the end must have \"items\": []", r)
			}
			p9 := r.object(t)
			if integer(t, "total", p9["total"]) != 3 || integer(t, "page", p9["page"]) != 9 {
				t.Errorf("page past the end %v", p9)
			}
			p100 := list(t, alice, "?size=100")
			if integer(t, "size", p100["size"]) != 100 || len(ids(p100)) != 3 {
				t.Errorf("size=100: %v", p100)
			}
		})
		t.Run("get by id", func(t *testing.T) {
			public, private := created[0], created[1]
			for name, opts := range map[string][]reqOpt{"anonymous": nil, "other user": {withToken(bob.access)}, "owner": {withToken(alice.access)}} {
				r := srv.do(t, "GET", "/api/v1/urls/"+public, nil, opts...)
				expectJSON(t, r, http.StatusOK)
				if l := r.object(t); l["id"] != public {
					t.Errorf("%s: got link %v", name, l["id"])
				}
			}
			expectJSON(t, srv.do(t, "GET", "/api/v1/urls/"+private, nil, withToken(alice.access)), http.StatusOK)
			expectProblem(t, srv.do(t, "GET", "/api/v1/urls/"+private, nil, withToken(bob.access)), http.StatusNotFound)
			expectProblem(t, srv.do(t, "GET", "/api/v1/urls/"+private, nil), http.StatusNotFound)
			for _, id := range []string{"not-a-uuid", "123", "00000000-0000-0000-0000-000000000000", strings.ToUpper(private) + "x"} {
				expectProblem(t, srv.do(t, "GET", "/api/v1/urls/"+id, nil, withToken(alice.access)), http.StatusNotFound)
			}
		})
	})
}
