package web

import (
	"context"
	"sync"
	"time"

	"github.com/shortener-dev/shortener"
)

// fakeKeys keeps keys per user in memory.
type fakeKeys struct {
	calls
	mu      sync.Mutex
	keys    []*shortener.APIKey
	scopes  []string // the scopes of the last create
	revoked []string
}

const fakeKeyValue = "shk_0123456789abcdefghijABCDEFGHIJ0123456789"

func (f *fakeKeys) CreateKey(_ context.Context, caller *shortener.User, name string, scopes []string, expires *time.Time) (*shortener.APIKey, string, error) {
	f.add("CreateKey")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.scopes = scopes
	checked, err := shortener.CheckScopes("body.scopes", scopes)
	if err = shortener.JoinInvalid(err, nameError(name)); err != nil {
		return nil, "", err
	}
	k := &shortener.APIKey{ID: shortener.NewID(), UserID: caller.ID, Name: name, Prefix: fakeKeyValue[:12],
		Scopes: checked, CreatedAt: testNow, ExpiresAt: expires}
	f.keys = append([]*shortener.APIKey{k}, f.keys...)
	return k, fakeKeyValue, nil
}

func nameError(name string) error {
	if name == "" {
		return shortener.Invalid("body.name", "name is required", nil)
	}
	return nil
}

func (f *fakeKeys) ListKeys(_ context.Context, caller *shortener.User) ([]*shortener.APIKey, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*shortener.APIKey
	for _, k := range f.keys {
		if k.UserID == caller.ID {
			out = append(out, k)
		}
	}
	return out, nil
}

func (f *fakeKeys) RevokeKey(_ context.Context, caller *shortener.User, id string) error {
	f.add("RevokeKey")
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, k := range f.keys {
		if k.ID == id && k.UserID == caller.ID {
			f.keys = append(f.keys[:i], f.keys[i+1:]...)
			f.revoked = append(f.revoked, id)
			return nil
		}
	}
	return shortener.Errorf(shortener.ENOTFOUND, "%s", shortener.MsgKeyNotFound)
}

// fakeWebhooks keeps endpoints per user in memory, with a fixed log.
type fakeWebhooks struct {
	calls
	mu      sync.Mutex
	hooks   []*shortener.Webhook
	updates []shortener.WebhookUpdate
	pinged  []string
}

const fakeSecret = "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTAxMg=="

func (f *fakeWebhooks) Create(_ context.Context, caller *shortener.User, in shortener.WebhookInput) (*shortener.Webhook, error) {
	f.add("Create")
	events, err := shortener.CheckWebhookEvents("body.events", in.Events)
	if err = shortener.JoinInvalid(shortener.CheckWebhookURL("body.url", in.URL, nil, false), err); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	w := &shortener.Webhook{ID: shortener.NewID(), UserID: caller.ID, URL: in.URL, Events: events, Description: in.Description,
		Secret: fakeSecret, IsActive: true, CreatedAt: testNow, UpdatedAt: testNow}
	f.hooks = append([]*shortener.Webhook{w}, f.hooks...)
	return w, nil
}

func (f *fakeWebhooks) List(_ context.Context, caller *shortener.User) ([]*shortener.Webhook, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*shortener.Webhook
	for _, w := range f.hooks {
		if w.UserID == caller.ID {
			out = append(out, w)
		}
	}
	return out, nil
}

func (f *fakeWebhooks) Get(_ context.Context, caller *shortener.User, id string) (*shortener.Webhook, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, w := range f.hooks {
		if w.ID == id && w.UserID == caller.ID {
			c := *w
			return &c, nil
		}
	}
	return nil, shortener.Errorf(shortener.ENOTFOUND, "%s", shortener.MsgWebhookNotFound)
}

func (f *fakeWebhooks) Update(ctx context.Context, caller *shortener.User, id string, in shortener.WebhookUpdate) (*shortener.Webhook, error) {
	f.add("Update")
	if in.Events != nil {
		if _, err := shortener.CheckWebhookEvents("body.events", *in.Events); err != nil {
			return nil, err
		}
	}
	if _, err := f.Get(ctx, caller, id); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.updates = append(f.updates, in)
	for _, w := range f.hooks {
		if w.ID == id {
			w.URL, w.Events, w.Description, w.IsActive = *in.URL, *in.Events, *in.Description, *in.IsActive
			return w, nil
		}
	}
	return nil, nil
}

func (f *fakeWebhooks) Delete(ctx context.Context, caller *shortener.User, id string) error {
	f.add("Delete")
	if _, err := f.Get(ctx, caller, id); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, w := range f.hooks {
		if w.ID == id {
			f.hooks = append(f.hooks[:i], f.hooks[i+1:]...)
		}
	}
	return nil
}

func (f *fakeWebhooks) Deliveries(ctx context.Context, caller *shortener.User, id string) ([]*shortener.DeliveryAttempt, error) {
	if _, err := f.Get(ctx, caller, id); err != nil {
		return nil, err
	}
	ok := testNow.Add(-time.Minute)
	return []*shortener.DeliveryAttempt{
		{ID: shortener.NewID(), WebhookID: id, EventID: "evt-1", Event: "link.created", Attempt: 2, StatusCode: 204, CreatedAt: ok, DeliveredAt: &ok},
		{ID: shortener.NewID(), WebhookID: id, EventID: "evt-1", Event: "link.created", Attempt: 1, StatusCode: 500,
			Error: "HTTP 500: <b>down</b>", CreatedAt: ok.Add(-5 * time.Second)},
	}, nil
}

func (f *fakeWebhooks) Ping(ctx context.Context, caller *shortener.User, id string) error {
	if _, err := f.Get(ctx, caller, id); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pinged = append(f.pinged, id)
	return nil
}

// withIntegrations gives an env's app the key and webhook pages.
func withIntegrations(k *fakeKeys, w *fakeWebhooks) func(*Config) {
	return func(c *Config) { c.Keys, c.Webhooks = k, w }
}
