package web

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/links"
)

// fakeOrganiser exports links, answers import results and records what
// it was asked.
type fakeOrganiser struct {
	tags      []shortener.TagCount
	links     []*shortener.Link
	results   []links.ImportResult
	importErr error
	queries   []ListQuery
	imported  string
	aliases   bool
	took      time.Duration // how long Export works before its first row
}

func (f *fakeOrganiser) Tags(context.Context, *shortener.User) ([]shortener.TagCount, error) {
	return f.tags, nil
}

func (f *fakeOrganiser) Export(ctx context.Context, _ *shortener.User, q ListQuery, fn func(*shortener.Link) error) error {
	f.queries = append(f.queries, q)
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(f.took):
	}
	for _, l := range f.links {
		if err := fn(l); err != nil {
			return err
		}
	}
	return nil
}

func (f *fakeOrganiser) Import(_ context.Context, _ *shortener.User, r io.Reader, aliases bool) ([]links.ImportResult, error) {
	b, _ := io.ReadAll(r)
	f.imported, f.aliases = string(b), aliases
	return f.results, f.importErr
}

func organised(org *fakeOrganiser) func(*Config) {
	return func(c *Config) { c.Organiser = org }
}

// A page whose data never comes (a stalled database) is a 503 page at the
// request timeout; a download has longer.
func TestRequestDeadline(t *testing.T) {
	org := &fakeOrganiser{links: []*shortener.Link{{ID: linkID, ShortCode: "abc", OriginalURL: "https://example.com/"}},
		took: 300 * time.Millisecond}
	e := newEnv(t, organised(org), func(c *Config) { c.RequestTimeout = 100 * time.Millisecond })
	e.addLink(alice, linkID, "abc", "https://example.com/")
	e.links.stall = true
	b := e.signedIn(alice)

	start := time.Now()
	p := b.get("/app/links/" + linkID)
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("answered after %s", took)
	}
	wantStatus(t, p, http.StatusServiceUnavailable)
	wantBody(t, p, "Temporarily unavailable")
	if got := p.Header.Get("Retry-After"); got != "5" {
		t.Errorf("Retry-After %q, want 5", got)
	}
	if !strings.Contains(e.logs.String(), "web: a dependency is unavailable") {
		t.Errorf("no warning logged:\n%s", e.logs)
	}

	p = b.get("/app/export")
	wantStatus(t, p, http.StatusOK)
	wantBody(t, p, "https://example.com/")
}

