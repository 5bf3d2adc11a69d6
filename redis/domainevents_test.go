package redis

import (
	"context"
	"log/slog"
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
