// Package storetest is the conformance suite for the SQL stores: every
// implementation of shortener.UserStore, TokenStore, LinkStore,
// ClickStore, KeyStore, WebhookStore and Outbox runs the same tests, so
// the engines behave alike.
//
// It is imported only by tests. Run it from an engine's test with an open
// function that returns stores over a fresh, migrated database.
package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

// Stores is one set of stores over one database.
type Stores struct {
	Users  shortener.UserStore
	Tokens shortener.TokenStore
	Links  shortener.LinkStore
	Clicks shortener.ClickStore
	Keys   shortener.KeyStore
	// Domains keeps the short domains links live on.
	Domains shortener.DomainStore
	// Webhooks keeps the endpoints and the outbox the link and click
	// stores write to.
	Webhooks Webhooks
}

// Webhooks is what an engine's webhook store implements.
type Webhooks interface {
	shortener.WebhookStore
	shortener.Outbox
}

// Run runs the conformance suite. open must return stores over a fresh,
// empty, migrated database each time it is called, and release it when the
// test ends.
func Run(t *testing.T, open func(t *testing.T) Stores) {
	t.Run("Users", func(t *testing.T) { testUsers(t, open) })
	t.Run("Tokens", func(t *testing.T) { testTokens(t, open) })
	t.Run("Links", func(t *testing.T) { testLinks(t, open) })
	t.Run("LinkKeys", func(t *testing.T) { testLinkKeys(t, open) })
	t.Run("Domains", func(t *testing.T) { testDomains(t, open) })
	t.Run("LinksOnDomains", func(t *testing.T) { testLinksOnDomains(t, open) })
	t.Run("LinkOptions", func(t *testing.T) { testLinkOptions(t, open) })
	t.Run("ClickCaps", func(t *testing.T) { testClickCaps(t, open) })
	t.Run("Clicks", func(t *testing.T) { testClicks(t, open) })
	t.Run("ClicksConcurrently", func(t *testing.T) { testConcurrentClicks(t, open) })
	t.Run("ClickStats", func(t *testing.T) { testClickStats(t, open) })
	t.Run("MalformedIDs", func(t *testing.T) { testMalformedIDs(t, open) })
	t.Run("Context", func(t *testing.T) { testContext(t, open) })
	t.Run("Keys", func(t *testing.T) { testKeys(t, open) })
	t.Run("Webhooks", func(t *testing.T) { testWebhooks(t, open) })
	t.Run("Outbox", func(t *testing.T) { testOutbox(t, open) })
	t.Run("ClickEvents", func(t *testing.T) { testClickEvents(t, open) })
	t.Run("Organise", func(t *testing.T) { testOrganise(t, open) })
}

// t0 is the suite's clock: a time with a sub-second part in whole
// microseconds, the precision both engines keep.
var t0 = time.Date(2026, 3, 14, 15, 9, 26, 535897000, time.UTC)

// wantCode fails the test unless err carries the shortener error code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var e *shortener.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("error = %v, want code %q", err, code)
	}
	if e.Message == "" {
		t.Errorf("error with code %q has an empty message", code)
	}
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantTime fails unless got equals want exactly, in UTC.
func wantTime(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("%s = %v, want %v in UTC", what, got, want)
	}
}

func ptr[T any](v T) *T { return &v }

func newUser(email string, at time.Time) *shortener.User {
	return &shortener.User{
		ID:           shortener.NewID(),
		Email:        email,
		FullName:     "Ada Lovelace",
		PasswordHash: "$2a$12$abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQ",
		Role:         shortener.RoleUser,
		IsActive:     true,
		CreatedAt:    at,
		UpdatedAt:    at,
	}
}

func mustUser(t *testing.T, s Stores, email string) *shortener.User {
	t.Helper()
	u := newUser(email, t0)
	noErr(t, s.Users.CreateUser(context.Background(), u))
	return u
}

func newLink(code string, owner *string, at time.Time) *shortener.Link {
	return &shortener.Link{
		ID:          shortener.NewID(),
		ShortCode:   code,
		OriginalURL: "https://example.com/" + code,
		OwnerID:     owner,
		IsActive:    true,
		IsPublic:    true,
		CreatedAt:   at,
		UpdatedAt:   at,
		// As stored: a link that names no redirect type gets 302, and
		// one that names no domain is on the default.
		RedirectType: shortener.DefaultRedirectType,
		DomainID:     shortener.DefaultDomainID,
		Domain:       DefaultHost,
	}
}

func mustLink(t *testing.T, s Stores, code string) *shortener.Link {
	t.Helper()
	l := newLink(code, nil, t0)
	noErr(t, s.Links.CreateLink(context.Background(), l))
	return l
}
