package httpapi_test

import (
	"context"
	"time"

	"github.com/shortener-dev/shortener"
)

// hookID is the one endpoint fakeWebhooks knows.
const hookID = "0190a0f4-0000-7000-8000-0000000000bb"

// fakeWebhooks knows ada's endpoint hookID; every other ID is ENOTFOUND.
// It keeps what it was given.
type fakeWebhooks struct {
	created *shortener.WebhookInput
	updated *shortener.WebhookUpdate
	caller  *shortener.User
	pinged  string
	err     error
}

func (f *fakeWebhooks) hook() *shortener.Webhook {
	return &shortener.Webhook{ID: hookID, UserID: ada.ID, URL: "https://hooks.example.com/in",
		Events: []string{shortener.EventLinkCreated}, Secret: "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTAxMg==",
		IsActive: true, CreatedAt: testNow, UpdatedAt: testNow}
}

func (f *fakeWebhooks) find(caller *shortener.User, id string) (*shortener.Webhook, error) {
	f.caller = caller
	if f.err != nil {
		return nil, f.err
	}
	if id != hookID {
		return nil, shortener.Errorf(shortener.ENOTFOUND, "%s", shortener.MsgWebhookNotFound)
	}
	return f.hook(), nil
}

func (f *fakeWebhooks) Create(_ context.Context, caller *shortener.User, in shortener.WebhookInput) (*shortener.Webhook, error) {
	f.created, f.caller = &in, caller
	if f.err != nil {
		return nil, f.err
	}
	w := f.hook()
	w.URL, w.Events, w.Description = in.URL, in.Events, in.Description
	return w, nil
}

func (f *fakeWebhooks) List(_ context.Context, caller *shortener.User) ([]*shortener.Webhook, error) {
	f.caller = caller
	return []*shortener.Webhook{f.hook()}, f.err
}

func (f *fakeWebhooks) Get(_ context.Context, caller *shortener.User, id string) (*shortener.Webhook, error) {
	return f.find(caller, id)
}

func (f *fakeWebhooks) Update(_ context.Context, caller *shortener.User, id string, in shortener.WebhookUpdate) (*shortener.Webhook, error) {
	f.updated = &in
	w, err := f.find(caller, id)
	if err == nil && in.IsActive != nil {
		w.IsActive = *in.IsActive
	}
	return w, err
}

func (f *fakeWebhooks) Delete(_ context.Context, caller *shortener.User, id string) error {
	_, err := f.find(caller, id)
	return err
}

func (f *fakeWebhooks) Deliveries(_ context.Context, caller *shortener.User, id string) ([]*shortener.DeliveryAttempt, error) {
	if _, err := f.find(caller, id); err != nil {
		return nil, err
	}
	ok := testNow.Add(-time.Minute)
	return []*shortener.DeliveryAttempt{
		{ID: shortener.NewID(), WebhookID: id, EventID: "0190a0f4-0000-7000-8000-0000000000cc", Event: "link.created",
			Attempt: 2, StatusCode: 204, CreatedAt: ok, DeliveredAt: &ok},
		{ID: shortener.NewID(), WebhookID: id, EventID: "0190a0f4-0000-7000-8000-0000000000cc", Event: "link.created",
			Attempt: 1, Error: "timed out", CreatedAt: ok.Add(-5 * time.Second)},
	}, nil
}

func (f *fakeWebhooks) Ping(_ context.Context, caller *shortener.User, id string) error {
	f.pinged = id
	_, err := f.find(caller, id)
	return err
}
