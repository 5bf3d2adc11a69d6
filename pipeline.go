package shortener

import (
	"context"
	"net/netip"
	"time"
)

// The click pipeline carries a click from the redirect to the click store:
//
//	ClickRecorder (the spool) → ClickSource → shipper (enrich) → ClickStream → ClickWriter (the store)
//
// Every hop hands a batch on before it lets go of it, and every hop may
// hand a batch on twice, so the last hop, the click store, is idempotent by
// click ID. The stages report to PipelineMetrics.

// ClickWriter takes batches of enriched clicks: the click store, a click
// stream's producer side, or a decorator of either.
type ClickWriter interface {
	// WriteClicks stores or passes on the clicks, and returns nil only once
	// they are safe with the writer. It is idempotent by click ID: a click
	// whose ID is already stored is skipped. It must not keep the slice
	// after it returns. A batch that failed, even in part, may be written
	// again whole, and a restart replays clicks that were delivered, so a
	// writer must not count a click twice.
	WriteClicks(ctx context.Context, clicks []ClickEvent) error
}

// ClickSource is the reading side of the local spool, which the shipper
// drains. It has one reader.
type ClickSource interface {
	// Next waits until at least one click is pending or ctx is done, then
	// returns up to limit of the oldest unacknowledged clicks, oldest
	// first, and a token for Ack. Until Ack, every call starts with the
	// same clicks. Returns ctx's error when ctx is done first.
	Next(ctx context.Context, limit int) (clicks []Click, token uint64, err error)
	// Ack marks the clicks returned with token, and all older ones, as
	// delivered, so that they are not returned or replayed again.
	Ack(token uint64) error
	// Pending returns the number of clicks not yet acknowledged.
	Pending() int
}

// ClickStream is the hop between the shipper and the click store: an
// in-process hand-over in the embedded mode, a shared queue that any
// instance may consume when there are several.
type ClickStream interface {
	// ClickWriter is the producing side, the shipper's sink: WriteClicks
	// appends the events to the stream and returns nil once the stream has
	// them; a stream that keeps nothing itself returns once the consumer's
	// writer has them, and returns that writer's error. On an error the
	// producer writes the whole batch again.
	ClickWriter
	// Consume delivers every produced event to w until ctx is done, and
	// returns only then. Delivery is at least once (w is idempotent by
	// click ID): a stream that keeps events retries a failed write of w
	// with backoff; a stream that keeps nothing fails the producer's
	// WriteClicks, which retries. Events produced before Consume starts
	// are delivered too. w is not called after Consume returns.
	Consume(ctx context.Context, w ClickWriter)
}

// DropReason says why a click was lost; it is the label of the dropped
// clicks counter, so its values must stay as they are.
type DropReason string

// The reasons for dropping a click.
const (
	DropSpoolClosed       DropReason = "spool_closed"       // recorded after the spool closed
	DropSpoolWriteFailed  DropReason = "spool_write_failed" // the spool's log could not be written
	DropSpoolOverflow     DropReason = "spool_overflow"     // too much waiting behind a stalled write
	DropSpoolFull         DropReason = "spool_full"         // the memory spool is at capacity
	DropSpoolCorrupt      DropReason = "spool_corrupt"      // an entry failed its checksum on replay
	DropStreamUndecodable DropReason = "stream_undecodable" // a stream entry could not be read; counts one per entry
)

// DropReasons lists every DropReason, so that metrics can export each as
// zero before anything is dropped and an alert has a series to watch.
var DropReasons = []DropReason{
	DropSpoolClosed, DropSpoolWriteFailed, DropSpoolOverflow, DropSpoolFull,
	DropSpoolCorrupt, DropStreamUndecodable,
}

// PipelineMetrics receives the counts of the click pipeline's stages. Its
// methods are safe for concurrent use and never fail: a count must not
// stop a click.
type PipelineMetrics interface {
	// ClicksSpooled counts clicks the spool kept before their redirect
	// answered.
	ClicksSpooled(n int)
	// SpoolWrite records how long one write of the durable spool's log
	// took, failed or not: the redirects whose clicks it held waited for it.
	SpoolWrite(took time.Duration)
	// ClicksDropped counts clicks lost for reason.
	ClicksDropped(reason DropReason, n int)
	// ClicksShipped counts clicks the shipper delivered to the stream.
	ClicksShipped(n int)
	// ClicksWritten counts clicks handed to the click store in successful
	// writes, duplicates of a replay included.
	ClicksWritten(n int)
	// ShipError counts a failed attempt to deliver a batch to the stream.
	ShipError()
	// WriteError counts a failed write of a batch to the click store.
	WriteError()
	// SetPending sets the number of clicks in the spool not yet delivered.
	SetPending(n int)
	// SetLag sets the age of the oldest click not yet delivered; 0 when
	// none is waiting.
	SetLag(d time.Duration)
}

// CountryLookup maps a client IP to its country, for enrichment.
type CountryLookup interface {
	// Country returns the ISO 3166-1 alpha-2 code of the IP's country in
	// upper case, or "" when the country is not known.
	Country(ip netip.Addr) string
}
