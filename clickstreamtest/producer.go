package clickstreamtest

import (
	"context"
	"fmt"
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

// batches splits events into batches of at most size.
func batches(events []shortener.ClickEvent, size int) [][]shortener.ClickEvent {
	var out [][]shortener.ClickEvent
	for len(events) > size {
		out = append(out, events[:size])
		events = events[size:]
	}
	return append(out, events)
}
