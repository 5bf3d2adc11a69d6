package main

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// bulkAnswer is the body of a bulk create or an import.
type bulkAnswer struct {
	Created int `json:"created"`
	Failed  int `json:"failed"`
	Items   []struct {
		Index  int            `json:"index"`
		Status int            `json:"status"`
		Link   map[string]any `json:"link"`
		Errors []problemError `json:"errors"`
	} `json:"items"`
}

func decodeBulk(t *testing.T, r *result) bulkAnswer {
	t.Helper()
	expectJSON(t, r, http.StatusOK)
	var b bulkAnswer
	r.decode(t, &b)
	return b
}

// expectItem checks one item's index, status and, for a failure, that an
// error names location.
func expectItem(t *testing.T, b bulkAnswer, i, index, status int, location string) {
	t.Helper()
	if i >= len(b.Items) {
		t.Fatalf("only %d items, want item %d", len(b.Items), i)
	}
	it := b.Items[i]
	if it.Index != index || it.Status != status {
		t.Errorf("item %d: index %d status %d (%v), want index %d status %d", i, it.Index, it.Status, it.Errors, index, status)
	}
	if status == http.StatusCreated {
		if it.Link == nil || len(it.Errors) > 0 {
			t.Errorf("item %d: created without a link or with errors: %+v", i, it)
		}
		return
	}
	if it.Link != nil || !slices.ContainsFunc(it.Errors, func(e problemError) bool { return e.Location == location && e.Message != "" }) {
		t.Errorf("item %d: errors %+v, want one at %s and no link", i, it.Errors, location)
	}
}

