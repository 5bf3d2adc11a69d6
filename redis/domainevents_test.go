package redis

import (
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shortener-dev/shortener/internal/testenv"
)

// A change published by one instance reaches the subscribers of every
// instance on the same prefix, and no other prefix.
func TestDomainEventsReachEveryInstance(t *testing.T) {
	prefix := testenv.RandomName("domains-test:") + ":"
	a := NewDomainEvents(namedClient(t, "domains-a"), prefix, slog.New(slog.DiscardHandler))
	b := NewDomainEvents(namedClient(t, "domains-b"), prefix, slog.New(slog.DiscardHandler))
	other := NewDomainEvents(namedClient(t, "domains-other"), prefix+"x:", slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changes, strays := make(chan struct{}, 10), make(chan struct{}, 10)
	go b.Run(ctx, func() { changes <- struct{}{} })
	go other.Run(ctx, func() { strays <- struct{}{} })

	// Publish until b is subscribed: the first messages may come before.
	deadline := time.Now().Add(5 * time.Second)
	for received := false; !received; {
		if time.Now().After(deadline) {
			t.Fatal("no change received within 5s")
		}
		if err := a.Publish(ctx); err != nil {
			t.Fatal(err)
		}
		select {
		case <-changes:
			received = true
		case <-time.After(100 * time.Millisecond):
		}
	}
	select {
	case <-strays:
		t.Fatal("a subscriber of another prefix was told")
	case <-time.After(200 * time.Millisecond):
	}
}

// Publish returns once every instance has reloaded the domains.
func TestDomainEventsPublishWaitsForEveryInstance(t *testing.T) {
	prefix := testenv.RandomName("domains-test:") + ":"
	a := NewDomainEvents(namedClient(t, "domains-a"), prefix, slog.New(slog.DiscardHandler))
	b := NewDomainEvents(namedClient(t, "domains-b"), prefix, slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var reloads atomic.Int32
	go a.Run(ctx, func() {})
	go b.Run(ctx, func() {
		time.Sleep(50 * time.Millisecond)
		reloads.Add(1)
	})
	admin := namedClient(t, "domains-admin")
	deadline := time.Now().Add(5 * time.Second)
	for {
		n, err := admin.PubSubNumSub(ctx, a.channel, a.barriers.acks).Result()
		if err == nil && n[a.channel] == 2 && n[a.barriers.acks] == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not subscribed within 5s: %v, %v", n, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	for i := range 3 {
		before := reloads.Load()
		if err := a.Publish(ctx); err != nil {
			t.Fatal(err)
		}
		if reloads.Load() == before {
			t.Fatalf("publish %d returned before the other instance reloaded", i+1)
		}
	}
}

// A lost subscription is logged, and so is its return, and the subscriber
// reloads on its return (it may have missed changes).
func TestDomainEventsLogALostSubscriptionAndItsReturn(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	admin, prefix := testenv.Redis(t)
	name := testenv.RandomName("domains-lost-")
	var logs testenv.Buffer
	e := NewDomainEvents(namedClient(t, name), prefix, slog.New(slog.NewTextHandler(&logs, nil)))
	var reloads atomic.Int64
	done := make(chan struct{})
	go func() { e.Run(ctx, func() { reloads.Add(1) }); close(done) }()
	defer func() { cancel(); <-done }()
	pollUntil(t, "the subscription", func() bool { return len(pubsubClientIDs(t, admin, name)) == 1 })

	for range 2 {
		ids := pubsubClientIDs(t, admin, name)
		if len(ids) != 1 {
			t.Fatalf("%d pub/sub connections named %s", len(ids), name)
		}
		if err := admin.Do(ctx, "CLIENT", "KILL", "ID", ids[0]).Err(); err != nil {
			t.Fatal(err)
		}
		pollUntil(t, "the new subscription", func() bool {
			now := pubsubClientIDs(t, admin, name)
			return len(now) == 1 && now[0] != ids[0]
		})
	}
	pollUntil(t, "the reloads of both returns", func() bool { return reloads.Load() == 2 })
	pollUntil(t, "the second restored line", func() bool { return strings.Count(logs.String(), "subscription restored") == 2 })
	if n := strings.Count(logs.String(), "subscription lost"); n != 2 {
		t.Errorf("%d lost lines for 2 losses:\n%s", n, logs.String())
	}
}
