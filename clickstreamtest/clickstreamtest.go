// Package clickstreamtest is the conformance suite that every
// shortener.ClickStream implementation passes, so that the in-process
// hand-over and the Redis stream deliver clicks alike: every event, with
// its content intact, through failures of the consumer's writer, to
// producers on many goroutines. It is imported only by tests.
//
// The producer is modelled on the shipper: it writes a batch again, after
// a short pause, for as long as WriteClicks returns an error. A stream
// passes only with at-least-once delivery under that producer.
package clickstreamtest

import (
	"testing"

	"github.com/shortener-dev/shortener"
)

// NewStream returns a fresh, empty stream for one test; streams of two
// calls share nothing. Streams with a retry delay of their own should
// make it short (milliseconds), as the cases make writes fail.
type NewStream func(t *testing.T) shortener.ClickStream

// Run runs the conformance suite against the streams made by newStream.
// Each subtest gets its own stream and runs in parallel with the others.
func Run(t *testing.T, newStream NewStream) {
	cases := []struct {
		name string
		run  func(t *testing.T, s shortener.ClickStream)
	}{
		{"DeliversEveryEvent", testDeliversEveryEvent},
		{"DeliversEventsProducedBeforeConsume", testProducedBeforeConsume},
		{"FailingWriterLosesNothing", testFailingWriter},
		{"ConcurrentProducers", testConcurrentProducers},
		{"RestartedConsumerGetsTheRest", testRestartedConsumer},
		{"ConsumeStopsWithItsContext", testConsumeStops},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.run(t, newStream(t))
		})
	}
}
