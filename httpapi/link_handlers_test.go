package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

func TestCreateLinkAnswer(t *testing.T) {
	f := newFakes()
	expires := time.Date(2027, 1, 2, 3, 4, 5, 0, time.FixedZone("CET", 3600))
	owner := ada.ID
	f.links.link = &shortener.Link{ID: "0190a0f4-0000-7000-8000-0000000000aa", ShortCode: "abc", OriginalURL: "https://example.com",
		OwnerID: &owner, IsActive: true, IsPublic: true, ExpiresAt: &expires, ClickCount: 7, CreatedAt: testNow, UpdatedAt: testNow}
	w := serve(t, f.server(), "POST", "/api/v1/urls", `{"original_url":"https://example.com"}`, bearer(adaToken)...)
	if w.Code != http.StatusCreated || w.Header().Get("Location") != "/api/v1/urls/0190a0f4-0000-7000-8000-0000000000aa" {
		t.Fatalf("status %d, Location %q", w.Code, w.Header().Get("Location"))
	}
	want := `{"id":"0190a0f4-0000-7000-8000-0000000000aa","short_code":"abc","short_url":"https://sho.rt/abc","domain":"",` +
		`"original_url":"https://example.com","custom_alias":null,"title":null,"owner_id":"` + ada.ID + `",` +
		`"is_active":true,"is_public":true,"expires_at":"2027-01-02T02:04:05Z","click_count":7,` +
		`"created_at":"2026-11-07T12:00:00Z","updated_at":"2026-11-07T12:00:00Z","redirect_type":302,"forward_query":false,"valid_since":null,"max_clicks":null,"has_password":false,"rules":[],"variants":null,"tags":[]}` + "\n"
	if w.Body.String() != want {
		t.Errorf("body\n%s\nwant\n%s", w.Body, want)
	}
	if f.links.caller != ada {
		t.Errorf("caller %v, want ada", f.links.caller)
	}
}

func TestListLinksPages(t *testing.T) {
	f := newFakes()
	f.links.link = &shortener.Link{ID: "0190a0f4-0000-7000-8000-0000000000aa", ShortCode: "abc"}
	w := serve(t, f.server(), "GET", "/api/v1/urls?page=3&size=1", "", bearer(adaToken)...)
	var page struct{ Total, Page, Size, Pages int }
	decodeJSON(t, w, &page)
	if page.Total != 1 || page.Page != 3 || page.Size != 1 || page.Pages != 1 {
		t.Errorf("page %+v", page)
	}
}

func TestDeleteLink(t *testing.T) {
	f := newFakes()
	w := serve(t, f.server(), "DELETE", linkPath, "", bearer(adaToken)...)
	if w.Code != http.StatusNoContent || w.Body.Len() != 0 || f.links.caller != ada {
		t.Fatalf("status %d, %d bytes, caller %v; want 204, none, ada", w.Code, w.Body.Len(), f.links.caller)
	}
}
