package redis

import (
	"context"
	"log/slog"

	goredis "github.com/redis/go-redis/v9"
)

// DomainEvents tells every instance that the domains changed, on the
// channel {prefix}domains, so that a domain added on one instance serves
// on all of them at once. The message carries nothing: a receiver reloads
// the domains from the database.
type DomainEvents struct {
	client   goredis.UniversalClient
	channel  string
	logger   *slog.Logger
	barriers *barriers // see barrier.go
}

// NewDomainEvents returns DomainEvents on the channel under prefix.
func NewDomainEvents(client goredis.UniversalClient, prefix string, logger *slog.Logger) *DomainEvents {
	channel := prefix + "domains"
	return &DomainEvents{client: client, channel: channel, logger: logger, barriers: newBarriers(client, channel)}
}

// Publish tells the other instances that the domains changed, and returns
// once they have reloaded them (a barrier, barrier.go).
func (e *DomainEvents) Publish(ctx context.Context) error {
	pub, _, err := publisherFor(ctx, e.client, e.channel)
	if err != nil {
		return err
	}
	var wait func(context.Context, error)
	_, err = pub.Pipelined(ctx, func(p goredis.Pipeliner) error {
		p.Publish(ctx, e.channel, "changed")
		wait = e.barriers.add(ctx, p)
		return nil
	})
	wait(ctx, err)
	return err
}

// Run calls onChange for every change published, and whenever it is
// subscribed again after losing the subscription (changes may have been
// missed), until ctx ends.
func (e *DomainEvents) Run(ctx context.Context, onChange func()) {
	l := &listener{client: e.client, barriers: e.barriers, what: "domain change", logger: e.logger,
		subscribed: func(again bool) {
			if again {
				onChange()
			}
		},
		message: func(string) { onChange() }}
	l.run(ctx)
}
