package storetest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

func testClickEvents(t *testing.T, open func(t *testing.T) Stores) {
	ctx := context.Background()
	at := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)

	t.Run("QueuedAndPacked", func(t *testing.T) {
		s := open(t)
		u := mustUser(t, s, "clicks@example.com")
		hook := mustWebhook(t, s, u.ID, shortener.EventLinkClicked)
		mustWebhook(t, s, u.ID, shortener.EventLinkCreated) // not subscribed to clicks
		l := newLink("clk", &u.ID, t0)
		noErr(t, s.Links.CreateLink(ctx, l))
		anon := mustLink(t, s, "anon")
		claimAll(t, s, far()) // the link.created delivery

		batch := make([]shortener.ClickEvent, 0, 230)
		for i := range 230 {
			c := click(l.ID, at.Add(time.Duration(229-i)*time.Second), "v")
			c.Target = "https://example.com/t"
			batch = append(batch, c)
		}
		batch = append(batch, click(anon.ID, at, "v"))
		noErr(t, s.Clicks.WriteClicks(ctx, batch))
		noErr(t, s.Clicks.WriteClicks(ctx, batch[:10])) // a replay queues nothing more

		// Queued clicks wait for the window, unless a whole delivery's worth is there.
		now := time.Now()
		n, err := s.Webhooks.PackClicks(ctx, now, time.Hour, 1000)
		noErr(t, err)
		if n != 0 {
			t.Fatalf("packed %d deliveries before the window passed", n)
		}
		n, err = s.Webhooks.PackClicks(ctx, now.Add(time.Hour), time.Hour, shortener.MaxClicksPerDelivery)
		noErr(t, err)
		if n != 3 {
			t.Fatalf("packed %d deliveries of 230 clicks, want 3 (100, 100, 30)", n)
		}
		d := claimAll(t, s, far())
		total, prev := 0, time.Time{}
		for _, x := range d {
			if x.WebhookID != hook.ID || x.Event != shortener.EventLinkClicked {
				t.Fatalf("delivery %+v, want link.clicked for the subscribed endpoint", x)
			}
			var data shortener.ClickedData
			noErr(t, json.Unmarshal(x.Data, &data))
			if data.Link.ID != l.ID || data.Link.ShortCode != "clk" || len(data.Clicks) > shortener.MaxClicksPerDelivery {
				t.Fatalf("data %+v, want the link and at most 100 clicks", data.Link)
			}
			for _, c := range data.Clicks {
				if c.Time.Before(prev) {
					t.Fatalf("clicks out of order: %v after %v", c.Time, prev)
				}
				prev = c.Time
				if c.ReferrerHost != "news.example.com" || c.Country != "DE" || c.Browser != "Chrome" ||
					c.Device != shortener.DeviceDesktop || c.Target != "https://example.com/t" || c.Time.Location() != time.UTC {
					t.Fatalf("click row %+v", c)
				}
			}
			total += len(data.Clicks)
		}
		if total != 230 {
			t.Errorf("deliveries hold %d clicks, want 230", total)
		}
		if n, err = s.Webhooks.PackClicks(ctx, now.Add(2*time.Hour), time.Hour, shortener.MaxClicksPerDelivery); err != nil || n != 0 {
			t.Errorf("packing again made %d deliveries (%v), want none", n, err)
		}
	})

	t.Run("FullDeliveryWithoutWaiting", func(t *testing.T) {
		s := open(t)
		u := mustUser(t, s, "full@example.com")
		mustWebhook(t, s, u.ID, shortener.EventLinkClicked)
		l := newLink("full", &u.ID, t0)
		noErr(t, s.Links.CreateLink(ctx, l))
		var batch []shortener.ClickEvent
		for i := range 100 {
			batch = append(batch, click(l.ID, at.Add(time.Duration(i)*time.Millisecond), "v"))
		}
		noErr(t, s.Clicks.WriteClicks(ctx, batch))
		n, err := s.Webhooks.PackClicks(ctx, time.Now(), time.Hour, shortener.MaxClicksPerDelivery)
		noErr(t, err)
		if n != 1 {
			t.Errorf("100 queued clicks made %d deliveries before the window, want 1", n)
		}
	})
}
