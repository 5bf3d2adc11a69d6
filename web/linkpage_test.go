package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

const linkID = "00000000-0000-7000-8000-000000000001"

// sampleSummary is 30 days to testNow's day, 15 Nov to 14 Dec 2026.
func sampleSummary() *ClickSummary {
	s := &ClickSummary{ShortCode: "abc", PeriodDays: 30, TotalClicks: 1234, UniqueVisitors: 800, BotClicks: 17,
		DailyStats: period("2026-12-14", 30, func(day time.Time) (int64, int64) {
			if day.Day() == 3 && day.Month() == time.December {
				return 41, 29
			}
			if day.Day()%4 == 0 {
				return 0, 0
			}
			return int64(day.Day()), 1
		}),
		TopReferrers: []TopItem{{Label: "(direct)", Count: 700, Percentage: 56.7}, {Label: "news.ycombinator.com", Count: 534, Percentage: 43.3}},
		TopCountries: []TopItem{{Label: "DE", Count: 600, Percentage: 48.6}, {Label: "ZZ", Count: 34, Percentage: 2.8}, {Label: "unknown", Count: 600, Percentage: 48.6}},
		TopBrowsers:  []TopItem{{Label: "Firefox", Count: 1234, Percentage: 100}},
		TopDevices:   []TopItem{{Label: "desktop", Count: 1000, Percentage: 81}, {Label: "mobile", Count: 234, Percentage: 19}},
		TopTargets: []TopItem{
			{Label: "https://example.com/a/long/page", Count: 1200, Percentage: 97.2},
			{Label: "https://example.com/an/even/longer/page/that/it/once/went/to?with=a&query=string", Count: 30, Percentage: 2.4},
			{Label: "", Count: 4, Percentage: 0.3},
		},
	}
	return s
}

func TestLinkPage(t *testing.T) {
	e := newEnv(t)
	e.addLink(alice, linkID, "abc", "https://example.com/a/long/page")
	e.summaries.summary = sampleSummary()
	p := e.signedIn(alice).get("/app/links/" + linkID)
	wantStatus(t, p, http.StatusOK)
	wantBody(t, p,
		`href="https://sho.rt/abc"`, `data-copy="https://sho.rt/abc"`,
		`src="/app/qr/abc.svg"`, `href="/app/qr/abc.png" download="abc.png"`, `download="abc.svg"`,
		`<dt>Clicks</dt><dd>1,234</dd>`, `<dt>Unique visitors</dt><dd>800</dd>`, `<dt>Bots</dt><dd>17</dd>`,
		`<dt>Clicks today</dt><dd>14</dd>`, // the last day, 14 Dec, had 14 clicks
		`class="chart chart-narrow"`, `class="chart chart-wide"`, "3 Dec 2026: 41 clicks, 29 visitors",
		"Direct or no referrer", "<span>news.ycombinator.com</span>", "Germany", "<span>ZZ</span>", "<span>Unknown</span>", "Desktop",
		"56.7%", `aria-current="page">30 days`, `href="/app/links/`+linkID+`?days=7"`,
		// The targets redirected to, a long one shortened in the middle.
		`<h3 id="top-targets"><span>Targets</span>`, "<span>https://example.com/a/long/page</span>",
		`<span title="https://example.com/an/even/longer/page/that/it/once/went/to?with=a&amp;query=string">https://example.com/…with=a&amp;query=string</span>`,
		"<span>Unknown</span><span class=\"n\">4</span>",
		`value="https://example.com/a/long/page"`, // the edit form, filled in
	)
	if got := e.summaries.days; len(got) != 1 || got[0] != 30 {
		t.Errorf("summary asked for %v days, want 30", got)
	}
}

func TestLinkPageHeading(t *testing.T) {
	e := newEnv(t)
	e.addLink(alice, linkID, "abc", "https://example.com/")
	b := e.signedIn(alice)
	// Untitled: the short URL is the heading, and shows once.
	p := b.get("/app/links/" + linkID)
	wantBody(t, p, `<h1 class="short-heading"><a class="short" href="https://sho.rt/abc">sho.rt/abc</a></h1>`)
	// (Once in the page's head; the empty analytics' invitation to share
	// it, further down, shows it again.)
	if head, _, _ := strings.Cut(p.Body, "share your short link"); strings.Count(head, ">sho.rt/abc</a>") != 1 {
		t.Errorf("the short URL shows %d times as a link in the head, want once", strings.Count(head, ">sho.rt/abc</a>"))
	}
	// Titled: the title is the heading, the short URL under it.
	title := "Spring <sale>"
	e.links.find(linkID).Title = &title
	p = b.get("/app/links/" + linkID)
	wantBody(t, p, "<h1>Spring &lt;sale&gt;</h1>\n<div class=\"copy-row\">\n<a class=\"short\" href=\"https://sho.rt/abc\">sho.rt/abc</a>")
	if n := strings.Count(p.Body, "<h1"); n != 1 {
		t.Errorf("%d headings of level 1, want 1", n)
	}
}

