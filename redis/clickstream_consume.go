package redis

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/clickcodec"
)

// streamConsumer is the state of one Consume loop.
type streamConsumer struct {
	*ClickStream
	store shortener.ClickWriter
	name  string
	log   *slog.Logger

	needGroup bool // create the group (at start, or after Redis lost it)
	ownFirst  bool // finish this consumer's pending entries before new ones
	claimDue  bool // look for a dead consumer's entries
	// ownAfter is where the reading of this consumer's pending entries
	// has got to: entries it leaves pending (of a newer format) are not
	// read again in the same pass.
	ownAfter string
	// warnedNewer: an entry of a newer format was met and logged.
	warnedNewer bool
}

// step does one unit of work: create the group, claim stale entries, or
// read and write one batch.
func (c *streamConsumer) step(ctx context.Context) error {
	if c.needGroup {
		if err := c.ensureGroup(ctx); err != nil {
			return err
		}
		c.needGroup = false
	}
	if c.claimDue {
		if err := c.claim(ctx); err != nil {
			return err
		}
		c.claimDue = false
	}
	if c.ownFirst {
		// An ID reads this consumer's pending entries after it: read
		// before, not acknowledged (its write failed, or it died in
		// between). 0 starts from the first.
		if c.ownAfter == "" {
			c.ownAfter = "0"
		}
		msgs, err := c.read(ctx, c.ownAfter, -1)
		if err != nil {
			return err
		}
		if len(msgs) == 0 {
			c.ownFirst, c.ownAfter = false, ""
			return nil
		}
		if err := c.handle(ctx, msgs); err != nil {
			return err
		}
		c.ownAfter = msgs[len(msgs)-1].ID
		return nil
	}
	msgs, err := c.read(ctx, ">", c.opts.Block)
	if err != nil || len(msgs) == 0 {
		return err
	}
	return c.handle(ctx, msgs)
}

// ensureGroup creates the group with the stream. It starts at the first
// entry so that clicks added before any consumer existed are written too.
func (c *streamConsumer) ensureGroup(ctx context.Context) error {
	err := c.client.XGroupCreateMkStream(ctx, c.key, clickGroup, "0").Err()
	if err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
		return fmt.Errorf("create consumer group: %w", err)
	}
	return nil
}

func (c *streamConsumer) read(ctx context.Context, id string, block time.Duration) ([]goredis.XMessage, error) {
	streams, err := c.client.XReadGroup(ctx, &goredis.XReadGroupArgs{
		Group: clickGroup, Consumer: c.name, Streams: []string{c.key, id},
		Count: int64(c.opts.BatchSize), Block: block,
	}).Result()
	if errors.Is(err, goredis.Nil) {
		return nil, nil // BLOCK ran out
	} else if err != nil {
		return nil, fmt.Errorf("read click stream: %w", err)
	}
	if len(streams) == 0 {
		return nil, nil
	}
	return streams[0].Messages, nil
}

// claim takes over the entries that other consumers read more than
// ClaimIdle ago without acknowledging them, and writes them.
func (c *streamConsumer) claim(ctx context.Context) error {
	start := "0-0"
	for {
		msgs, next, err := c.client.XAutoClaim(ctx, &goredis.XAutoClaimArgs{
			Stream: c.key, Group: clickGroup, Consumer: c.name,
			MinIdle: c.opts.ClaimIdle, Start: start, Count: int64(c.opts.BatchSize),
		}).Result()
		if err != nil {
			return fmt.Errorf("claim stale click entries: %w", err)
		}
		if len(msgs) > 0 {
			c.log.Info("click stream: claimed entries of a stalled consumer", slog.Int("entries", len(msgs)))
			if err := c.handle(ctx, msgs); err != nil {
				return err
			}
		}
		if next == "0-0" || next == "" {
			return nil
		}
		start = next
	}
}

// handle writes entries to the store, whole entries of up to BatchSize
// clicks in all per write, and acknowledges and deletes each write's
// entries after it, so that the stream only holds what is still to be
// written. Entries that cannot be decoded are acknowledged at once and
// counted as dropped: a poison entry must not stop the group. An entry of
// a newer format (a newer instance wrote it, during a rolling upgrade) is
// left pending instead: a newer instance claims it once it has been idle
// for ClaimIdle, and writes it.
func (c *streamConsumer) handle(ctx context.Context, msgs []goredis.XMessage) error {
	var (
		events []shortener.ClickEvent
		ids    []string // entries whose clicks are in events
		skip   []string
		poison int
	)
	flush := func() error {
		if len(events) == 0 {
			return nil
		}
		if err := c.store.WriteClicks(ctx, events); err != nil {
			return fmt.Errorf("write %d clicks: %w", len(events), err)
		}
		if err := c.ackDelete(ctx, ids); err != nil {
			return err
		}
		events, ids = events[:0], ids[:0]
		return nil
	}
	for _, m := range msgs {
		if m.Values == nil {
			// Deleted while pending: a previous acknowledgement went
			// half through. Nothing left to write.
			skip = append(skip, m.ID)
			continue
		}
		raw, _ := m.Values["e"].(string)
		n := len(events)
		var err error
		if events, err = clickcodec.DecodeEvents(events, raw); errors.Is(err, clickcodec.ErrNewerFormat) {
			if !c.warnedNewer {
				c.warnedNewer = true
				c.log.Warn("click stream: entries of a newer format left for a newer instance to write (a rolling upgrade?)",
					slog.String("id", m.ID))
			}
			continue
		} else if err != nil {
			c.log.Warn("click stream: dropping an undecodable entry",
				slog.String("id", m.ID), slog.Int("fields", len(m.Values)))
			skip = append(skip, m.ID)
			poison++
			continue
		}
		if n > 0 && len(events) > c.opts.BatchSize {
			// This entry would make the write too big: write the ones
			// before it, then start again with it.
			entry := slices.Clone(events[n:])
			events = events[:n]
			if err := flush(); err != nil {
				return err
			}
			events = append(events, entry...)
		}
		ids = append(ids, m.ID)
	}
	if len(skip) > 0 {
		if err := c.ackDelete(ctx, skip); err != nil {
			return err
		}
		if poison > 0 && c.opts.Metrics != nil {
			c.opts.Metrics.ClicksDropped(shortener.DropStreamUndecodable, poison)
		}
	}
	return flush()
}

func (c *streamConsumer) ackDelete(ctx context.Context, ids []string) error {
	pipe := c.client.Pipeline()
	pipe.XAck(ctx, c.key, clickGroup, ids...)
	pipe.XDel(ctx, c.key, ids...)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("acknowledge %d click entries: %w", len(ids), err)
	}
	return nil
}
