package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// optJSON re-encodes a decoded JSON value (numbers as json.Number) so that
// options compare as the API wrote them.
func optJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// optExpectOptions checks the option fields of a Link object; want holds
// each field's expected JSON.
func optExpectOptions(t *testing.T, what string, l map[string]any, want map[string]string) {
	t.Helper()
	for k, w := range want {
		v, ok := l[k]
		if !ok {
			t.Errorf("%s: Link lacks %q: %v", what, k, l)
			continue
		}
		var got, exp any
		_ = json.Unmarshal([]byte(optJSON(t, v)), &got)
		if err := json.Unmarshal([]byte(w), &exp); err != nil {
			t.Fatalf("bad expectation %s: %v", w, err)
		}
		if !reflect.DeepEqual(got, exp) {
			t.Errorf("%s: %s = %s, want %s", what, k, optJSON(t, v), w)
		}
	}
	if _, ok := l["password"]; ok {
		t.Errorf("%s: the Link shows a password field: %v", what, l)
	}
}

// TestE2ELinkOptionsAPI: create and PATCH take every link option, the Link
// object shows them (has_password, never the password), null clears the
// nullable ones, and every bad value is a 422 at its location.
func TestE2ELinkOptionsAPI(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		acct := srv.newAccount(t)
		tok := withToken(acct.access)

		t.Run("defaults", func(t *testing.T) {
			l := srv.link(t, acct.access, "https://example.com/plain")
			optExpectOptions(t, "a plain link", l, map[string]string{
				"redirect_type": "302", "forward_query": "false", "valid_since": "null", "max_clicks": "null",
				"has_password": "false", "rules": "[]", "variants": "null",
			})
			// An anonymous link takes options too.
			anon := srv.createLink(t, "", map[string]any{"original_url": "https://example.com/anon", "redirect_type": 308})
			optExpectOptions(t, "an anonymous link", anon, map[string]string{"redirect_type": "308"})
		})

		t.Run("create with every option, PATCH each, null clears", func(t *testing.T) {
			const secret = "s3same-0pen"
			since := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
			r := srv.do(t, "POST", "/api/v1/urls", map[string]any{
				"original_url": "https://example.com/every", "redirect_type": 307, "forward_query": true,
				"valid_since": since.Format(time.RFC3339), "max_clicks": 5, "password": secret,
				"rules": []any{
					map[string]any{"url": "https://example.com/ios", "device": []string{"IOS", "ios"}, "language": []string{"DE"}},
					map[string]any{"url": "https://example.com/gb", "country": []string{"gb"}},
				},
				"variants": []any{
					map[string]any{"url": "https://example.com/a", "weight": 1},
					map[string]any{"url": "https://example.com/b", "weight": 3},
				},
			}, tok)
			expectJSON(t, r, http.StatusCreated)
			checkNoSecrets(t, r, secret)
			l := r.object(t)
			checkLinkShape(t, l)
			every := map[string]string{
				"redirect_type": "307", "forward_query": "true", "valid_since": `"` + since.Format(time.RFC3339) + `"`,
				"max_clicks": "5", "has_password": "true",
				// Normalised: devices and languages lower case, countries
				// upper case, duplicates dropped.
				"rules": `[{"url":"https://example.com/ios","device":["ios"],"language":["de"]},
					{"url":"https://example.com/gb","country":["GB"]}]`,
				"variants": `[{"url":"https://example.com/a","weight":1},{"url":"https://example.com/b","weight":3}]`,
			}
			optExpectOptions(t, "created", l, every)
			id := str(l["id"])
			// Reading it back shows the same, on a public read too.
			r = srv.do(t, "GET", "/api/v1/urls/"+id, nil, tok)
			expectJSON(t, r, http.StatusOK)
			checkNoSecrets(t, r, secret)
			optExpectOptions(t, "read back", r.object(t), every)

			// PATCH each option on its own: the others stay.
			later := time.Now().UTC().Add(-time.Minute).Truncate(time.Second)
			steps := []struct {
				body  map[string]any
				field string
				want  string
			}{
				{map[string]any{"redirect_type": 301}, "redirect_type", "301"},
				{map[string]any{"forward_query": false}, "forward_query", "false"},
				{map[string]any{"valid_since": later.Format(time.RFC3339)}, "valid_since", `"` + later.Format(time.RFC3339) + `"`},
				{map[string]any{"max_clicks": 7}, "max_clicks", "7"},
				{map[string]any{"password": "an0ther-one"}, "has_password", "true"},
				{map[string]any{"rules": []any{map[string]any{"url": "https://example.com/android", "device": []string{"android"}}}},
					"rules", `[{"url":"https://example.com/android","device":["android"]}]`},
				{map[string]any{"variants": []any{map[string]any{"url": "https://example.com/c", "weight": 100}, map[string]any{"url": "https://example.com/d", "weight": 1}}},
					"variants", `[{"url":"https://example.com/c","weight":100},{"url":"https://example.com/d","weight":1}]`},
			}
			for _, s := range steps {
				r := srv.do(t, "PATCH", "/api/v1/urls/"+id, s.body, tok)
				expectJSON(t, r, http.StatusOK)
				checkNoSecrets(t, r, "an0ther-one")
				every[s.field] = s.want
				optExpectOptions(t, fmt.Sprintf("after PATCH %v", s.body), r.object(t), every)
			}
			// The new password is the one that counts.
			expectProblem(t, srv.redirect(t, str(l["short_code"]), withHeader("X-Link-Password", secret)), http.StatusUnauthorized)
			r = srv.redirect(t, str(l["short_code"]), withHeader("X-Link-Password", "an0ther-one"))
			expectStatus(t, r, http.StatusMovedPermanently)

			// null clears each nullable option; [] clears the rules.
			l = srv.optPatch(t, acct.access, id, map[string]any{"valid_since": nil, "max_clicks": nil, "password": nil, "variants": nil, "rules": []any{}})
			optExpectOptions(t, "after clearing", l, map[string]string{
				"redirect_type": "301", "forward_query": "false", "valid_since": "null", "max_clicks": "null",
				"has_password": "false", "rules": "[]", "variants": "null",
			})
			optRedirect(t, srv.redirect(t, str(l["short_code"]), optHuman), http.StatusMovedPermanently, "https://example.com/every")
			// The options without a null refuse one.
			for _, f := range []string{"redirect_type", "forward_query"} {
				expectValidation(t, srv.do(t, "PATCH", "/api/v1/urls/"+id, map[string]any{f: nil}, tok), "body."+f)
			}
		})

		t.Run("422 at each bad value's location", func(t *testing.T) {
			base := func(extra map[string]any) map[string]any {
				b := map[string]any{"original_url": "https://example.com/bad"}
				for k, v := range extra {
					b[k] = v
				}
				return b
			}
			rule := func(url string, cond map[string]any) map[string]any {
				r := map[string]any{"url": url}
				for k, v := range cond {
					r[k] = v
				}
				return r
			}
			ios := map[string]any{"device": []string{"ios"}}
			variants := func(n, weight int) []any {
				out := make([]any, n)
				for i := range out {
					out[i] = map[string]any{"url": fmt.Sprintf("https://example.com/v%d", i), "weight": weight}
				}
				return out
			}
			manyRules := make([]any, 21)
			for i := range manyRules {
				manyRules[i] = rule(fmt.Sprintf("https://example.com/r%d", i), ios)
			}
			cases := []struct {
				name, location string
				body           map[string]any
			}{
				{"unsafe rule URL", "body.rules[1].url", base(map[string]any{"rules": []any{rule("https://example.com/ok", ios), rule("http://127.0.0.1/admin", ios)}})},
				{"rule without conditions", "body.rules[0]", base(map[string]any{"rules": []any{rule("https://example.com/r", nil)}})},
				{"rule with empty conditions", "body.rules[0]", base(map[string]any{"rules": []any{rule("https://example.com/r", map[string]any{"device": []string{}})}})},
				{"bad device", "body.rules[0].device[1]", base(map[string]any{"rules": []any{rule("https://example.com/r", map[string]any{"device": []string{"mobile", "watch"}})}})},
				{"bad country", "body.rules[0].country[0]", base(map[string]any{"rules": []any{rule("https://example.com/r", map[string]any{"country": []string{"Germany"}})}})},
				{"bad language", "body.rules[0].language[0]", base(map[string]any{"rules": []any{rule("https://example.com/r", map[string]any{"language": []string{"english"}})}})},
				{"21 rules", "body.rules", base(map[string]any{"rules": manyRules})},
				{"weight 0", "body.variants[0].weight", base(map[string]any{"variants": variants(2, 0)})},
				{"weight 101", "body.variants[1].weight", base(map[string]any{"variants": []any{variants(1, 1)[0], map[string]any{"url": "https://example.com/x", "weight": 101}}})},
				{"1 variant", "body.variants", base(map[string]any{"variants": variants(1, 1)})},
				{"11 variants", "body.variants", base(map[string]any{"variants": variants(11, 1)})},
				{"unsafe variant URL", "body.variants[1].url", base(map[string]any{"variants": []any{variants(1, 1)[0], map[string]any{"url": "http://169.254.169.254/latest", "weight": 1}}})},
				{"redirect_type 303", "body.redirect_type", base(map[string]any{"redirect_type": 303})},
				{"redirect_type 200", "body.redirect_type", base(map[string]any{"redirect_type": 200})},
				{"max_clicks 0", "body.max_clicks", base(map[string]any{"max_clicks": 0})},
				{"max_clicks -1", "body.max_clicks", base(map[string]any{"max_clicks": -1})},
				{"3-character password", "body.password", base(map[string]any{"password": "Zq9"})},
				{"129-character password", "body.password", base(map[string]any{"password": strings.Repeat("p", 129)})},
				// Lengths count characters after NFC, as passwords are compared.
				{"3 characters, 5 code points", "body.password", base(map[string]any{"password": "ééx"})},
				{"129 characters, decomposed", "body.password", base(map[string]any{"password": strings.Repeat("é", 129)})},
				{"valid_since in year 10000", "body.valid_since", base(map[string]any{"valid_since": "10000-01-01T00:00:00Z"})},
			}
			for _, c := range cases {
				r := srv.do(t, "POST", "/api/v1/urls", c.body, tok)
				if r.Status != http.StatusUnprocessableEntity {
					t.Errorf("%s: create %s", c.name, r)
					continue
				}
				expectValidation(t, r, c.location)
				if strings.Contains(string(r.Body), "Zq9") {
					t.Errorf("%s: the 422 echoes the password: %s", c.name, r)
				}
			}

			// 128 characters typed decomposed (256 code points) are 128
			// characters, and the password is the composed one too.
			long := srv.do(t, "POST", "/api/v1/urls", base(map[string]any{"password": strings.Repeat("e\u0301", 128)}), tok)
			expectJSON(t, long, http.StatusCreated)
			code := str(long.object(t)["short_code"])
			if r := srv.do(t, "GET", "/"+code, nil, withHeader("X-Link-Password", strings.Repeat("\u00e9", 128))); r.Status != http.StatusFound {
				t.Errorf("the composed form of a decomposed password: %s", r)
			}

			// Every bad URL and condition at once: one 422 naming each.
			// (Values out of the schema's ranges, such as a weight of 0,
			// are refused by the schema check before these.)
			r := srv.do(t, "POST", "/api/v1/urls", base(map[string]any{
				"rules":    []any{rule("http://10.0.0.1/", ios), rule("https://example.com/ok", ios), rule("https://localhost/", map[string]any{"country": []string{"XXL"}})},
				"variants": []any{map[string]any{"url": "https://example.com/a", "weight": 1}, map[string]any{"url": "http://[::1]/", "weight": 1}},
			}), tok)
			for _, loc := range []string{"body.rules[0].url", "body.rules[2].url", "body.rules[2].country[0]", "body.variants[1].url"} {
				expectValidation(t, r, loc)
			}

			// The same checks on PATCH, and nothing changes.
			l := srv.link(t, acct.access, "https://example.com/patched")
			id := str(l["id"])
			for _, c := range []struct {
				location string
				body     map[string]any
			}{
				{"body.rules[1].url", map[string]any{"rules": []any{rule("https://example.com/ok", ios), rule("http://localhost:8000/x", ios)}}},
				{"body.rules[0]", map[string]any{"rules": []any{rule("https://example.com/r", nil)}}},
				{"body.variants[0].weight", map[string]any{"variants": variants(2, 0)}},
				{"body.variants", map[string]any{"variants": variants(11, 1)}},
				{"body.redirect_type", map[string]any{"redirect_type": 303}},
				{"body.max_clicks", map[string]any{"max_clicks": 0}},
				{"body.password", map[string]any{"password": "Zq9"}},
				{"body.valid_since", map[string]any{"valid_since": "10000-01-01T00:00:00Z"}},
			} {
				expectValidation(t, srv.do(t, "PATCH", "/api/v1/urls/"+id, c.body, tok), c.location)
			}
			r = srv.do(t, "GET", "/api/v1/urls/"+id, nil, tok)
			expectJSON(t, r, http.StatusOK)
			optExpectOptions(t, "after refused PATCHes", r.object(t), map[string]string{
				"redirect_type": "302", "valid_since": "null", "max_clicks": "null", "has_password": "false", "rules": "[]", "variants": "null",
			})
		})
	})
}