func TestLinkPagePeriods(t *testing.T) {
	e := newEnv(t)
	e.addLink(alice, linkID, "abc", "https://example.com/")
	b := e.signedIn(alice)
	for _, tt := range []struct {
		query string
		want  int
	}{{"?days=7", 7}, {"?days=90", 90}, {"?days=365", 30}, {"?days=x", 30}} {
		b.get("/app/links/" + linkID + tt.query)
		if got := e.summaries.days[len(e.summaries.days)-1]; got != tt.want {
			t.Errorf("%s: summary of %d days, want %d", tt.query, got, tt.want)
		}
	}
}

func TestLinkPageEmptyAndUnavailable(t *testing.T) {
	e := newEnv(t)
	l := e.addLink(alice, linkID, "abc", "https://example.com/")
	l.ClickCount = 0
	b := e.signedIn(alice)
	p := b.get("/app/links/" + linkID)
	wantStatus(t, p, http.StatusOK)
	wantBody(t, p, "No clicks yet</strong> — share your short link: <a class=\"short\" href=\"https://sho.rt/abc\">sho.rt/abc</a>")
	if strings.Contains(p.Body, "<svg xmlns") {
		t.Error("an empty period draws a chart")
	}

	e.summaries.err = errInternal
	p = b.get("/app/links/" + linkID)
	wantStatus(t, p, http.StatusOK)
	wantBody(t, p, "Clicks can’t be shown right now", `value="https://example.com/"`)
	if strings.Contains(p.Body, "db is on fire") {
		t.Error("internal error text reached the page")
	}

	// Someone who may not see the analytics does not see the page either.
	e.summaries.err = shortener.Errorf(shortener.ENOTFOUND, "Link not found.")
	wantStatus(t, b.get("/app/links/"+linkID), http.StatusNotFound)
}

func TestLinkOfAnotherUserIsNotFound(t *testing.T) {
	e := newEnv(t)
	l := e.addLink(bob, linkID, "abc", "https://example.com/")
	l.IsPublic = false
	wantStatus(t, e.signedIn(alice).get("/app/links/"+linkID), http.StatusNotFound)
	wantStatus(t, e.signedIn(alice).get("/app/links/not-an-id"), http.StatusNotFound)
}

func TestEditLink(t *testing.T) {
	e := newEnv(t)
	l := e.addLink(alice, linkID, "abc", "https://example.com/")
	past := testNow.Add(-time.Hour)
	l.ExpiresAt = &past // expired: sending it back unchanged would be refused
	b := e.signedIn(alice)
	b.get("/app/links/" + linkID + "?days=7")
	p := b.submit("/app/links/"+linkID+"/edit?days=7", url.Values{
		"original_url": {"https://example.com/"}, "title": {"Launch"},
		"expires_at": {inputDateTime(&past)}, "is_public": {"false"}, "is_active": {"true"},
	})
	wantStatus(t, p, http.StatusSeeOther)
	if got := p.Header.Get("Location"); got != "/app/links/"+linkID+"?days=7" {
		t.Errorf("redirect to %q", got)
	}
	in := e.links.updated[0]
	if in.OriginalURL != nil || in.ExpiresAt != nil || in.ClearExpiry || in.Title == nil || *in.Title != "Launch" ||
		*in.IsPublic || !*in.IsActive {
		t.Errorf("update %+v, want only the title, visibility and state", in)
	}

	// Emptying the expiry clears it; a malformed one is refused here.
	b.get("/app/links/" + linkID)
	b.submit("/app/links/"+linkID+"/edit", url.Values{"original_url": {"https://example.com/"}, "expires_at": {""}})
	if in := e.links.updated[1]; !in.ClearExpiry || *in.IsActive {
		t.Errorf("update %+v, want the expiry cleared and the link disabled (box unticked)", in)
	}
	b.get("/app/links/" + linkID)
	p = b.submit("/app/links/"+linkID+"/edit", url.Values{"original_url": {"https://example.com/"}, "expires_at": {"soon"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantBody(t, p, `<details class="card" open>`, `id="expires_at-error">Enter a date and time`, `value="soon"`)
	if n := e.links.count("Update"); n != 2 {
		t.Errorf("%d updates, want the malformed one not sent", n)
	}
}
