package main

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	goredis "github.com/redis/go-redis/v9"

	"github.com/shortener-dev/shortener/internal/testenv"
)

// optExpectSplit checks that a burst got exactly want redirects (of
// status) and the rest 410.
func optExpectSplit(t *testing.T, what string, got map[int]int, status, redirects, gone int) {
	t.Helper()
	if got[status] != redirects || got[http.StatusGone] != gone || len(got) > 2 {
		t.Errorf("%s: answers %v, want exactly %d × %d and %d × 410", what, got, redirects, status, gone)
	}
}

// TestE2ELinkMaxClicks: bots and HEAD use no clicks, N human GETs do, then
// 410 for everyone; raising max_clicks gives exactly the difference, null
// lifts the cap, a cap set again counts the clicks made meanwhile, and
// click_count is unchanged by any of it.
func TestE2ELinkMaxClicks(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		acct := srv.newAccount(t)
		const target = "https://example.com/limited"
		l := srv.createLink(t, acct.access, map[string]any{"original_url": target, "max_clicks": 3, "redirect_type": 301})
		code, id := str(l["short_code"]), str(l["id"])

		// Bots (no User-Agent, a crawler) and HEAD are answered and use none.
		for range 3 {
			optRedirect(t, srv.redirect(t, code, withHeader("User-Agent", "")), http.StatusMovedPermanently, target)
			optRedirect(t, srv.redirect(t, code, withHeader("User-Agent", uaGooglebot)), http.StatusMovedPermanently, target)
			optRedirect(t, srv.do(t, "HEAD", "/"+code, nil, optHuman), http.StatusMovedPermanently, target)
		}
		for i := range 3 {
			r := srv.redirect(t, code, optHuman)
			if r.Status != http.StatusMovedPermanently {
				t.Fatalf("human GET %d of 3: %s", i+1, r)
			}
		}
		expectProblem(t, srv.redirect(t, code, optHuman), http.StatusGone)
		expectHTMLPage(t, srv.redirect(t, code, optHuman, browser), http.StatusGone)
		// Used up is used up for bots and HEAD too.
		expectProblem(t, srv.redirect(t, code, withHeader("User-Agent", uaGooglebot)), http.StatusGone)
		expectStatus(t, srv.do(t, "HEAD", "/"+code, nil, optHuman), http.StatusGone)
		// click_count counts the human clicks, whatever max_clicks does.
		srv.optClickCount(t, acct.access, id, 3)

		// Raising the cap gives exactly the difference.
		srv.optPatch(t, acct.access, id, map[string]any{"max_clicks": 5})
		optExpectSplit(t, "5 humans after raising max_clicks from 3 to 5", optFire(t, []*testServer{srv}, "/"+code, 5, optHuman), http.StatusMovedPermanently, 2, 3)
		// Lowering it below what is used: 410 at once.
		srv.optPatch(t, acct.access, id, map[string]any{"max_clicks": 1})
		expectProblem(t, srv.redirect(t, code, optHuman), http.StatusGone)
		// null lifts the cap.
		srv.optPatch(t, acct.access, id, map[string]any{"max_clicks": nil})
		optRedirect(t, srv.redirect(t, code, optHuman), http.StatusMovedPermanently, target)
		// A cap set again counts every human redirect click_count has,
		// the one made while uncapped too: 6 answered, a cap of 6 is used
		// up at once, and a cap of 7 leaves one more.
		srv.optClickCount(t, acct.access, id, 6)
		srv.optPatch(t, acct.access, id, map[string]any{"max_clicks": 6})
		expectProblem(t, srv.redirect(t, code, optHuman), http.StatusGone)
		srv.optPatch(t, acct.access, id, map[string]any{"max_clicks": 7})
		optRedirect(t, srv.redirect(t, code, optHuman), http.StatusMovedPermanently, target)
		expectProblem(t, srv.redirect(t, code, optHuman), http.StatusGone)
		srv.optClickCount(t, acct.access, id, 7)
	})
}

