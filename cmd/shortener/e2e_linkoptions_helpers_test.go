package main

// Helpers of the link-options tests (API.md, "Link options"). They are
// named opt* so that they stay apart from the other e2e files' helpers.

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/shortener-dev/shortener/internal/testenv"
)

const (
	optUAAndroid = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36"
	optUAIPad    = "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1"
)

// optHuman is a desktop browser's user agent: a human visit, which
// click_count and max_clicks count (Go's default user agent is a bot's).
var optHuman = withHeader("User-Agent", uaChrome)

// optFrom makes the request come from ip through the trusted proxy
// 127.0.0.1 (servers started with optProxyEnv).
func optFrom(ip string) reqOpt { return withHeader("X-Forwarded-For", ip) }

// optEnv trusts the loopback as a proxy, so that X-Forwarded-For picks the
// client address (GeoIP, visitors, password attempts), reads a MaxMind test
// database mapping testenv.GeoIPNetworks, and turns the summary cache off.
func optEnv(t *testing.T) map[string]string {
	return map[string]string{
		"TRUSTED_PROXIES":     "127.0.0.1/32",
		"GEOIP_DB":            testenv.GeoIPDatabase(t, "GeoIP2-Country"),
		"ANALYTICS_CACHE_TTL": "0",
	}
}

// optPatch PATCHes a link and returns the 200 Link.
func (s *testServer) optPatch(t *testing.T, token, id string, body map[string]any) map[string]any {
	t.Helper()
	r := s.do(t, "PATCH", "/api/v1/urls/"+id, body, withToken(token))
	expectJSON(t, r, http.StatusOK)
	l := r.object(t)
	checkLinkShape(t, l)
	return l
}

// optRedirect checks a redirect of status to location with the headers of
// a 302 (API.md: the same for 301, 302, 307 and 308, and the 303 after a
// password).
func optRedirect(t *testing.T, r *result, status int, location string) {
	t.Helper()
	expectStatus(t, r, status)
	if loc := r.Header.Get("Location"); loc != location {
		t.Errorf("%s: Location %q, want %q", r, loc, location)
	}
	if cc := r.Header.Get("Cache-Control"); cc != "private, max-age=0" {
		t.Errorf("%s: Cache-Control %q, want \"private, max-age=0\"", r, cc)
	}
	if xr := r.Header.Get("X-Robots-Tag"); xr != "noindex" {
		t.Errorf("%s: X-Robots-Tag %q, want noindex", r, xr)
	}
}

// optLocation returns the Location of a redirect, failing on anything else.
func optLocation(t *testing.T, r *result) string {
	t.Helper()
	if r.Status < 300 || r.Status > 399 {
		t.Fatalf("%s: want a redirect", r)
	}
	return r.Header.Get("Location")
}

// optClickCount waits until the link's click_count is want (the flush
// interval is 1 s) and stays there for a moment: more would fail too.
func (s *testServer) optClickCount(t *testing.T, token, id string, want int) {
	t.Helper()
	var got int
	waitFor(t, "click_count "+strconv.Itoa(want), func() bool {
		got = clickCount(t, s, token, id)
		return got >= want
	})
	if got != want {
		t.Fatalf("click_count %d, want %d", got, want)
	}
}

// optForm is the password form of a link as a browser got it.
type optForm struct {
	action, csrf, cookie string
}

var (
	optCSRFFieldRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	optActionRE    = regexp.MustCompile(`<form method="post" action="([^"]+)"`)
)

