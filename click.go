package shortener

import (
	"context"
	"net/netip"
	"strings"
	"time"
)

// Click is one redirect as the hot path sees it, before enrichment. It holds
// the raw client IP and user agent; only the click pipeline's local spool
// ever keeps them, and enrichment replaces them with a visitor hash.
type Click struct {
	ID        UUID // NewClickIDAt at the redirect; makes delivery idempotent
	LinkID    string
	At        time.Time
	IP        netip.Addr // the client's address (invalid when unknown)
	UserAgent string
	Referrer  string // the Referer header as sent
	Target    string // the URL the visitor was sent to (a rule's, a variant's or the link's own)
}

// ClickRecorder takes clicks off the redirect's hands. RecordClick never
// waits on the network: at most it appends to a local spool. A click it
// cannot keep is counted as dropped; the redirect answers regardless.
type ClickRecorder interface {
	RecordClick(c Click)
}

// Agent is what a user agent says about its client.
type Agent struct {
	Browser string // "Chrome", "Firefox", … or LabelUnknown
	OS      string // "Windows", "macOS", "iOS", "Android", … or LabelUnknown
	Device  string // one of the Device constants
	IsBot   bool   // a crawler, a preview fetcher, or no user agent at all
}

// Platform returns the platform a targeting rule may name: PlatformIOS,
// PlatformAndroid, or "".
func (a Agent) Platform() string {
	switch a.OS {
	case "iOS":
		return PlatformIOS
	case "Android":
		return PlatformAndroid
	}
	return ""
}

// Enrichment is what the click enrichment knows about a request, which the
// redirect needs too for link options (targeting, variants, caps): one
// implementation, so a redirect decides on the very facts its click
// records.
type Enrichment interface {
	// Classify tells what userAgent says about its client; an empty one
	// is a bot.
	Classify(userAgent string) Agent
	// Country returns the ISO 3166 alpha-2 code of ip's country, or
	// LabelUnknown.
	Country(ip netip.Addr) string
	// VisitorHash returns the visitor of a request at a time: a keyed hash
	// of the client IP, the user agent and the UTC day.
	VisitorHash(ip netip.Addr, userAgent string, at time.Time) string
}

// Device classes of a click.
const (
	DeviceDesktop = "desktop"
	DeviceMobile  = "mobile"
	DeviceTablet  = "tablet"
	DeviceBot     = "bot"
	DeviceOther   = "other"
)

// Labels used when a value is missing.
const (
	LabelDirect  = "(direct)" // no referrer
	LabelUnknown = "unknown"
)

// ClickEvent is an enriched click, as stored.
type ClickEvent struct {
	ID          string
	LinkID      string
	OccurredAt  time.Time
	Referrer    string // host only, or LabelDirect
	Browser     string // "Chrome", "Firefox", … or LabelUnknown
	OS          string // "Windows", "macOS", … or LabelUnknown
	Device      string // one of the Device constants
	Country     string // ISO 3166 alpha-2 or LabelUnknown
	IsBot       bool
	VisitorHash string // keyed hash of IP + user agent + UTC day
	Target      string // the URL the visitor was sent to; "" for clicks from before targets were kept
}

// Dimensions of the per-day rollups, in the order the summary lists them.
const (
	DimReferrer = "referrer"
	DimCountry  = "country"
	DimBrowser  = "browser"
	DimOS       = "os"
	DimDevice   = "device"
	DimTarget   = "target"
)

// Dimensions lists every rollup dimension.
var Dimensions = []string{DimReferrer, DimCountry, DimBrowser, DimOS, DimDevice, DimTarget}

// DayStats is one UTC day of a link's rollup.
type DayStats struct {
	Day            time.Time // midnight UTC
	Clicks         int64     // human clicks
	UniqueVisitors int64     // distinct visitor hashes among human clicks
	BotClicks      int64
}

// LabelCount is one value of a dimension and its human clicks.
type LabelCount struct {
	Label string
	Count int64
}

// ClickStats is a link's rollup over a range of days.
type ClickStats struct {
	Days []DayStats // only days that have clicks, oldest first
	// Top maps each dimension to its values, largest count first (ties by
	// label), at most the limit asked for.
	Top map[string][]LabelCount
}

// ClickStore keeps clicks and their daily rollups.
type ClickStore interface {
	// ClickWriter stores the clicks in one transaction: the click rows, the
	// links' click_count (human clicks only) and the daily rollups. A click
	// whose ID is already stored is skipped entirely, and so are clicks of
	// links that no longer exist.
	ClickWriter

	// ClickStats returns the rollups of the link for the UTC days from
	// first to last, inclusive, with at most top values per dimension.
	ClickStats(ctx context.Context, linkID string, first, last time.Time, top int) (*ClickStats, error)

	// EachClick calls fn with the raw click rows of the link that occurred
	// in [from, to), oldest first (ties by ID), stopping at fn's first
	// error, which it returns. Memory does not grow with the count.
	EachClick(ctx context.Context, linkID string, from, to time.Time, fn func(ClickEvent) error) error

	// PruneClicks keeps the raw click rows in shape, as a background job
	// runs it every so often: it prepares the storage of the clicks to
	// come after now (PostgreSQL: the next months' partitions), and, when
	// cutoff is not zero, deletes the raw rows that occurred before it,
	// leaving the daily rollups and click_count as they are. It returns
	// how many rows it deleted.
	PruneClicks(ctx context.Context, now, cutoff time.Time) (int64, error)
}

// UniqueClicks returns the clicks with repeated IDs dropped (the first
// wins), in a new slice: the caller's is left alone, and a store may filter
// the result in place. IDs and link IDs are lower-cased, as the databases
// return them, so that the two spellings of one UUID are one click. A
// click whose ID or link ID is not a UUID is dropped too: it can match no
// link (PostgreSQL's uuid columns would refuse it), and failing the batch
// would block every click queued behind it.
func UniqueClicks(clicks []ClickEvent) []ClickEvent {
	seen := make(map[string]bool, len(clicks))
	out := make([]ClickEvent, 0, len(clicks))
	for _, c := range clicks {
		c.ID, c.LinkID = strings.ToLower(c.ID), strings.ToLower(c.LinkID)
		if !seen[c.ID] && IsID(c.ID) && IsID(c.LinkID) {
			seen[c.ID] = true
			out = append(out, c)
		}
	}
	return out
}
