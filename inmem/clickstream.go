package inmem

import (
	"context"

	"github.com/shortener-dev/shortener"
)

// ClickStream is the click stream of the embedded mode: no queue at all,
// but a hand-over. WriteClicks passes the batch to the writer of a running
// Consume (the click store) and returns that writer's error, so the
// shipper writes straight to the store and retries a failed write itself,
// with the batch still safe in its spool. Nothing is held in memory that a
// crash could lose. The zero value is not usable; call NewClickStream.
type ClickStream struct {
	handOver chan clickBatch
}

var _ shortener.ClickStream = (*ClickStream)(nil)

// clickBatch is one WriteClicks call waiting for a consumer.
type clickBatch struct {
	ctx    context.Context
	clicks []shortener.ClickEvent
	done   chan error // the consumer's writer's result
}

// NewClickStream returns a click stream with no consumer yet.
func NewClickStream() *ClickStream {
	return &ClickStream{handOver: make(chan clickBatch)}
}

// WriteClicks hands clicks to the writer of a running Consume and returns
// its error. With no Consume running it waits for one; it returns ctx's
// error if ctx is done first. The writer runs with ctx, so a producer that
// gives up also cancels its write.
func (s *ClickStream) WriteClicks(ctx context.Context, clicks []shortener.ClickEvent) error {
	if len(clicks) == 0 {
		return nil
	}
	b := clickBatch{ctx: ctx, clicks: clicks, done: make(chan error, 1)}
	select {
	case s.handOver <- b:
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-b.done
}

// Consume passes every batch given to WriteClicks to w until ctx is done.
// A failed write is the producer's to retry (its WriteClicks returns the
// error), which is the at-least-once delivery of shortener.ClickStream
// without a second retry loop here. Several Consume calls may run; each
// batch goes to one of them. A write in progress when ctx ends finishes
// first: w is not called after Consume returns.
func (s *ClickStream) Consume(ctx context.Context, w shortener.ClickWriter) {
	for {
		select {
		case b := <-s.handOver:
			b.done <- w.WriteClicks(b.ctx, b.clicks)
		case <-ctx.Done():
			return
		}
	}
}
