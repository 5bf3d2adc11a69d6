package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

func TestCreateLinkFieldError(t *testing.T) {
	e := newEnv(t)
	e.links.createErr = shortener.Invalid("body.custom_alias", "alias must be 3 to 50 characters long", "ab")
	b := e.signedIn(alice)
	b.get("/app")
	p := b.submit("/app/links", url.Values{
		"original_url": {"https://example.com/page"}, "custom_alias": {"ab"}, "title": {"My page"},
		"expires_at": {"2027-01-31T18:00"}, "is_public": {"false"}, "return": {"/app"},
	})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantBody(t, p,
		`value="ab" aria-invalid="true" aria-describedby="custom_alias-hint custom_alias-error">`,
		`<p class="field-error" id="custom_alias-error">Alias must be 3 to 50 characters long.</p>`,
		`value="https://example.com/page"`, `value="My page"`, `value="2027-01-31T18:00"`,
		`<input type="radio" name="is_public" value="false" checked>`,
		"<details open>", // the options holding the error are shown
	)
	in := e.links.created[0]
	want := time.Date(2027, 1, 31, 18, 0, 0, 0, time.UTC)
	if *in.CustomAlias != "ab" || *in.Title != "My page" || !in.ExpiresAt.Equal(want) || *in.IsPublic {
		t.Errorf("create input %+v", in)
	}
}

func TestCreateLinkErrorsNeverLeak(t *testing.T) {
	e := newEnv(t)
	e.links.createErr = fmt.Errorf("create link: %w", errInternal)
	b := e.signedIn(alice)
	b.get("/app")
	p := b.submit("/app/links", url.Values{"original_url": {"https://example.com/"}})
	wantStatus(t, p, http.StatusInternalServerError)
	wantBody(t, p, "Something went wrong on our side; try again.", `value="https://example.com/"`)
	if strings.Contains(p.Body, "on fire") {
		t.Error("internal error text on the page")
	}
	if !strings.Contains(e.logs.String(), "db is on fire") {
		t.Error("internal error not logged")
	}
}