// optPasswordForm checks a password form page of the given status and
// returns its form, with the CSRF cookie it set, else that of prev (the
// form the request came from). The page never shows the link's target.
func optPasswordForm(t *testing.T, r *result, status int, target string, prev ...optForm) optForm {
	t.Helper()
	expectStatus(t, r, status)
	h := r.Header
	if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("%s: Content-Type %q, want text/html", r, ct)
	}
	if cc := h.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("%s: Cache-Control %q, want no-store", r, cc)
	}
	csp := h.Get("Content-Security-Policy")
	if csp == "" || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("%s: Content-Security-Policy %q, want one without 'unsafe-inline', with frame-ancestors 'none'", r, csp)
	}
	if rp := h.Get("Referrer-Policy"); rp != "strict-origin-when-cross-origin" {
		t.Errorf("%s: Referrer-Policy %q", r, rp)
	}
	if h.Get("Location") != "" {
		t.Errorf("%s: a password page with a Location", r)
	}
	body := string(r.Body)
	if strings.Contains(body, target) || strings.Contains(body, url.QueryEscape(target)) {
		t.Errorf("%s: the password page shows the target %q", r, target)
	}
	if strings.Contains(strings.ToLower(body), "<script") {
		t.Errorf("%s: the password page has a script", r)
	}
	if !strings.Contains(body, `name="password"`) || !strings.Contains(body, `type="password"`) {
		t.Errorf("%s: no password field", r)
	}
	var f optForm
	if m := optCSRFFieldRE.FindStringSubmatch(body); m != nil {
		f.csrf = m[1]
	}
	if m := optActionRE.FindStringSubmatch(body); m != nil {
		f.action = strings.ReplaceAll(m[1], "&amp;", "&")
	}
	// The CSRF cookie holds the token's seed. A browser that has one
	// keeps it: a page answering a request that carried it sets none.
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == "link_csrf" && c.Value != "" {
			f.cookie = c.Name + "=" + c.Value
			if !c.HttpOnly {
				t.Errorf("%s: CSRF cookie %s is not HttpOnly", r, c.Name)
			}
		}
	}
	if f.cookie == "" && len(prev) > 0 {
		f.cookie = prev[0].cookie
	}
	if f.csrf == "" || f.cookie == "" || f.action == "" {
		t.Fatalf("%s: want a form with an action, a csrf field and its cookie; got %+v (Set-Cookie %q)", r, f, h.Values("Set-Cookie"))
	}
	return f
}

// optPost posts the password form as a browser would.
func (s *testServer) optPost(t *testing.T, f optForm, password string, opts ...reqOpt) *result {
	t.Helper()
	body := url.Values{"csrf": {f.csrf}, "password": {password}}.Encode()
	all := append([]reqOpt{browser, optHuman, withHeader("Content-Type", "application/x-www-form-urlencoded"),
		withHeader("Cookie", f.cookie)}, opts...)
	return s.optPage(t, "POST", f.action, body, all...)
}

// optPage is do for requests that may answer an error status with the
// password form: the form carries a random CSRF token, which may spell one
// of checkNoInternals' markers ("pgx" turns up about once in a thousand
// tokens), so the internals check skips the token's value.
func (s *testServer) optPage(t *testing.T, method, path, body string, opts ...reqOpt) *result {
	t.Helper()
	req, err := http.NewRequest(method, s.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatalf("new request %s %s: %v", method, path, err)
	}
	for _, o := range opts {
		o(req)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	r := &result{Status: resp.StatusCode, Header: resp.Header, Body: data, method: method, path: path}
	checkCommonHeaders(t, r)
	checked := *r
	checked.Body = optCSRFFieldRE.ReplaceAll(data, []byte(`name="csrf" value=""`))
	checkNoInternals(t, &checked)
	return r
}

// optFire sends n GETs of path at once, spread over the servers in turn,
// and returns how many answered each status.
func optFire(t *testing.T, servers []*testServer, path string, n int, opts ...reqOpt) map[int]int {
	t.Helper()
	statuses := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		srv := servers[i%len(servers)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			req, err := http.NewRequest("GET", srv.url+path, nil)
			if err != nil {
				t.Error(err)
				return
			}
			for _, o := range opts {
				o(req)
			}
			resp, err := srv.client.Do(req)
			if err != nil {
				t.Errorf("GET %s: %v", path, err)
				return
			}
			discard(resp.Body)
			statuses[i] = resp.StatusCode
		}()
	}
	close(start)
	wg.Wait()
	out := map[int]int{}
	for _, s := range statuses {
		out[s]++
	}
	return out
}
