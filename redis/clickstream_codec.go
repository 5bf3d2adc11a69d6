package redis

import (
	"errors"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/wire"
)

// clickEventFormat is the first byte of an encoded event, so that a later
// layout can be told apart while old entries are still in the stream.
const clickEventFormat = 1

var errBadClickEvent = errors.New("undecodable click event")

// appendClickEvent appends the binary form of e to dst: the format byte;
// ID and LinkID (uvarint length + bytes each); OccurredAt as varint Unix
// seconds and uvarint nanoseconds; Referrer, Browser, OS, Device, Country
// and VisitorHash; one byte for IsBot. About a third of the size of JSON,
// and no reflection.
func appendClickEvent(dst []byte, e shortener.ClickEvent) []byte {
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
	return append(dst, bot)
}

// decodeClickEvent is the inverse of appendClickEvent; the time is in UTC.
// The fields are substrings of data, which go-redis allocated for us.
func decodeClickEvent(data string) (shortener.ClickEvent, error) {
	r := wire.NewReader(data)
	e, ok := readClickEvent(&r)
	if !ok || r.Rest() != "" {
		return shortener.ClickEvent{}, errBadClickEvent
	}
	return e, nil
}

// decodeClickEvents appends to dst the events of a stream entry: one or
// more encoded events back to back, as ClickStream.WriteClicks writes a
// batch. A malformed entry appends nothing.
func decodeClickEvents(dst []shortener.ClickEvent, data string) ([]shortener.ClickEvent, error) {
	n := len(dst)
	r := wire.NewReader(data)
	for {
		e, ok := readClickEvent(&r)
		if !ok {
			return dst[:n], errBadClickEvent
		}
		dst = append(dst, e)
		if r.Rest() == "" {
			return dst, nil
		}
	}
}

// readClickEvent reads one event from r and reports whether it was well
// formed.
func readClickEvent(r *wire.Reader) (shortener.ClickEvent, bool) {
	if r.Byte() != clickEventFormat {
		return shortener.ClickEvent{}, false
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
	if r.Bad() || bot > 1 || e.ID == "" {
		return shortener.ClickEvent{}, false
	}
	e.IsBot = bot == 1
	return e, true
}