// TestE2ELinkMaxClicksTwoInstances: N + 10 concurrent human requests over
// two instances get exactly N redirects and 10 × 410; the count survives a
// restart of one instance, and raising the cap gives exactly the
// difference across both.
func TestE2ELinkMaxClicksTwoInstances(t *testing.T) {
	t.Parallel()
	a, b := startPair(t, nil)
	acct := a.newAccount(t)
	const n = 20
	l := a.createLink(t, acct.access, map[string]any{"original_url": "https://example.com/race", "max_clicks": n})
	code, id := str(l["short_code"]), str(l["id"])
	path := "/" + code
	// Both instances have the link cached before the burst.
	for _, srv := range []*testServer{a, b} {
		optRedirect(t, srv.do(t, "HEAD", path, nil), http.StatusFound, "https://example.com/race")
	}
	optExpectSplit(t, "N+10 humans over two instances", optFire(t, []*testServer{a, b}, path, n+10, optHuman), http.StatusFound, n, 10)

	b = b.restart(t)
	for _, srv := range []*testServer{a, b} {
		expectProblem(t, srv.redirect(t, code, optHuman), http.StatusGone)
	}
	a.optPatch(t, acct.access, id, map[string]any{"max_clicks": n + 5})
	soon(t, "B sees the raised cap", func() bool { return b.do(t, "HEAD", path, nil).Status == http.StatusFound })
	optExpectSplit(t, "10 humans after raising the cap by 5", optFire(t, []*testServer{a, b}, path, 10, optHuman), http.StatusFound, 5, 5)
	a.optClickCount(t, acct.access, id, n+5)

	// A visitor keeps its variant on either instance.
	split := a.createLink(t, acct.access, map[string]any{"original_url": "https://example.com/never", "variants": []any{
		map[string]any{"url": "https://example.com/a", "weight": 1}, map[string]any{"url": "https://example.com/b", "weight": 1}}})
	splitCode := str(split["short_code"])
	served := map[string]int{}
	for i := range 30 {
		ua := withHeader("User-Agent", uaChrome+" visitor/"+strconv.Itoa(i))
		loc := optLocation(t, a.redirect(t, splitCode, ua))
		served[loc]++
		for range 2 {
			if other := optLocation(t, b.redirect(t, splitCode, ua)); other != loc {
				t.Fatalf("visitor %d: instance A sent it to %q, B to %q", i, loc, other)
			}
		}
	}
	if len(served) != 2 {
		t.Errorf("30 visitors of a 1:1 split all went to %v", served)
	}

	// Wrong passwords count per link and client over both instances.
	guarded := a.createLink(t, acct.access, map[string]any{"original_url": "https://example.com/guarded", "password": "right-one"})
	gCode := str(guarded["short_code"])
	for i := range 10 {
		srv := []*testServer{a, b}[i%2]
		expectStatus(t, srv.redirect(t, gCode, optHuman, withHeader("X-Link-Password", "wrong")), http.StatusUnauthorized)
	}
	for _, srv := range []*testServer{a, b} {
		expectStatus(t, srv.redirect(t, gCode, optHuman, withHeader("X-Link-Password", "right-one")), http.StatusTooManyRequests)
	}
}

// TestE2ELinkMaxClicksRedisRestart: the count is the database's, so a
// restart of Redis, even one that loses every key, changes nothing.
func TestE2ELinkMaxClicksRedisRestart(t *testing.T) {
	t.Parallel()
	redis := testenv.StartRedisServer(t)
	a, b := startPair(t, map[string]string{"REDIS_URL": redis.URL()})
	acct := a.newAccount(t)
	const n = 6
	l := a.createLink(t, acct.access, map[string]any{"original_url": "https://example.com/redis", "max_clicks": n})
	code, id := str(l["short_code"]), str(l["id"])
	path := "/" + code
	optExpectSplit(t, "N+4 humans", optFire(t, []*testServer{a, b}, path, n+4, optHuman), http.StatusFound, n, 4)

	// The clicks reach PostgreSQL through a Redis stream: let them arrive
	// before Redis loses its data.
	a.optClickCount(t, acct.access, id, n)
	redis.Stop()
	redis.Start()
	opts, err := goredis.ParseURL(redis.URL())
	if err != nil {
		t.Fatal(err)
	}
	client := goredis.NewClient(opts)
	defer client.Close()
	// A Redis that comes back empty: nothing of the count was kept there.
	if err := client.FlushAll(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
	for _, srv := range []*testServer{a, b} {
		waitFor(t, "health ok after the Redis restart", func() bool {
			status, _ := srv.healthChecks(t)
			return status == http.StatusOK
		})
		expectProblem(t, srv.redirect(t, code, optHuman), http.StatusGone)
	}
	a.optPatch(t, acct.access, id, map[string]any{"max_clicks": n + 3})
	waitFor(t, "B sees the raised cap", func() bool { return b.do(t, "HEAD", path, nil).Status == http.StatusFound })
	optExpectSplit(t, "8 humans after raising the cap by 3", optFire(t, []*testServer{a, b}, path, 8, optHuman), http.StatusFound, 3, 5)
	a.optClickCount(t, acct.access, id, n+3)
}
