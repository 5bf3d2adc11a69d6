package main

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// listCodes lists the caller's links with query and returns their codes
// in order, and the total.
func (s *testServer) listCodes(t *testing.T, token, query string) ([]string, int) {
	t.Helper()
	r := s.do(t, "GET", "/api/v1/urls?"+query, nil, withToken(token))
	expectJSON(t, r, http.StatusOK)
	var page struct {
		Items []map[string]any `json:"items"`
		Total int              `json:"total"`
	}
	r.decode(t, &page)
	codes := make([]string, len(page.Items))
	for i, l := range page.Items {
		codes[i] = str(l["short_code"])
	}
	return codes, page.Total
}

// expectCodes checks the codes a list answers, in order.
func (s *testServer) expectCodes(t *testing.T, token, query string, want ...string) {
	t.Helper()
	got, total := s.listCodes(t, token, query)
	if !slices.Equal(got, want) || total != len(want) && !strings.Contains(query, "size=") {
		t.Errorf("GET /api/v1/urls?%s = %v (total %d), want %v", query, got, total, want)
	}
}

// TestE2EListFiltersAndSorts: every filter and sort of API.md's
// "Organising links", alone and combined with paging, only ever over the
// caller's own links (an admin's owner=all over everyone's); tags are
// normalised and counted; bad values are 422.
func TestE2EListFiltersAndSorts(t *testing.T) {
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		a, b := srv.newAccount(t), srv.newAccount(t)
		mk := func(body map[string]any) string {
			time.Sleep(2 * time.Millisecond) // distinct created_at, so newest-first is known
			return str(srv.createLink(t, a.access, body)["short_code"])
		}
		l1 := mk(map[string]any{"original_url": "https://example.com/alpha", "title": "Banana report", "tags": []string{"Work", "q3", "work"}})
		l2 := mk(map[string]any{"original_url": "https://example.org/beta", "title": "apple pie", "tags": []string{"work"}})
		l3 := mk(map[string]any{"original_url": "https://example.net/gamma"})
		expiry := time.Now().Add(1500 * time.Millisecond)
		l4 := mk(map[string]any{"original_url": "https://example.com/delta", "title": "Cherry",
			"expires_at": expiry.UTC().Format(time.RFC3339Nano)})
		l5 := mk(map[string]any{"original_url": "https://example.com/x_y", "title": "zeta", "custom_alias": "Special-" + strings.ToLower(a.id()[:8])})
		l6 := mk(map[string]any{"original_url": "https://example.com/xay"})
		srv.createLink(t, b.access, map[string]any{"original_url": "https://example.com/other", "title": "banana too", "tags": []string{"work"}})

		first := srv.do(t, "GET", "/api/v1/urls?q=alpha", nil, withToken(a.access)).object(t)["items"].([]any)[0].(map[string]any)
		if tags := first["tags"].([]any); len(tags) != 2 || tags[0] != "q3" || tags[1] != "work" {
			t.Errorf("tags %v, want [q3 work] (lower-cased, sorted, duplicates dropped)", tags)
		}
		// The 20 counts what is left once duplicates are dropped (API.md),
		// however many the list repeats.
		many := make([]string, 150)
		for i := range many {
			many[i] = []string{"Dup", "dup", "DUP"}[i%3]
		}
		dups := srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://example.com/dups", "tags": many}, withToken(b.access))
		if tags, _ := dups.object(t)["tags"].([]any); dups.Status != http.StatusCreated || len(tags) != 1 || tags[0] != "dup" {
			t.Errorf("150 copies of one tag: %s, want 201 with [dup]", dups)
		}
		distinct := make([]string, 21)
		for i := range distinct {
			distinct[i] = "t" + strconv.Itoa(i)
		}
		expectValidation(t, srv.do(t, "POST", "/api/v1/urls", map[string]any{"original_url": "https://example.com/many", "tags": distinct}, withToken(b.access)), "body.tags")
		expectValidation(t, srv.do(t, "PATCH", "/api/v1/urls/"+str(first["id"]), map[string]any{"tags": distinct}, withToken(a.access)), "body.tags")

		id3 := srv.do(t, "GET", "/api/v1/urls?q=gamma", nil, withToken(a.access)).object(t)["items"].([]any)[0].(map[string]any)["id"]
		expectJSON(t, srv.do(t, "PATCH", "/api/v1/urls/"+str(id3), map[string]any{"is_active": false}, withToken(a.access)), http.StatusOK)

		// Clicks: two on l2, one on l1.
		for _, c := range []string{l2, l2, l1} {
			expectStatus(t, srv.redirect(t, c, withHeader("User-Agent", uaChrome)), http.StatusFound)
		}
		waitFor(t, "the clicks flushed", func() bool {
			got, _ := srv.listCodes(t, a.access, "sort=-click_count&size=2")
			return slices.Equal(got, []string{l2, l1})
		})
		time.Sleep(time.Until(expiry) + 50*time.Millisecond)

		all := []string{l6, l5, l4, l3, l2, l1}
		srv.expectCodes(t, a.access, "", all...)
		srv.expectCodes(t, a.access, "sort=-created_at", all...)
		srv.expectCodes(t, a.access, "sort=created_at", l1, l2, l3, l4, l5, l6)
		srv.expectCodes(t, a.access, "sort=-click_count", l2, l1, l6, l5, l4, l3)
		srv.expectCodes(t, a.access, "sort=click_count", l6, l5, l4, l3, l1, l2)
		srv.expectCodes(t, a.access, "sort=title", l2, l1, l4, l5, l6, l3)
		srv.expectCodes(t, a.access, "sort=-title", l5, l4, l1, l2, l6, l3)

		srv.expectCodes(t, a.access, "q=BANANA", l1)
		srv.expectCodes(t, a.access, "q=example.org", l2)
		srv.expectCodes(t, a.access, "q=special-", l5)
		srv.expectCodes(t, a.access, "q=x_y", l5) // _ is a character, not a wildcard
		srv.expectCodes(t, a.access, "q="+url.QueryEscape("100%"))
		srv.expectCodes(t, a.access, "tag=work", l2, l1)
		srv.expectCodes(t, a.access, "tag=WORK&tag=q3", l1)
		srv.expectCodes(t, a.access, "tag=work&tag=nothing")
		srv.expectCodes(t, a.access, "active=false", l3)
		srv.expectCodes(t, a.access, "active=true", l6, l5, l4, l2, l1)
		srv.expectCodes(t, a.access, "expired=true", l4)
		srv.expectCodes(t, a.access, "expired=false", l6, l5, l3, l2, l1)
		srv.expectCodes(t, a.access, "q=example.com&active=true&expired=false&sort=title", l1, l5, l6)

		got, total := srv.listCodes(t, a.access, "tag=work&sort=-click_count&size=1&page=2")
		if !slices.Equal(got, []string{l1}) || total != 2 {
			t.Errorf("tag=work, sorted by clicks, page 2 of size 1 = %v (total %d), want [%s] of 2", got, total, l1)
		}

		// Given without a value is "anything else" too, not absent.
		for _, q := range []string{"sort=clicks", "sort=CREATED_AT", "active=maybe", "expired=1", "tag=Not%20a%20tag", "page=0",
			"sort=", "active=", "expired=", "tag=", "tag=%E2%84%AA", "owner=", "page=", "size=", "domain="} {
			loc := "query." + strings.SplitN(q, "=", 2)[0]
			if loc == "query.tag" {
				loc = "query.tag[0]"
			}
			expectValidation(t, srv.do(t, "GET", "/api/v1/urls?"+q, nil, withToken(a.access)), loc)
		}

		admin := srv.newAccount(t)
		srv.promote(t, admin)
		got, _ = srv.listCodes(t, admin.access, "owner=all&q=banana&sort=title")
		if len(got) != 2 || got[0] != l1 {
			t.Errorf("admin owner=all&q=banana = %v, want %s and the other user's link", got, l1)
		}
		expectProblem(t, srv.do(t, "GET", "/api/v1/urls?owner=all&q=banana", nil, withToken(a.access)), http.StatusForbidden)

		expectTags(t, srv, a.access, map[string]int{"q3": 1, "work": 2})
		r := srv.do(t, "PATCH", "/api/v1/urls/"+str(first["id"]), map[string]any{"tags": []string{"New"}}, withToken(a.access))
		expectJSON(t, r, http.StatusOK)
		if tags := r.object(t)["tags"].([]any); len(tags) != 1 || tags[0] != "new" {
			t.Errorf("after PATCH tags [New]: %v, want [new] (the list is replaced)", tags)
		}
		expectTags(t, srv, a.access, map[string]int{"new": 1, "work": 1})
		expectValidation(t, srv.do(t, "PATCH", "/api/v1/urls/"+str(first["id"]), map[string]any{"tags": []string{"ok", "no spaces"}}, withToken(a.access)), "body.tags[1]")
		expectValidation(t, srv.do(t, "PATCH", "/api/v1/urls/"+str(first["id"]), map[string]any{"tags": nil}, withToken(a.access)), "body.tags")
		expectTags(t, srv, a.access, map[string]int{"new": 1, "work": 1})

		// A whole original_url is a search: the longest one too.
		long := "https://example.net/" + strings.Repeat("p", 2048-len("https://example.net/"))
		ll := str(srv.createLink(t, a.access, map[string]any{"original_url": long})["short_code"])
		srv.expectCodes(t, a.access, "q="+url.QueryEscape(long), ll)
		expectValidation(t, srv.do(t, "GET", "/api/v1/urls?q="+long+"p", nil, withToken(a.access)), "query.q")
	})
}

// expectTags checks GET /api/v1/tags: the caller's tags with their
// counts, by tag.
func expectTags(t *testing.T, srv *testServer, token string, want map[string]int) {
	t.Helper()
	r := srv.do(t, "GET", "/api/v1/tags", nil, withToken(token))
	expectJSON(t, r, http.StatusOK)
	var body struct {
		Items []struct {
			Tag   string `json:"tag"`
			Links int    `json:"links"`
		} `json:"items"`
	}
	r.decode(t, &body)
	got := map[string]int{}
	var order []string
	for _, it := range body.Items {
		got[it.Tag] = it.Links
		order = append(order, it.Tag)
	}
	if len(got) != len(want) || !slices.IsSorted(order) {
		t.Errorf("tags %v, want %v, by tag", body.Items, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("tag %s: %d links, want %d", k, got[k], v)
		}
	}
}
