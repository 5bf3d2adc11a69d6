package clickstreamtest

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

// produce writes batch as the shipper does: again, after a short pause,
// for as long as WriteClicks fails. It returns an error only when ctx ends
// first.
func produce(ctx context.Context, s shortener.ClickStream, batch []shortener.ClickEvent) error {
	for {
		err := s.WriteClicks(ctx, batch)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("batch of %d never taken: %w (last error: %v)", len(batch), ctx.Err(), err)
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// testContext bounds a producer by the suite's deadline.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	t.Cleanup(cancel)
	return ctx
}

// makeEvents returns n events with distinct content in every field.
func makeEvents(t *testing.T, n int) []shortener.ClickEvent {
	t.Helper()
	events := make([]shortener.ClickEvent, n)
	for i := range events {
		events[i] = shortener.ClickEvent{
			ID:          shortener.NewID(),
			LinkID:      shortener.NewID(),
			OccurredAt:  time.Date(2026, 11, 28, 10, i%60, i%60, i*1000+7, time.UTC),
			Referrer:    "ref-" + strconv.Itoa(i) + ".example",
			Browser:     "browser-" + strconv.Itoa(i%5),
			OS:          "os-" + strconv.Itoa(i%3),
			Device:      shortener.DeviceMobile,
			Country:     "FR",
			IsBot:       i%7 == 0,
			VisitorHash: "visitor-" + strconv.Itoa(i),
		}
	}
	return events
}

// produceAll produces events in batches of at most size, one after the
// other, as one shipper does.
func produceAll(ctx context.Context, s shortener.ClickStream, events []shortener.ClickEvent, size int) error {
	for batch := range slices.Chunk(events, size) {
		if err := produce(ctx, s, batch); err != nil {
			return err
		}
	}
	return nil
}