// TestListFilterBar: the list's search, tag, state and sort reach the
// service, show in the bar, and carry over to the export; values the API
// would refuse are dropped rather than failing the page.
func TestListFilterBar(t *testing.T) {
	org := &fakeOrganiser{tags: []shortener.TagCount{{Tag: "q3", Links: 1}, {Tag: "work", Links: 12}}}
	e := newEnv(t, organised(org))
	l := e.addLink(alice, "00000000-0000-7000-8000-000000000001", "abc1234", "https://example.com/report")
	l.Tags = []string{"work"}
	b := e.signedIn(alice)

	p := b.get("/app?q=Report&tag=Work&state=expired&sort=-click_count")
	wantStatus(t, p, http.StatusOK)
	q := e.links.lists[len(e.links.lists)-1]
	if q.Search != "Report" || !slices.Equal(q.Tags, []string{"work"}) || q.Expired == nil || !*q.Expired || q.Active != nil || q.Sort != "-click_count" {
		t.Errorf("list query %+v", q)
	}
	wantBody(t, p, `role="search"`, `name="q" type="search" value="Report"`,
		`<option value="work" selected>work (12)</option>`, `<option value="expired" selected>Expired</option>`,
		`<option value="-click_count" selected>Most clicks</option>`,
		`href="/app/export?q=Report&amp;sort=-click_count&amp;state=expired&amp;tag=work"`,
		`href="/app/import"`, `<a class="tag" href="/app?tag=work">work</a>`, `>Clear</a>`)

	// Several tags: a link must have all of them, as in the API; the bar
	// keeps those after the first, and the export gets them all.
	p = b.get("/app?tag=work&tag=q3")
	q = e.links.lists[len(e.links.lists)-1]
	if !slices.Equal(q.Tags, []string{"q3", "work"}) {
		t.Errorf("two tags: list query tags %v", q.Tags)
	}
	wantBody(t, p, `<input type="hidden" name="tag" value="work">`, `<option value="q3" selected>q3 (1)</option>`,
		`href="/app/export?tag=q3&amp;tag=work"`, `id="filter-q" name="q" type="search" value="" placeholder="Code, title or URL" spellcheck="false" autocapitalize="off" data-slash`)

	// The filter bar's form as a browser sends it with "Any tag" (and
	// "Any state") chosen: tag= and state= are no filters, beside a tag
	// kept in a hidden field too.
	for _, c := range []struct {
		query string
		tags  []string
	}{
		{"/app?q=Report&tag=&state=&sort=-created_at", nil},
		{"/app?tag=work&tag=&state=&sort=title", []string{"work"}},
	} {
		p := b.get(c.query)
		wantStatus(t, p, http.StatusOK)
		if q := e.links.lists[len(e.links.lists)-1]; !slices.Equal(q.Tags, c.tags) || q.Active != nil || q.Expired != nil {
			t.Errorf("%s: list query %+v, want tags %v and no state", c.query, q, c.tags)
		}
	}
	wantStatus(t, b.get("/app/export?q=Report&tag=&state="), http.StatusOK)

	// A state or sort of no choice is left out.
	b.get("/app?sort=bogus&state=odd")
	q = e.links.lists[len(e.links.lists)-1]
	if q.Sort != "" || q.Active != nil || q.Expired != nil {
		t.Errorf("made-up choices kept: %+v", q)
	}
	// A search or tag the API would refuse is said next to its field and
	// kept as typed; the list is not loaded (not every link listed) and
	// the export offers nothing.
	lists := len(e.links.lists)
	long := strings.Repeat("x", shortener.MaxSearchLength+1)
	p = b.get("/app?tag=not+a+tag&q=" + long)
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantBody(t, p, `value="`+long+`"`, `aria-describedby="filter-q-error"`, `id="filter-q-error">Search is at most 2048 characters.</p>`,
		`<option value="not a tag" selected>not a tag</option>`, `id="filter-tag-error">A tag is 1 to 50 characters`)
	if len(e.links.lists) != lists {
		t.Error("the list was loaded with refused filters")
	}
	if strings.Contains(p.Body, "No links match") || strings.Contains(p.Body, "/app/export?") {
		t.Errorf("refused filters: %s", p.Body)
	}
	if p := b.get("/app/export?q=" + long); p.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(p.Body, "Search is at most 2048") {
		t.Errorf("the export with a refused search: %d", p.StatusCode)
	}
}

// TestExportDownload: the export is the API's CSV of the links the
// filters select.
func TestExportDownload(t *testing.T) {
	title := "=HYPERLINK(\"x\")"
	org := &fakeOrganiser{links: []*shortener.Link{{ID: "l1", ShortCode: "abc1234", OriginalURL: "https://example.com/",
		Title: &title, Tags: []string{"a", "b"}, IsActive: true, CreatedAt: testNow}}}
	e := newEnv(t, organised(org))
	p := e.signedIn(alice).get("/app/export?tag=a&state=disabled")
	wantStatus(t, p, http.StatusOK)
	if cc := p.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	if ct := p.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" || !strings.HasPrefix(p.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("Content-Type %q, Content-Disposition %q", ct, p.Header.Get("Content-Disposition"))
	}
	wantBody(t, p, "short_code,short_url,original_url,title,tags,created_at,expires_at,is_active,is_public,click_count,domain\n",
		`abc1234,https://sho.rt/abc1234,https://example.com/,"'=HYPERLINK(""x"")",a|b,2026-12-14T15:30:00Z,,true,false,0,`)
	if q := org.queries[0]; !slices.Equal(q.Tags, []string{"a"}) || q.Active == nil || *q.Active {
		t.Errorf("export query %+v", q)
	}
	if p := e.browser().get("/app/export"); p.StatusCode != http.StatusSeeOther {
		t.Errorf("signed out: %d, want a redirect to the login", p.StatusCode)
	}
}

