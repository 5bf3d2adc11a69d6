package storetest

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

func newWebhook(userID string, at time.Time, events ...string) *shortener.Webhook {
	return &shortener.Webhook{
		ID: shortener.NewIDAt(at), UserID: userID, URL: "https://hooks.example.com/in", Events: events,
		Description: "CRM", Secret: shortener.NewWebhookSecret(), IsActive: true, CreatedAt: at, UpdatedAt: at,
	}
}

func mustWebhook(t *testing.T, s Stores, userID string, events ...string) *shortener.Webhook {
	t.Helper()
	w := newWebhook(userID, t0, events...)
	noErr(t, s.Webhooks.CreateWebhook(context.Background(), w))
	return w
}

// far is a time by which every queued delivery is due.
func far() time.Time { return time.Now().Add(24 * time.Hour) }

// claimAll claims every due delivery, with a lease of an hour.
func claimAll(t *testing.T, s Stores, now time.Time) []*shortener.Delivery {
	t.Helper()
	d, err := s.Webhooks.ClaimDeliveries(context.Background(), now, 1000, time.Hour, nil)
	noErr(t, err)
	return d
}

func testWebhooks(t *testing.T, open func(t *testing.T) Stores) {
	ctx := context.Background()

	t.Run("CRUD", func(t *testing.T) {
		s := open(t)
		u, other := mustUser(t, s, "hooks@example.com"), mustUser(t, s, "else@example.com")
		w1 := mustWebhook(t, s, u.ID, shortener.EventLinkCreated, shortener.EventLinkClicked)
		w2 := newWebhook(u.ID, t0.Add(time.Second), shortener.EventLinkDeleted)
		noErr(t, s.Webhooks.CreateWebhook(ctx, w2))
		mustWebhook(t, s, other.ID, shortener.EventLinkCreated)

		got, err := s.Webhooks.WebhookByID(ctx, w1.ID)
		noErr(t, err)
		if !reflect.DeepEqual(got, w1) {
			t.Errorf("WebhookByID = %+v, want %+v", got, w1)
		}
		for _, id := range []string{shortener.NewID(), "nope"} {
			_, err = s.Webhooks.WebhookByID(ctx, id)
			wantCode(t, err, shortener.ENOTFOUND)
		}
		list, err := s.Webhooks.ListWebhooks(ctx, u.ID)
		noErr(t, err)
		if len(list) != 2 || list[0].ID != w2.ID || list[1].ID != w1.ID {
			t.Errorf("ListWebhooks = %v, want w2, w1", list)
		}

		url, events := "https://other.example.com/hook", []string{shortener.EventLinkUpdated}
		up, err := s.Webhooks.UpdateWebhook(ctx, w1.ID, shortener.WebhookUpdate{URL: &url, Events: &events}, t0.Add(time.Minute))
		noErr(t, err)
		if up.URL != url || !reflect.DeepEqual(up.Events, events) || up.Description != "CRM" || !up.IsActive ||
			!up.UpdatedAt.Equal(t0.Add(time.Minute)) || up.Secret != w1.Secret {
			t.Errorf("UpdateWebhook = %+v", up)
		}
		_, err = s.Webhooks.UpdateWebhook(ctx, shortener.NewID(), shortener.WebhookUpdate{URL: &url}, t0)
		wantCode(t, err, shortener.ENOTFOUND)

		noErr(t, s.Webhooks.DeleteWebhook(ctx, w1.ID))
		wantCode(t, s.Webhooks.DeleteWebhook(ctx, w1.ID), shortener.ENOTFOUND)
		wantCode(t, s.Webhooks.DeleteWebhook(ctx, "nope"), shortener.ENOTFOUND)
	})

	t.Run("LinkEvents", func(t *testing.T) {
		s := open(t)
		u, other := mustUser(t, s, "events@example.com"), mustUser(t, s, "other@example.com")
		all := mustWebhook(t, s, u.ID, shortener.EventLinkCreated, shortener.EventLinkUpdated, shortener.EventLinkDeleted)
		mustWebhook(t, s, u.ID, shortener.EventLinkClicked) // not subscribed to link changes
		off := mustWebhook(t, s, u.ID, shortener.EventLinkCreated)
		f := false
		_, err := s.Webhooks.UpdateWebhook(ctx, off.ID, shortener.WebhookUpdate{IsActive: &f}, t0)
		noErr(t, err)
		mustWebhook(t, s, other.ID, shortener.EventLinkCreated) // another user's

		l := newLink("evt", &u.ID, t0)
		l.PasswordHash = "$2a$04$secret"
		noErr(t, s.Links.CreateLink(ctx, l))
		noErr(t, s.Links.CreateLink(ctx, newLink("anon", nil, t0))) // no owner, no event
		wantLinkEvent(t, claimAll(t, s, far()), all.ID, shortener.EventLinkCreated, l)

		title := "New title"
		updated, err := s.Links.UpdateLink(ctx, l.ID, shortener.LinkUpdate{Title: &title}, t0.Add(time.Minute))
		noErr(t, err)
		wantLinkEvent(t, claimAll(t, s, far()), all.ID, shortener.EventLinkUpdated, updated)

		noErr(t, s.Links.DeleteLink(ctx, l.ID))
		wantLinkEvent(t, claimAll(t, s, far()), all.ID, shortener.EventLinkDeleted, updated)

		// A failed change writes no event.
		wantCode(t, s.Links.CreateLink(ctx, newLink("anon", &u.ID, t0)), shortener.ECONFLICT)
		_, err = s.Links.UpdateLink(ctx, l.ID, shortener.LinkUpdate{Title: &title}, t0)
		wantCode(t, err, shortener.ENOTFOUND)
		wantCode(t, s.Links.DeleteLink(ctx, l.ID), shortener.ENOTFOUND)
		if d := claimAll(t, s, far()); len(d) != 0 {
			t.Errorf("failed changes queued %d deliveries", len(d))
		}
	})

	t.Run("Ping", func(t *testing.T) {
		s := open(t)
		u := mustUser(t, s, "ping@example.com")
		w := mustWebhook(t, s, u.ID, shortener.EventLinkCreated)
		f := false
		_, err := s.Webhooks.UpdateWebhook(ctx, w.ID, shortener.WebhookUpdate{IsActive: &f}, t0)
		noErr(t, err)
		id := shortener.NewID()
		data := shortener.EncodeEventData(shortener.PingData{WebhookID: w.ID})
		noErr(t, s.Webhooks.EnqueuePing(ctx, w.ID, id, data, t0))
		wantCode(t, s.Webhooks.EnqueuePing(ctx, shortener.NewID(), shortener.NewID(), data, t0), shortener.ENOTFOUND)
		d := claimAll(t, s, t0)
		if len(d) != 1 || d[0].EventID != id || d[0].Event != shortener.EventPing || string(d[0].Data) != string(data) ||
			d[0].URL != w.URL || d[0].Secret != w.Secret {
			t.Fatalf("claimed %+v, want the ping, even of an inactive endpoint", d)
		}
	})
}

// wantLinkEvent checks that d is exactly one delivery of event to the
// webhook, whose data is the snapshot of want.
func wantLinkEvent(t *testing.T, d []*shortener.Delivery, webhookID, event string, want *shortener.Link) {
	t.Helper()
	if len(d) != 1 || d[0].WebhookID != webhookID || d[0].Event != event {
		t.Fatalf("deliveries %+v, want one %s for webhook %s", d, event, webhookID)
	}
	got, err := shortener.DecodeLinkSnapshot(d[0].Data)
	noErr(t, err)
	var again shortener.Link
	noErr(t, json.Unmarshal(shortener.EncodeLinkSnapshot(want), &again))
	if !reflect.DeepEqual(got, &again) {
		t.Errorf("%s data = %+v, want %+v", event, got, &again)
	}
	if d[0].Attempts != 0 || !shortener.IsID(d[0].EventID) {
		t.Errorf("new delivery %+v, want no attempts and a UUID event ID", d[0])
	}
}