// TestE2ELinkOptionsOwnHost: a rule or variant URL on the service's own
// BASE_URL host is refused, whatever the scheme, port, case or trailing dot
// (the tests' usual BASE_URL host, localhost, is refused anyway).
func TestE2ELinkOptionsOwnHost(t *testing.T) {
	t.Parallel()
	forEachBackendEnv(t, map[string]string{"BASE_URL": "https://sho.rt.example"}, func(t *testing.T, srv *testServer) {
		acct := srv.newAccount(t)
		tok := withToken(acct.access)
		ios := []string{"ios"}
		for _, c := range []struct{ location, url string }{
			{"body.rules[0].url", "https://sho.rt.example/x"},
			{"body.rules[0].url", "http://SHO.RT.EXAMPLE:8080/x"},
			{"body.variants[1].url", "https://sho.rt.example./x"},
		} {
			body := map[string]any{"original_url": "https://example.com/fine"}
			if strings.HasPrefix(c.location, "body.rules") {
				body["rules"] = []any{map[string]any{"url": c.url, "device": ios}}
			} else {
				body["variants"] = []any{map[string]any{"url": "https://example.com/a", "weight": 1}, map[string]any{"url": c.url, "weight": 1}}
			}
			expectValidation(t, srv.do(t, "POST", "/api/v1/urls", body, tok), c.location)
		}
		// Another host is fine: the check is about this service's host.
		r := srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://example.com/fine",
			"rules": []any{map[string]any{"url": "https://other.rt.example/x", "device": ios}}}, tok)
		expectJSON(t, r, http.StatusCreated)
		id := str(r.object(t)["id"])
		expectValidation(t, srv.do(t, "PATCH", "/api/v1/urls/"+id, map[string]any{
			"rules": []any{map[string]any{"url": "https://other.rt.example/x", "device": ios}, map[string]any{"url": "https://Sho.Rt.Example/y", "device": ios}},
		}, tok), "body.rules[1].url")
	})
}
