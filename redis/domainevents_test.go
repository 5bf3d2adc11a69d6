package redis

import (
	"context"
	"log/slog"
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
