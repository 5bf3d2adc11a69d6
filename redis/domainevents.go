package redis

import (
	"context"
	"log/slog"

	goredis "github.com/redis/go-redis/v9"

	"github.com/shortener-dev/shortener/internal/backoff"
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
	retry := backoff.Backoff{Min: minResubscribe, Max: maxResubscribe}
	// failing: lost and not yet back; the loss and the return are logged
	// once each, not every retry of an outage.
	subscribed, failing := false, false
	lost := func(err error) {
		if ctx.Err() == nil && !failing {
			failing = true
			e.logger.Warn("domain change subscription lost; resubscribing", slog.Any("error", err))
		}
	}
	for ctx.Err() == nil {
		ps, err := subscribe(ctx, e.client, e.channel, e.barriers.acks)
		if err != nil {
			lost(err)
			if !retry.Wait(ctx) {
				return
			}
			continue
		}
		stop := context.AfterFunc(ctx, func() { _ = ps.Close() })
		pinged := false
		for {
			// Silence is checked with a ping, as the invalidation
			// subscription does: a connection that died without TCP
			// noticing would otherwise miss changes until the registry's
			// periodic reload.
			msg, err := ps.ReceiveTimeout(ctx, livenessInterval)
			if err != nil && isTimeout(err) && !pinged && ctx.Err() == nil {
				if err = ps.Ping(ctx); err == nil {
					pinged = true
					continue
				}
			}
			if err != nil {
				if ps.Moved() {
					// Subscribed again at once, and the domains
					// reloaded then: the changes published meanwhile
					// went to the new master.
					e.logger.Info("domain change subscription follows its channel to the slot's new master",
						slog.String("channel", e.channel))
				} else {
					lost(err)
				}
				break
			}
			pinged = false
			switch m := msg.(type) {
			case *goredis.Subscription:
				if m.Kind == "subscribe" && m.Channel == e.channel {
					e.barriers.listening.Store(true)
					if subscribed {
						onChange()
					}
					if failing {
						e.logger.Info("domain change subscription restored", slog.String("channel", e.channel))
					}
					subscribed, failing = true, false
					retry.Reset()
				}
			case *goredis.Message:
				if !e.barriers.received(m) {
					onChange()
				}
			}
		}
		e.barriers.listening.Store(false)
		stop()
		_ = ps.Close()
		if !retry.Wait(ctx) {
			return
		}
	}
}