// upload posts a file to /app/import as the page's form does.
func (b *browser) upload(file, codes string, withToken bool) page {
	b.e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if withToken {
		_ = mw.WriteField(csrfField, csrfOf(b.last))
	}
	_ = mw.WriteField("codes", codes)
	if file != "" {
		fw, _ := mw.CreateFormFile("file", "links.csv")
		_, _ = fw.Write([]byte(file))
	}
	_ = mw.Close()
	req := httptest.NewRequest(http.MethodPost, "/app/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for name, value := range b.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	rec := httptest.NewRecorder()
	b.e.app.ServeHTTP(rec, req)
	return page{Response: rec.Result(), Body: rec.Body.String()}
}

// TestImportUpload: an uploaded file goes to the import; each record's
// outcome is listed, a file the import refuses is an error at the field,
// and a form without its CSRF token changes nothing.
func TestImportUpload(t *testing.T) {
	org := &fakeOrganiser{results: []links.ImportResult{
		{Record: 1, BulkResult: links.BulkResult{Link: &shortener.Link{ID: "l1", ShortCode: "abc1234", OriginalURL: "https://example.com/a", IsActive: true}}},
		{Record: 2, BulkResult: links.BulkResult{Err: shortener.Invalid("body.original_url", "original_url must be an absolute http or https URL", "nope")}},
		{Record: 3, BulkResult: links.BulkResult{Err: &shortener.Error{Code: shortener.ECONFLICT, Message: "This alias is already taken."}}},
	}}
	e := newEnv(t, organised(org))
	b := e.signedIn(alice)
	wantBody(t, b.get("/app/import"), `enctype="multipart/form-data"`, `type="file"`)

	p := b.upload("url,title\nhttps://example.com/a,A\nnope,B\nhttps://example.com/c,C\n", "new", true)
	wantStatus(t, p, http.StatusOK)
	if !strings.HasPrefix(org.imported, "url,title\n") || org.aliases {
		t.Errorf("import got %q (aliases %v), want the file with new codes", org.imported, org.aliases)
	}
	wantBody(t, p, "1 link created, 2 records refused", `href="/app/links/l1"`, ">Created</span>",
		">Invalid</span>", "URL must be an absolute http or https URL.", ">Alias taken</span>")

	org.importErr = shortener.Invalid("body", "the header row needs an original_url column (or url, long_url)", nil)
	p = b.upload("address\nhttps://example.com/\n", "keep", true)
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantBody(t, p, `<p class="field-error" id="file-error">The header row needs an original_url column (or url, long_url).</p>`)

	p = b.upload("", "keep", true)
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantBody(t, p, "Choose a CSV file to import.")

	org.imported = ""
	if p := b.upload("url\nhttps://example.com/\n", "keep", false); p.StatusCode != http.StatusForbidden || org.imported != "" {
		t.Errorf("without a CSRF token: %d, imported %q", p.StatusCode, org.imported)
	}
}

// clickSource answers clicks, or err, and records the range asked for.
type clickSource struct {
	clicks   []shortener.ClickEvent
	err      error
	from, to time.Time
}

func (c *clickSource) ExportClicks(_ context.Context, _ *shortener.User, _, _ string, from, to time.Time, fn func(shortener.ClickEvent) error) error {
	c.from, c.to = from, to
	if c.err != nil {
		return c.err
	}
	for _, e := range c.clicks {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// TestClicksDownload: the link page offers its period's clicks as the
// API's clicks CSV; someone else's link is a 404 page.
func TestClicksDownload(t *testing.T) {
	src := &clickSource{clicks: []shortener.ClickEvent{{OccurredAt: testNow.Add(-time.Hour), Referrer: "=cmd", Country: "DE",
		Browser: "Firefox", OS: "Linux", Device: "desktop", Target: "https://example.com/"}}}
	e := newEnv(t, func(c *Config) { c.ClickExports = src })
	l := e.addLink(alice, "00000000-0000-7000-8000-000000000001", "abc1234", "https://example.com/")
	b := e.signedIn(alice)
	wantBody(t, b.get("/app/links/"+l.ID+"?days=7"), `href="/app/links/`+l.ID+`/clicks.csv?days=7" download>Download clicks (CSV)</a>`)

	p := b.get("/app/links/" + l.ID + "/clicks.csv?days=7")
	wantStatus(t, p, http.StatusOK)
	wantBody(t, p, "time,referrer_host,country,browser,os,device,is_bot,target\n",
		"2026-12-14T14:30:00Z,'=cmd,DE,Firefox,Linux,desktop,false,https://example.com/\n")
	if want := time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC); !src.from.Equal(want) || !src.to.After(testNow) {
		t.Errorf("range [%s, %s), want from %s to now", src.from, src.to, want)
	}
	if p := e.signedIn(bob).get("/app/links/" + l.ID + "/clicks.csv"); p.StatusCode != http.StatusNotFound {
		t.Errorf("another user's link: %d, want 404", p.StatusCode)
	}
}