func TestCreateLink(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn(alice)
	b.get("/app?page=3")
	p := b.submit("/app/links", url.Values{"original_url": {"example.com/page"}, "return": {"/app?page=3"}, "is_public": {"true"}})
	wantStatus(t, p, http.StatusSeeOther)
	if got := p.Header.Get("Location"); got != "/app" {
		t.Errorf("redirected to %q", got)
	}
	if got := e.links.created[0].OriginalURL; got != "https://example.com/page" {
		t.Errorf("created %q, want the scheme added", got)
	}
	p = b.get("/app")
	wantBody(t, p, `Your short link is ready: <a class="short" href="https://sho.rt/new1234">sho.rt/new1234</a>`)
	if p := b.get("/app"); strings.Contains(p.Body, "is ready") {
		t.Error("the flash showed twice")
	}
	// A malformed expiry is refused here, without asking the service.
	p = b.submit("/app/links", url.Values{"original_url": {"https://example.com/"}, "expires_at": {"31/01/2027"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantBody(t, p, `id="expires_at-error">Enter a date and time, like 2026-12-31 18:00 (UTC).`)
	if n := e.links.count("Create"); n != 1 {
		t.Errorf("Create called %d times, want 1", n)
	}
}

func TestLinkListPaging(t *testing.T) {
	e := newEnv(t)
	for i := range 45 {
		e.addLink(alice, fmt.Sprintf("00000000-0000-7000-8000-%012d", i), fmt.Sprintf("c%d", i), "https://example.com/")
	}
	b := e.signedIn(alice)
	p := b.get("/app?page=2")
	wantStatus(t, p, http.StatusOK)
	if got := p.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("signed-in page Cache-Control %q, want no-store", got)
	}
	wantBody(t, p, "21–40 of 45 links", "Page 2 of 3", `href="/app" rel="prev"`, `href="/app?page=3" rel="next"`)
	if n := strings.Count(p.Body, `<tr>`); n != 21 { // the header row and 20 links
		t.Errorf("%d rows, want 20 links", n-1)
	}
	// One page says how many links, and no more.
	p = b.get("/app?size=50")
	wantBody(t, p, `<p class="pager muted">45 links</p>`)
	if strings.Contains(p.Body, "Page 1 of 1") || strings.Contains(p.Body, "1–45") {
		t.Error("a list of one page has a pager")
	}
	wantBody(t, b.get("/app?page=9"), "This page is past the end of the list (45 links).")
	wantBody(t, b.get("/app?page=-1&size=1000"), "1–20 of 45 links")
}

func TestEmptyLinkListTeaches(t *testing.T) {
	e := newEnv(t)
	p := e.signedIn(alice).get("/app")
	wantBody(t, p, "You have no links yet. Paste a long URL below", `action="/app/links"`, " autofocus")
	if strings.Contains(p.Body, `class="pager"`) {
		t.Error("an empty list has a pager")
	}
}

func TestAdminSeesEveryone(t *testing.T) {
	e := newEnv(t)
	e.addLink(bob, linkID, "bobs", "https://example.com/")
	e.addLink(nil, "00000000-0000-7000-8000-000000000002", "anon", "https://example.org/")
	p := e.signedIn(root).get("/app?all=1")
	wantBody(t, p, "All links", "sho.rt/<wbr>bobs</a>", "sho.rt/<wbr>anon</a>", `<span class="badge">Anonymous</span>`,
		`name="return" value="/app?all=1"`)
	if q := e.links.lists[len(e.links.lists)-1]; !q.AllOwners {
		t.Errorf("admin listed %+v", q)
	}
	// Others asking for all get their own.
	e.signedIn(alice).get("/app?all=1")
	if q := e.links.lists[len(e.links.lists)-1]; q.AllOwners {
		t.Error("a user listed everyone's links")
	}
	// The admin disables Bob's link and comes back to the same page.
	b := e.signedIn(root)
	b.get("/app?all=1")
	p = b.submit("/app/links/"+linkID+"/toggle", url.Values{"is_active": {"false"}, "return": {"/app?all=1"}})
	if got := p.Header.Get("Location"); p.StatusCode != http.StatusSeeOther || got != "/app?all=1" {
		t.Errorf("toggle → %d %q", p.StatusCode, got)
	}
	if e.links.find(linkID).IsActive {
		t.Error("link still active")
	}
	wantBody(t, b.get("/app?all=1"), "Link disabled", `<span class="badge disabled">Disabled</span>`)
}

func TestDeleteAsksFirst(t *testing.T) {
	e := newEnv(t)
	e.addLink(alice, linkID, "abc", "https://example.com/")
	b := e.signedIn(alice)
	// Bob may read Alice's public link, but is not asked whether to
	// delete it: it is not his.
	bb := e.signedIn(bob)
	bb.get("/app")
	wantStatus(t, bb.submit("/app/links/"+linkID+"/delete", url.Values{}), http.StatusNotFound)
	b.get("/app/links/" + linkID)
	// Without script, the form arrives unconfirmed: a page asks.
	p := b.submit("/app/links/"+linkID+"/delete", url.Values{"confirmed": {""}, "return": {"/app/links/" + linkID}})
	wantStatus(t, p, http.StatusOK)
	wantBody(t, p, "Delete sho.rt/abc?", `name="confirmed" value="yes"`)
	if n := e.links.count("Delete"); n != 0 {
		t.Fatalf("deleted before confirmation")
	}
	p = b.submit("/app/links/"+linkID+"/delete", url.Values{"confirmed": {"yes"}, "return": {"/app/links/" + linkID}})
	wantStatus(t, p, http.StatusSeeOther)
	if got := p.Header.Get("Location"); got != "/app" {
		t.Errorf("after deleting from its page, went to %q", got)
	}
	wantBody(t, b.get("/app"), "Link deleted.")
	// Deleting it again, or another's link, is not found.
	p = b.submit("/app/links/"+linkID+"/delete", url.Values{"confirmed": {"yes"}})
	wantStatus(t, p, http.StatusNotFound)
}

func TestUserBucketCounts(t *testing.T) {
	e := newEnv(t)
	e.addLink(alice, linkID, "abc", "https://example.com/")
	b := e.signedIn(alice)
	b.get("/app")
	b.get("/app/links/" + linkID)
	b.submit("/app/links", url.Values{"original_url": {"https://example.com/"}})
	calls := e.limiter.calls()
	if len(calls) != 3 {
		t.Fatalf("limiter asked %d times, want 3: %+v", len(calls), calls)
	}
	for _, c := range calls {
		if c.Class != classUser || c.User != alice.ID {
			t.Errorf("limiter asked %+v, want the user bucket of alice", c)
		}
	}
	e.limiter.refuse[classUser] = 3 * time.Second
	p := b.get("/app")
	wantStatus(t, p, http.StatusTooManyRequests)
	wantBody(t, p, "Too many requests; try again in 3 seconds.")
	if p.Header.Get("Retry-After") != "3" {
		t.Errorf("Retry-After %q", p.Header.Get("Retry-After"))
	}
}

// A filter that matches nothing says so, without a "0 links" pager under it.
func TestListNoMatch(t *testing.T) {
	e := newEnv(t)
	e.addLink(alice, linkID, "abc", "https://example.com/")
	p := e.signedIn(alice).get("/app?q=nothing-like-this")
	wantBody(t, p, "No links match these filters.")
	if strings.Contains(p.Body, `class="pager muted"`) {
		t.Error("the empty result has a pager")
	}
}

// An error page of the server's own failure gives the request's ID (set by
// the server's middleware before the app runs) to quote; the error's text
// stays in the log.
func TestServerErrorPageGivesTheReference(t *testing.T) {
	e := newEnv(t)
	r := httptest.NewRequest(http.MethodGet, "/app", nil)
	w := httptest.NewRecorder()
	w.Header().Set("X-Request-Id", "req-7f3a")
	e.app.serverError(w, r, fmt.Errorf("read: %w", errInternal))
	if w.Code != http.StatusInternalServerError || !strings.Contains(w.Body.String(), "<code>req-7f3a</code>") ||
		strings.Contains(w.Body.String(), "on fire") {
		t.Errorf("500 page: %d %s", w.Code, w.Body)
	}
}