// TestE2EBulkCreate: each item is checked and created on its own (201,
// 409, 422 as a single create would answer, with its errors), the good
// ones redirect at once and each sends its link.created event; the call
// counts as one request; a links:read key may not call it; a body that
// is no bulk at all changes nothing.
func TestE2EBulkCreate(t *testing.T) {
	env := map[string]string{"WEBHOOK_ALLOW_PRIVATE": "true", "RATE_LIMIT_REQUESTS": "50"}
	forEachBackendEnv(t, env, func(t *testing.T, srv *testServer) {
		acct := srv.newAccount(t)
		recv := newHookReceiver(t)
		srv.addWebhook(t, acct, recv)
		alias := "bulk-" + strings.ToLower(acct.id()[:8])
		srv.createLink(t, acct.access, map[string]any{"original_url": "https://example.com/taken", "custom_alias": alias + "-t"})

		expectJSON(t, srv.do(t, "GET", "/api/v1/tags", nil, withToken(acct.access)), http.StatusOK)
		r := srv.do(t, "POST", "/api/v1/urls/bulk", map[string]any{"items": []any{
			map[string]any{"original_url": "https://example.com/one", "title": "One", "tags": []string{"Bulk"}},
			map[string]any{"original_url": "http://127.0.0.1/private"},
			map[string]any{"original_url": "https://example.com/two", "custom_alias": alias + "-t"},
			map[string]any{"original_url": "https://example.com/three", "custom_alias": alias},
			map[string]any{"original_url": "https://example.com/dup", "custom_alias": alias},
			map[string]any{"original_url": "https://example.com/unknown", "Title": "miscased field"},
			map[string]any{"original_url": 5},
			map[string]any{"original_url": "https://example.com/null", "is_public": nil},
			map[string]any{"original_url": "https://example.com/four", "tags": []string{"bulk", "b2"}, "is_public": false},
		}}, withToken(acct.access))
		b := decodeBulk(t, r)
		if b.Created != 3 || b.Failed != 6 || len(b.Items) != 9 {
			t.Fatalf("created %d failed %d items %d, want 3, 6, 9: %s", b.Created, b.Failed, len(b.Items), r.Body)
		}
		expectItem(t, b, 0, 0, 201, "")
		expectItem(t, b, 1, 1, 422, "body.original_url")
		expectItem(t, b, 2, 2, 409, "body.custom_alias")
		expectItem(t, b, 3, 3, 201, "")
		expectItem(t, b, 4, 4, 409, "body.custom_alias")
		expectItem(t, b, 5, 5, 422, "body.Title")
		expectItem(t, b, 6, 6, 422, "body.original_url")
		expectItem(t, b, 7, 7, 422, "body.is_public")
		expectItem(t, b, 8, 8, 201, "")
		if rem := remaining(t, r); rem != 50-4 {
			// register and login count against their own buckets; the
			// webhook, the create, the tags call and the bulk are 4.
			t.Errorf("RateLimit-Remaining %d after the bulk, want %d: the bulk counts as one request", rem, 50-4)
		}

		one := b.Items[0].Link
		checkLinkShape(t, one)
		if str(b.Items[3].Link["short_code"]) != alias || b.Items[8].Link["is_public"] != false {
			t.Errorf("alias item %v, private item %v", b.Items[3].Link, b.Items[8].Link)
		}
		for _, it := range []int{0, 3, 8} {
			l := b.Items[it].Link
			expectRedirect(t, srv.redirect(t, str(l["short_code"])), str(l["original_url"]))
		}
		expectTags(t, srv, acct.access, map[string]int{"b2": 1, "bulk": 2})

		waitLong(t, 20*time.Second, "four link.created events", func() bool { return len(recv.received("link.created")) >= 4 })
		var got []string
		for _, e := range recv.received("link.created") {
			got = append(got, str(e.Data["short_code"]))
		}
		for _, it := range []int{0, 3, 8} {
			if code := str(b.Items[it].Link["short_code"]); !slices.Contains(got, code) {
				t.Errorf("no link.created event for %s (events for %v)", code, got)
			}
		}
		for _, e := range recv.received("link.created") {
			if str(e.Data["short_code"]) == str(one["short_code"]) {
				sameObject(t, "link.created of a bulk item", e.Data, one)
			}
		}

		// Whole-request refusals change nothing.
		count := func() int { _, n := srv.listCodes(t, acct.access, ""); return n }
		n := count()
		expectValidation(t, srv.do(t, "POST", "/api/v1/urls/bulk", map[string]any{"items": []any{}}, withToken(acct.access)), "body.items")
		expectValidation(t, srv.do(t, "POST", "/api/v1/urls/bulk", rawBody(`{"items": null}`), withToken(acct.access)), "body.items")
		many := make([]any, 1001)
		for i := range many {
			many[i] = map[string]any{"original_url": "https://example.com/many"}
		}
		expectValidation(t, srv.do(t, "POST", "/api/v1/urls/bulk", map[string]any{"items": many}, withToken(acct.access)), "body.items")
		expectValidation(t, srv.do(t, "POST", "/api/v1/urls/bulk", map[string]any{"links": []any{}}, withToken(acct.access)), "body.items")
		expectUnauthorized(t, srv.do(t, "POST", "/api/v1/urls/bulk", map[string]any{"items": many[:1]}))
		reader := srv.newKey(t, acct, "links:read")
		expectProblem(t, srv.do(t, "POST", "/api/v1/urls/bulk", map[string]any{"items": many[:1]}, withToken(reader)), http.StatusForbidden)
		expectProblem(t, srv.do(t, "POST", "/api/v1/urls/import", rawBody("original_url\nhttps://example.com/k\n"),
			withHeader("Content-Type", "text/csv"), withToken(reader)), http.StatusForbidden)
		writer := srv.newKey(t, acct, "links:write")
		b = decodeBulk(t, srv.do(t, "POST", "/api/v1/urls/bulk", map[string]any{"items": many[:2]}, withHeader("X-API-Key", writer)))
		if b.Created != 2 {
			t.Errorf("a links:write key's bulk created %d of 2", b.Created)
		}
		expectJSON(t, srv.do(t, "GET", "/api/v1/tags", nil, withToken(reader)), http.StatusOK)
		if n2 := count(); n2 != n+2 {
			t.Errorf("%d links after the refused bulks and one of 2 good items, want %d", n2, n+2)
		}

		// Items that are no create body at all, or whose values only the
		// decoder would refuse, fail on their own, located as a single
		// create's errors.
		b = decodeBulk(t, srv.do(t, "POST", "/api/v1/urls/bulk", rawBody(`{"items": [null, "text",
			{"original_url": "https://example.com/float", "redirect_type": 301.0},
			{"original_url": "https://example.com/bad-text", "title": "a`+"\xff"+`"},
			{"original_url": "https://example.com/fine"}]}`), withToken(acct.access)))
		if b.Created != 1 || b.Failed != 4 {
			t.Fatalf("created %d failed %d, want 1 and 4: %+v", b.Created, b.Failed, b.Items)
		}
		expectItem(t, b, 0, 0, 422, "body")
		expectItem(t, b, 1, 1, 422, "body")
		expectItem(t, b, 2, 2, 422, "body.redirect_type")
		expectItem(t, b, 3, 3, 422, "body.title")
		expectItem(t, b, 4, 4, 201, "")
	})
}
