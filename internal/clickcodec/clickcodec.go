// Package clickcodec is the binary form of an enriched click
// (shortener.ClickEvent) on its way from the shipper to the click store:
// the entries of the Redis click stream hold such events back to back.
// Entries written by an earlier build may still be pending when a new one
// starts, so the layout only changes with a new format byte.
package clickcodec

import (
	"errors"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/wire"
)

// The first byte of an encoded event, so that a later layout can be told
// apart while old entries are still in the stream. Format 2 adds the
// target served after the bot byte; format 1 events are still read (their
// target is "").
const (
	clickEventFormatV1 = 1
	clickEventFormat   = 2
	// maxClickEventFormat is the last format byte kept for later layouts:
	// a byte above this build's and up to it is a later build's event, any
	// other byte is garbage.
	maxClickEventFormat = 0x1f
)

var errBadClickEvent = errors.New("undecodable click event")

// ErrNewerFormat is the error of an entry written by a later build: its
// format byte is above this build's. It is not malformed, only not this
// build's to read: during a rolling upgrade a newer instance writes it.
var ErrNewerFormat = errors.New("click event of a newer format")

// AppendEvent appends the binary form of e to dst: the format byte;
// ID and LinkID (uvarint length + bytes each); OccurredAt as varint Unix
// seconds and uvarint nanoseconds; Referrer, Browser, OS, Device, Country
// and VisitorHash; one byte for IsBot; Target. About a third of the size
// of JSON, and no reflection.
func AppendEvent(dst []byte, e shortener.ClickEvent) []byte {
	dst = append(dst, clickEventFormat)
	dst = wire.AppendString(dst, e.ID)
	dst = wire.AppendString(dst, e.LinkID)
	dst = wire.AppendTime(dst, e.OccurredAt)
	for _, s := range [...]string{e.Referrer, e.Browser, e.OS, e.Device, e.Country, e.VisitorHash} {
		dst = wire.AppendString(dst, s)
	}
	bot := byte(0)
	if e.IsBot {
		bot = 1
	}
	dst = append(dst, bot)
	return wire.AppendString(dst, e.Target)
}

// DecodeEvents appends to dst the events of an entry: one or more events
// encoded with AppendEvent back to back, as the click stream writes a
// batch. The times are in UTC; the strings are substrings of data, which
// the Redis client allocated anyway. A malformed entry appends nothing and
// returns an error.
func DecodeEvents(dst []shortener.ClickEvent, data string) ([]shortener.ClickEvent, error) {
	n := len(dst)
	r := wire.NewReader(data)
	for first := true; ; first = false {
		e, err := readClickEvent(&r)
		if errors.Is(err, ErrNewerFormat) && !first {
			// A batch is written by one build: a later event of a newer
			// format is a damaged entry, not a newer build's.
			err = errBadClickEvent
		}
		if err != nil {
			return dst[:n], err
		}
		dst = append(dst, e)
		if r.Rest() == "" {
			return dst, nil
		}
	}
}

// readClickEvent reads one event from r: errBadClickEvent when it is
// malformed, ErrNewerFormat when a later build wrote it.
func readClickEvent(r *wire.Reader) (shortener.ClickEvent, error) {
	format := r.Byte()
	switch {
	case !r.Bad() && format > clickEventFormat && format <= maxClickEventFormat:
		return shortener.ClickEvent{}, ErrNewerFormat
	case format != clickEventFormat && format != clickEventFormatV1:
		return shortener.ClickEvent{}, errBadClickEvent
	}
	var e shortener.ClickEvent
	e.ID = r.Str()
	e.LinkID = r.Str()
	e.OccurredAt = r.Time()
	e.Referrer = r.Str()
	e.Browser = r.Str()
	e.OS = r.Str()
	e.Device = r.Str()
	e.Country = r.Str()
	e.VisitorHash = r.Str()
	bot := r.Byte()
	if format == clickEventFormat {
		e.Target = r.Str()
	}
	if r.Bad() || bot > 1 || e.ID == "" {
		return shortener.ClickEvent{}, errBadClickEvent
	}
	e.IsBot = bot == 1
	return e, nil
}
