package webhook_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/testdb"
	"github.com/shortener-dev/shortener/storetest"
	"github.com/shortener-dev/shortener/webhook"
)

func mustUser(t *testing.T, s storetest.Stores) *shortener.User {
	t.Helper()
	now := shortener.SystemClock()
	u := &shortener.User{ID: shortener.NewID(), Email: shortener.NewID() + "@example.com", PasswordHash: "x",
		Role: shortener.RoleUser, IsActive: true, CreatedAt: now, UpdatedAt: now}
	if err := s.Users.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func wantInvalidAt(t *testing.T, err error, location string) {
	t.Helper()
	var e *shortener.Error
	if !errors.As(err, &e) || e.Code != shortener.EINVALID || len(e.Fields) == 0 || e.Fields[0].Location != location {
		t.Errorf("error %v, want EINVALID at %s", err, location)
	}
}

func TestServiceValidates(t *testing.T) {
	s := testdb.SQLite(t)
	ctx := context.Background()
	svc := webhook.NewService(webhook.ServiceConfig{Store: s.Webhooks, OwnHosts: func() []string { return []string{"sho.rt"} }})
	u := mustUser(t, s)
	ok := []string{shortener.EventLinkCreated}
	_, err := svc.Create(ctx, u, shortener.WebhookInput{URL: "http://127.0.0.1:9000/", Events: ok})
	wantInvalidAt(t, err, "body.url")
	_, err = svc.Create(ctx, u, shortener.WebhookInput{URL: "https://sho.rt/hook", Events: ok})
	wantInvalidAt(t, err, "body.url")
	_, err = svc.Create(ctx, u, shortener.WebhookInput{URL: "https://hooks.example.com/", Events: []string{"ping"}})
	wantInvalidAt(t, err, "body.events[0]")
	_, err = svc.Create(ctx, u, shortener.WebhookInput{URL: "https://hooks.example.com/", Events: ok, Description: strings.Repeat("x", 501)})
	wantInvalidAt(t, err, "body.description")

	w, err := svc.Create(ctx, u, shortener.WebhookInput{URL: "https://hooks.example.com/", Events: []string{"link.clicked", "link.created"}, Description: " CRM "})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(w.Secret, "whsec_") || w.Description != "CRM" || !w.IsActive || w.Events[0] != "link.created" {
		t.Errorf("created %+v", w)
	}
	bad := "http://10.0.0.1/"
	_, err = svc.Update(ctx, u, w.ID, shortener.WebhookUpdate{URL: &bad})
	wantInvalidAt(t, err, "body.url")
	none := []string{}
	_, err = svc.Update(ctx, u, w.ID, shortener.WebhookUpdate{Events: &none})
	wantInvalidAt(t, err, "body.events")
}

func TestServiceIsPerUser(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		ctx := context.Background()
		svc := webhook.NewService(webhook.ServiceConfig{Store: s.Webhooks})
		ada, eve := mustUser(t, s), mustUser(t, s)
		w, err := svc.Create(ctx, ada, shortener.WebhookInput{URL: "https://hooks.example.com/", Events: shortener.WebhookEvents})
		if err != nil {
			t.Fatal(err)
		}
		wantNotFound := func(err error) {
			t.Helper()
			if shortener.ErrorCode(err) != shortener.ENOTFOUND {
				t.Errorf("error %v, want ENOTFOUND", err)
			}
		}
		_, err = svc.Get(ctx, eve, w.ID)
		wantNotFound(err)
		off := false
		_, err = svc.Update(ctx, eve, w.ID, shortener.WebhookUpdate{IsActive: &off})
		wantNotFound(err)
		_, err = svc.Deliveries(ctx, eve, w.ID)
		wantNotFound(err)
		wantNotFound(svc.Ping(ctx, eve, w.ID))
		wantNotFound(svc.Delete(ctx, eve, w.ID))
		_, err = svc.Get(ctx, ada, "not-an-id")
		wantNotFound(err)
		if list, _ := svc.List(ctx, eve); len(list) != 0 {
			t.Errorf("eve lists %d webhooks", len(list))
		}

		got, err := svc.Get(ctx, ada, strings.ToUpper(w.ID))
		if err != nil || got.ID != w.ID {
			t.Fatalf("Get = %v, %v", got, err)
		}
		if err := svc.Ping(ctx, ada, w.ID); err != nil {
			t.Fatal(err)
		}
		d, err := s.Webhooks.ClaimDeliveries(ctx, shortener.SystemClock(), 10, 0, nil)
		if err != nil || len(d) != 1 || d[0].Event != "ping" || !strings.Contains(string(d[0].Data), w.ID) {
			t.Fatalf("after Ping: %+v, %v", d, err)
		}
		if err := svc.Delete(ctx, ada, w.ID); err != nil {
			t.Fatal(err)
		}
		wantNotFound(svc.Delete(ctx, ada, w.ID))
	})
}
