package redis

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/backoff"
	"github.com/shortener-dev/shortener/internal/clickcodec"
)

// clickGroup is the consumer group of the instances that write clicks to
// SQL. Any instance may consume; each entry goes to one of them.
const clickGroup = "writers"

// ClickStreamOptions tunes a ClickStream. The zero value gives the defaults.
type ClickStreamOptions struct {
	// Prefix is put before the stream's key, {Prefix}clicks:{stream}.
	Prefix string
	// Consumer names this instance in the consumer group. It must differ
	// between instances; an instance that keeps its name across restarts
	// finishes its own unacknowledged entries first. Default: the host
	// name.
	Consumer string
	// Writers (ANALYTICS_WRITERS, default 2) is how many consumers this
	// instance runs in the group, each writing its own batches: the first
	// is named Consumer, the others Consumer-2, Consumer-3 and so on. Two
	// writers store spread-out clicks about half as fast again as one
	// (BENCHMARKS.md, "Two writers per instance").
	Writers int
	// BatchSize (ANALYTICS_BATCH_SIZE, default 100) is the most clicks per
	// stream entry and per write to the store, and the most entries read
	// at once.
	BatchSize int
	// Block is how long a read waits for new entries; it bounds how long
	// Consume takes to notice its context is done. Default and most 1 s.
	Block time.Duration
	// ClaimInterval is how often a consumer looks for entries that another
	// one read but did not acknowledge within ClaimIdle (it died), and
	// takes them over. Defaults 10 s and 30 s.
	ClaimInterval, ClaimIdle time.Duration
	// RetryMin is the wait after a first failure; it doubles up to
	// RetryMax. Defaults 100 ms and 5 s.
	RetryMin, RetryMax time.Duration
	Logger             *slog.Logger // default slog.Default()
	// Metrics counts undecodable entries as dropped clicks
	// (shortener.DropStreamUndecodable), one per entry: an entry that
	// cannot be read does not tell how many clicks it held. Nil records
	// nothing.
	Metrics shortener.PipelineMetrics
}

func (o ClickStreamOptions) withDefaults() ClickStreamOptions {
	if o.BatchSize <= 0 {
		o.BatchSize = 100
	}
	if o.Writers <= 0 {
		o.Writers = 2
	}
	if o.Block <= 0 || o.Block > time.Second {
		o.Block = time.Second
	}
	if o.ClaimInterval <= 0 {
		o.ClaimInterval = 10 * time.Second
	}
	if o.ClaimIdle <= 0 {
		o.ClaimIdle = 30 * time.Second
	}
	if o.RetryMin <= 0 {
		o.RetryMin = 100 * time.Millisecond
	}
	if o.RetryMax <= 0 {
		o.RetryMax = 5 * time.Second
	}
	o.RetryMax = max(o.RetryMax, o.RetryMin)
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Consumer == "" {
		o.Consumer, _ = os.Hostname()
		o.Consumer = cmp.Or(o.Consumer, "shortener")
	}
	return o
}

// ClickStream is the Redis hop of the click pipeline. Its WriteClicks is the
// shipper's sink on every instance; Consume, also on every instance, moves
// the events from the stream to the click store through a consumer group.
type ClickStream struct {
	client goredis.UniversalClient
	key    string
	opts   ClickStreamOptions
}

var _ shortener.ClickStream = (*ClickStream)(nil)

// NewClickStream returns the click stream under opts.Prefix.
func NewClickStream(client goredis.UniversalClient, opts ClickStreamOptions) *ClickStream {
	// The hash tag keeps the key on one Cluster slot whatever the prefix.
	return &ClickStream{client: client, key: opts.Prefix + "clicks:{stream}", opts: opts.withDefaults()}
}

// StreamKey returns the key of the stream.
func (s *ClickStream) StreamKey() string { return s.key }

// WriteClicks appends the events to the stream, up to BatchSize of them
// per entry (a shipper's batch is one entry), in one round trip. An entry
// per click cost Redis and the consumers a command per click to add,
// acknowledge and delete. It returns an error if any entry failed; the
// shipper then sends the whole batch again, and the duplicates this makes
// are skipped by the store's idempotent insert.
func (s *ClickStream) WriteClicks(ctx context.Context, events []shortener.ClickEvent) error {
	if len(events) == 0 {
		return nil
	}
	buf := make([]byte, 0, 128*len(events))
	pipe := s.client.Pipeline()
	for part := range slices.Chunk(events, s.opts.BatchSize) {
		start := len(buf)
		for _, e := range part {
			buf = clickcodec.AppendEvent(buf, e)
		}
		// The pipeline keeps the slice until Exec: capped at its length,
		// later appends cannot write into it.
		pipe.XAdd(ctx, &goredis.XAddArgs{Stream: s.key, ID: "*", Values: []any{"e", buf[start:len(buf):len(buf)]}})
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("add %d clicks to stream: %w", len(events), err)
	}
	return nil
}

// Consume writes the stream's events to store until ctx is done, with
// Options.Writers consumers in the group. Entries are acknowledged and
// deleted only after store took them; on any failure a consumer backs off
// and retries, so Consume returns only when ctx is done and every
// consumer has stopped.
func (s *ClickStream) Consume(ctx context.Context, store shortener.ClickWriter) {
	var wg sync.WaitGroup
	for i := range s.opts.Writers {
		name := s.opts.Consumer
		if i > 0 {
			name += "-" + strconv.Itoa(i+1)
		}
		wg.Go(func() { s.consumeAs(ctx, store, name) })
	}
	wg.Wait()
}

// consumeAs is one consumer's loop, as name in the group.
func (s *ClickStream) consumeAs(ctx context.Context, store shortener.ClickWriter, name string) {
	c := &streamConsumer{
		ClickStream: s, store: store, name: name,
		needGroup: true, ownFirst: true, claimDue: true,
		log: s.opts.Logger.With(slog.String("stream", s.key), slog.String("consumer", name)),
	}
	claim := time.NewTicker(s.opts.ClaimInterval)
	defer claim.Stop()
	retry := backoff.Backoff{Min: s.opts.RetryMin, Max: s.opts.RetryMax}
	for ctx.Err() == nil {
		select {
		case <-claim.C:
			c.claimDue = true
		default:
		}
		err := c.step(ctx)
		if err == nil {
			retry.Reset()
			continue
		}
		if ctx.Err() != nil {
			return
		}
		// Whatever this consumer read stays in its pending list; read it
		// again, from the first, before anything new.
		c.ownFirst, c.ownAfter = true, ""
		if strings.Contains(err.Error(), "NOGROUP") && !c.needGroup {
			// Redis restarted without its data: the clicks that were in
			// the stream went with it. Say so once; the group is made again.
			c.needGroup = true
			c.log.Error("click stream: its consumer group is gone (Redis restarted without persistence?); clicks that were in the stream and not yet written are lost",
				slog.Any("error", err))
		}
		c.log.Warn("click stream: consuming failed; retrying",
			slog.Duration("retry_in", retry.Delay()), slog.Any("error", err))
		if !retry.Wait(ctx) {
			return
		}
	}
}
