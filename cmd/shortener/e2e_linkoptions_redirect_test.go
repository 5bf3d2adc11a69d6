package main

import (
	"fmt"
	"math"
	"net/http"
	"testing"
	"time"
)

// TestE2ELinkOptionsRedirect: what the options do to GET /{code}: redirect
// types, query forwarding, valid_since, targeting by device, language and
// country, variants, the summary's top_targets and the order of decisions.
func TestE2ELinkOptionsRedirect(t *testing.T) {
	t.Parallel()
	forEachBackendEnv(t, optEnv(t), func(t *testing.T, srv *testServer) {
		acct := srv.newAccount(t)
		create := func(body map[string]any) (code, id string) {
			t.Helper()
			l := srv.createLink(t, acct.access, body)
			return str(l["short_code"]), str(l["id"])
		}

		// The timed links first, so that their wait overlaps the rest.
		// valid_since leaves 5-6 s for the requests before it, so that a
		// machine busy with the race detector still runs the check (the
		// skip below is for a stalled machine only).
		start := time.Now().UTC()
		since := start.Add(6 * time.Second).Truncate(time.Second)
		sinceCode, sinceID := create(map[string]any{"original_url": "https://example.com/since", "valid_since": since.Format(time.RFC3339)})
		// Expired before it is valid: 404 (before valid_since) wins over 410.
		early := since.Add(-time.Second)
		if early.Before(start.Add(time.Second)) {
			early = start.Add(time.Second).Truncate(time.Second).Add(time.Second)
		}
		bothCode, _ := create(map[string]any{"original_url": "https://example.com/both",
			"valid_since": time.Now().Add(time.Hour).UTC().Format(time.RFC3339), "expires_at": early.Format(time.RFC3339)})

		t.Run("valid_since: 404 as if unknown before, redirect after", func(t *testing.T) {
			unknownAPI := srv.redirect(t, "NoSuchCode9")
			unknownHTML := srv.redirect(t, "NoSuchCode9", browser)
			r := srv.redirect(t, sinceCode, optHuman)
			if time.Now().After(since) {
				t.Skip("the machine is too slow: valid_since passed before the first request")
			}
			p := expectProblem(t, r, http.StatusNotFound)
			if u := expectProblem(t, unknownAPI, http.StatusNotFound); p.Detail != u.Detail || p.Title != u.Title {
				t.Errorf("before valid_since: %s; an unknown code: %s; want the same answer", r, unknownAPI)
			}
			h := srv.redirect(t, sinceCode, browser, optHuman)
			expectHTMLPage(t, h, http.StatusNotFound)
			if string(h.Body) != string(unknownHTML.Body) {
				t.Errorf("before valid_since the page differs from an unknown code's:\n%s\n%s", h.Body, unknownHTML.Body)
			}
			expectStatus(t, srv.do(t, "HEAD", "/"+sinceCode, nil), http.StatusNotFound)
			var first time.Time
			waitFor(t, "the redirect after valid_since", func() bool {
				r := srv.redirect(t, sinceCode, optHuman)
				first = time.Now()
				if r.Status == http.StatusNotFound {
					return false
				}
				optRedirect(t, r, http.StatusFound, "https://example.com/since")
				return true
			})
			if first.Before(since) {
				t.Errorf("redirected at %v, before valid_since %v", first, since)
			}
			// Only the redirect counted: the 404s recorded no click.
			srv.optClickCount(t, acct.access, sinceID, 1)
		})

		t.Run("redirect_type: the status, headers as for 302", func(t *testing.T) {
			for _, status := range []int{301, 302, 307, 308} {
				target := fmt.Sprintf("https://example.com/type/%d?x=1", status)
				code, _ := create(map[string]any{"original_url": target, "redirect_type": status})
				optRedirect(t, srv.redirect(t, code, optHuman), status, target)
				optRedirect(t, srv.redirect(t, code, browser), status, target)
				h := srv.do(t, "HEAD", "/"+code, nil)
				optRedirect(t, h, status, target)
				if len(h.Body) != 0 {
					t.Errorf("HEAD with a body: %s", h)
				}
			}
		})

		t.Run("forward_query merges the request's query", func(t *testing.T) {
			code, _ := create(map[string]any{"original_url": "https://example.com/p?a=1&b=2&a=3#frag", "forward_query": true})
			for _, c := range []struct{ query, want string }{
				{"", "https://example.com/p?a=1&b=2&a=3#frag"},
				{"?c=4", "https://example.com/p?a=1&b=2&a=3&c=4#frag"},
				// A name the request repeats replaces all of the target's
				// values for it; new names follow in the request's order.
				{"?z=9&a=7&a=8&c=4", "https://example.com/p?a=7&a=8&b=2&z=9&c=4#frag"},
				{"?b=", "https://example.com/p?a=1&b=&a=3#frag"},
				// Parameters keep their encoding.
				{"?utm_source=news%20letter&q=%C3%A9", "https://example.com/p?a=1&b=2&a=3&utm_source=news%20letter&q=%C3%A9#frag"},
			} {
				optRedirect(t, srv.redirect(t, code+c.query, optHuman), http.StatusFound, c.want)
			}
			bare, _ := create(map[string]any{"original_url": "https://example.com/bare", "forward_query": true, "redirect_type": 308})
			optRedirect(t, srv.redirect(t, bare+"?x=1&y=2", optHuman), http.StatusPermanentRedirect, "https://example.com/bare?x=1&y=2")
			// Without forward_query the request's query is dropped.
			off, _ := create(map[string]any{"original_url": "https://example.com/off?k=v"})
			optRedirect(t, srv.redirect(t, off+"?x=1", optHuman), http.StatusFound, "https://example.com/off?k=v")
		})

		t.Run("targeting: device, language, country", func(t *testing.T) {
			code, _ := create(map[string]any{"original_url": "https://example.com/own", "rules": []any{
				map[string]any{"url": "https://example.com/ios", "device": []string{"ios"}},
				map[string]any{"url": "https://example.com/android", "device": []string{"android"}},
				map[string]any{"url": "https://example.com/gb-de", "country": []string{"GB"}, "language": []string{"de"}},
				map[string]any{"url": "https://example.com/de", "country": []string{"de"}},
				map[string]any{"url": "https://example.com/pt", "language": []string{"pt"}},
				map[string]any{"url": "https://example.com/desktop-fr", "device": []string{"desktop"}, "language": []string{"fr"}},
				map[string]any{"url": "https://example.com/tablet", "device": []string{"tablet"}},
			}})
			ua := func(s string) reqOpt { return withHeader("User-Agent", s) }
			lang := func(s string) reqOpt { return withHeader("Accept-Language", s) }
			for _, c := range []struct {
				name string
				opts []reqOpt
				want string
			}{
				{"iPhone", []reqOpt{ua(uaIPhone)}, "https://example.com/ios"},
				// The first matching rule wins: the iPhone rule comes first.
				{"iPhone in Germany reading French", []reqOpt{ua(uaIPhone), optFrom("2a02:cf40::1"), lang("fr")}, "https://example.com/ios"},
				{"Android", []reqOpt{ua(optUAAndroid)}, "https://example.com/android"},
				{"iPad", []reqOpt{ua(optUAIPad)}, "https://example.com/ios"},
				{"desktop in GB reading German", []reqOpt{optHuman, optFrom("81.2.69.160"), lang("de-DE,de;q=0.9,en;q=0.8")}, "https://example.com/gb-de"},
				// Every condition of a rule must hold.
				{"desktop in GB reading English", []reqOpt{optHuman, optFrom("81.2.69.160"), lang("en-GB")}, "https://example.com/own"},
				{"desktop in Germany (IPv6)", []reqOpt{optHuman, optFrom("2a02:cf40::1"), lang("en")}, "https://example.com/de"},
				{"German reader outside GB", []reqOpt{optHuman, optFrom("203.0.113.9"), lang("de")}, "https://example.com/own"},
				// The highest q; the first of equals.
				{"pt preferred by q", []reqOpt{optHuman, lang("en;q=0.5, pt-BR;q=0.8, fr;q=0.8")}, "https://example.com/pt"},
				{"fr first of equals", []reqOpt{optHuman, lang("fr;q=0.8, pt-BR;q=0.8")}, "https://example.com/desktop-fr"},
				{"fr without q", []reqOpt{optHuman, lang("fr-CH, pt;q=0.9")}, "https://example.com/desktop-fr"},
				{"French on Android", []reqOpt{ua(optUAAndroid), lang("es, fr;q=0.1")}, "https://example.com/android"},
				{"nothing matches", []reqOpt{optHuman, optFrom("203.0.113.9")}, "https://example.com/own"},
				{"no user agent", []reqOpt{lang("es")}, "https://example.com/own"},
			} {
				r := srv.redirect(t, code, c.opts...)
				if got := optLocation(t, r); got != c.want {
					t.Errorf("%s: redirected to %q, want %q", c.name, got, c.want)
				}
			}
			// "mobile" is the device class: iPhones and Android phones.
			mobile, _ := create(map[string]any{"original_url": "https://example.com/big", "rules": []any{
				map[string]any{"url": "https://example.com/small", "device": []string{"mobile"}}}})
			for ua, want := range map[string]string{uaIPhone: "https://example.com/small", optUAAndroid: "https://example.com/small",
				uaChrome: "https://example.com/big"} {
				if got := optLocation(t, srv.redirect(t, mobile, withHeader("User-Agent", ua))); got != want {
					t.Errorf("mobile rule, %s: redirected to %q, want %q", ua, got, want)
				}
			}
		})

		t.Run("variants split by weight, sticky per visitor", func(t *testing.T) {
			code, _ := create(map[string]any{"original_url": "https://example.com/never", "variants": []any{
				map[string]any{"url": "https://example.com/a", "weight": 1},
				map[string]any{"url": "https://example.com/b", "weight": 3},
			}})
			const visitors = 200
			ip := func(i int) string { return fmt.Sprintf("198.51.%d.%d", 100+i/250, 1+i%250) }
			seen := map[string]string{}
			counts := map[string]int{}
			for i := range visitors {
				loc := optLocation(t, srv.redirect(t, code, optHuman, optFrom(ip(i))))
				seen[ip(i)] = loc
				counts[loc]++
			}
			if len(counts) != 2 || counts["https://example.com/a"]+counts["https://example.com/b"] != visitors {
				t.Fatalf("variants served %v, want only a and b", counts)
			}
			// Expected 50 and 150; a binomial's 4 standard deviations are
			// about 25.
			if a := counts["https://example.com/a"]; a < 25 || a > 75 {
				t.Errorf("weights 1:3 over %d visitors gave %v, want about 50:150", visitors, counts)
			}
			for i := range 40 {
				for range 2 {
					if loc := optLocation(t, srv.redirect(t, code, optHuman, optFrom(ip(i)))); loc != seen[ip(i)] {
						t.Fatalf("visitor %s got %q, then %q: want the same variant all day", ip(i), seen[ip(i)], loc)
					}
				}
			}
			// Rules come before variants; forward_query applies to either.
			mixed, _ := create(map[string]any{"original_url": "https://example.com/never", "forward_query": true,
				"rules":    []any{map[string]any{"url": "https://example.com/ios?r=1", "device": []string{"ios"}}},
				"variants": []any{map[string]any{"url": "https://example.com/x?v=1", "weight": 1}, map[string]any{"url": "https://example.com/y?v=2", "weight": 1}}})
			optRedirect(t, srv.redirect(t, mixed+"?r=9&s=1", withHeader("User-Agent", uaIPhone)), http.StatusFound, "https://example.com/ios?r=9&s=1")
			loc := optLocation(t, srv.redirect(t, mixed+"?v=0&s=1", optHuman))
			if loc != "https://example.com/x?v=0&s=1" && loc != "https://example.com/y?v=0&s=1" {
				t.Errorf("desktop visitor of a split with forward_query: Location %q", loc)
			}
		})

		t.Run("top_targets: the targets served, before query forwarding", func(t *testing.T) {
			code, id := create(map[string]any{"original_url": "https://example.com/home?h=1", "forward_query": true,
				"rules": []any{map[string]any{"url": "https://example.com/app", "device": []string{"ios"}}}})
			for i := range 3 {
				r := srv.redirect(t, fmt.Sprintf("%s?utm=%d", code, i), withHeader("User-Agent", uaIPhone))
				optRedirect(t, r, http.StatusFound, fmt.Sprintf("https://example.com/app?utm=%d", i))
			}
			optRedirect(t, srv.redirect(t, code+"?utm=x", optHuman), http.StatusFound, "https://example.com/home?h=1&utm=x")
			optRedirect(t, srv.redirect(t, code, withHeader("User-Agent", uaGooglebot)), http.StatusFound, "https://example.com/home?h=1")
			srv.optClickCount(t, acct.access, id, 4)
			var sum map[string]any
			waitFor(t, "the bot click in the summary", func() bool {
				sum = srv.summary(t, acct.access, code, "?days=1")
				return integer(t, "bot_clicks", sum["bot_clicks"]) == 1
			})
			checkSummaryShape(t, sum, code, 1)
			list, ok := sum["top_targets"].([]any)
			if !ok {
				t.Fatalf("top_targets = %#v, want a list", sum["top_targets"])
			}
			want := []struct {
				label string
				count int
				pct   float64
			}{{"https://example.com/app", 3, 75}, {"https://example.com/home?h=1", 1, 25}}
			if len(list) != len(want) {
				t.Fatalf("top_targets = %s, want %v", optJSON(t, list), want)
			}
			for i, w := range want {
				m := list[i].(map[string]any)
				if str(m["label"]) != w.label || integer(t, "count", m["count"]) != w.count || math.Abs(num(t, "percentage", m["percentage"])-w.pct) > 0.01 {
					t.Errorf("top_targets[%d] = %s, want %+v", i, optJSON(t, m), w)
				}
			}
		})

		t.Run("order of decisions", func(t *testing.T) {
			const pw = "letmein-9"
			ua := withHeader("User-Agent", uaIPhone)
			// Disabled, with a password: 404, not the form.
			dis, disID := create(map[string]any{"original_url": "https://example.com/dis", "password": pw, "max_clicks": 1})
			srv.optPatch(t, acct.access, disID, map[string]any{"is_active": false})
			expectHTMLPage(t, srv.redirect(t, dis, browser, ua), http.StatusNotFound)
			expectProblem(t, srv.redirect(t, dis, withHeader("X-Link-Password", pw), ua), http.StatusNotFound)
			// Before valid_since, with a password: 404.
			fut, _ := create(map[string]any{"original_url": "https://example.com/fut", "password": pw,
				"valid_since": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)})
			expectHTMLPage(t, srv.redirect(t, fut, browser, ua), http.StatusNotFound)
			expectProblem(t, srv.redirect(t, fut, withHeader("X-Link-Password", "wrong-pw"), ua), http.StatusNotFound)

			// Used up, with a password: 410, neither the form nor a 401.
			capped, cappedID := create(map[string]any{"original_url": "https://example.com/capped", "password": pw, "max_clicks": 1,
				"forward_query": true, "redirect_type": 307,
				"rules": []any{map[string]any{"url": "https://example.com/capped-ios", "device": []string{"ios"}}}})
			optPasswordForm(t, srv.redirect(t, capped, browser, ua), http.StatusOK, "https://example.com/capped")
			expectProblem(t, srv.redirect(t, capped, withHeader("X-Link-Password", "wrong-pw"), ua), http.StatusUnauthorized)
			// The password comes before the rules; the rule's target wins
			// then, with the query forwarded.
			optRedirect(t, srv.redirect(t, capped+"?q=1", withHeader("X-Link-Password", pw), ua), http.StatusTemporaryRedirect, "https://example.com/capped-ios?q=1")
			expectHTMLPage(t, srv.redirect(t, capped, browser, ua), http.StatusGone)
			expectProblem(t, srv.redirect(t, capped, withHeader("X-Link-Password", pw), ua), http.StatusGone)
			expectProblem(t, srv.redirect(t, capped, withHeader("X-Link-Password", "wrong-pw"), ua), http.StatusGone)
			expectStatus(t, srv.do(t, "HEAD", "/"+capped, nil), http.StatusGone)
			// Wrong passwords on a used-up link are answered 410 and are
			// no attempts: after raising the cap the right one works.
			for range 11 {
				expectProblem(t, srv.redirect(t, capped, withHeader("X-Link-Password", "wrong-pw"), ua), http.StatusGone)
			}
			srv.optPatch(t, acct.access, cappedID, map[string]any{"max_clicks": 3})
			// The 303 after the form uses a click like any redirect.
			form := optPasswordForm(t, srv.redirect(t, capped, browser, ua), http.StatusOK, "https://example.com/capped")
			optRedirect(t, srv.optPost(t, form, pw, ua), http.StatusSeeOther, "https://example.com/capped-ios")
			optRedirect(t, srv.redirect(t, capped, withHeader("X-Link-Password", pw), ua), http.StatusTemporaryRedirect, "https://example.com/capped-ios")
			expectProblem(t, srv.redirect(t, capped, withHeader("X-Link-Password", pw), ua), http.StatusGone)
			srv.optClickCount(t, acct.access, cappedID, 3)
			// Disabled beats used up: 404.
			srv.optPatch(t, acct.access, cappedID, map[string]any{"is_active": false})
			expectProblem(t, srv.redirect(t, capped, withHeader("X-Link-Password", pw), ua), http.StatusNotFound)

			// Expired and before valid_since: 404.
			if d := time.Until(early) + 300*time.Millisecond; d > 0 {
				time.Sleep(d)
			}
			expectProblem(t, srv.redirect(t, bothCode, optHuman), http.StatusNotFound)
			expectHTMLPage(t, srv.redirect(t, bothCode, browser, optHuman), http.StatusNotFound)
		})
	})
}
