package spool

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"net/netip"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/wire"
)

// The first byte of every encoded click, so that a later layout can be told
// apart when old spools are replayed. Format 2 adds the target served;
// format 1 clicks (written before an upgrade) are still read, target "".
const (
	clickFormatV1 = 1
	clickFormat   = 2
)

// errCorruptClick reports an entry that is not a click this code wrote: a
// torn or zero-filled tail after a crash, or another format.
var errCorruptClick = errors.New("corrupt click entry")

// castagnoli is computed in hardware on amd64 and arm64, so the checksum
// costs a few nanoseconds per click.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// appendClick appends the binary form of c to dst:
//
//	format byte | uvarint len + bytes for ID, LinkID | varint Unix seconds |
//	uvarint nanoseconds | uvarint len + bytes for IP, UserAgent, Referrer,
//	Target | CRC-32C of all of the above, little endian
//
// The ID and the IP are in text form ("" for none).
//
// The checksum lets replay skip garbage that a crash left at the end of
// the log instead of shipping it.
func appendClick(dst []byte, c shortener.Click) []byte {
	start := len(dst)
	dst = append(dst, clickFormat)
	var text [64]byte // an ID's or an address's text, on the stack
	if c.ID.IsZero() {
		dst = wire.AppendString(dst, "")
	} else {
		dst = wire.AppendBytes(dst, c.ID.AppendText(text[:0]))
	}
	dst = wire.AppendString(dst, c.LinkID)
	dst = wire.AppendTime(dst, c.At)
	dst = wire.AppendBytes(dst, c.IP.AppendTo(text[:0]))
	dst = wire.AppendString(dst, c.UserAgent)
	dst = wire.AppendString(dst, c.Referrer)
	dst = wire.AppendString(dst, c.Target)
	sum := crc32.Checksum(dst[start:], castagnoli)
	return binary.LittleEndian.AppendUint32(dst, sum)
}

// decodeClick is the inverse of appendClick. The returned click does not
// refer to data, which may be the log's own buffer. Its time is in UTC.
func decodeClick(data []byte) (shortener.Click, error) {
	if len(data) < 1+4 || (data[0] != clickFormat && data[0] != clickFormatV1) {
		return shortener.Click{}, errCorruptClick
	}
	body := data[:len(data)-4]
	if crc32.Checksum(body, castagnoli) != binary.LittleEndian.Uint32(data[len(body):]) {
		return shortener.Click{}, errCorruptClick
	}
	// One string for the whole entry, sliced into the fields: a single
	// allocation per click instead of five.
	r := wire.NewReader(string(body[1:]))
	var c shortener.Click
	var err error
	if id := r.Str(); id != "" {
		c.ID, err = shortener.ParseUUID(id)
	}
	c.LinkID = r.Str()
	c.At = r.Time()
	c.IP = parseIP(r.Str())
	c.UserAgent = r.Str()
	c.Referrer = r.Str()
	if data[0] == clickFormat {
		c.Target = r.Str()
	}
	if err != nil || r.Bad() || r.Rest() != "" {
		return shortener.Click{}, errCorruptClick
	}
	return c, nil
}

// parseIP reads a click's address as the log keeps it: text, "" for none.
// Logs of older versions may hold a port or an IPv6 zone; both go.
func parseIP(s string) netip.Addr {
	ip, err := netip.ParseAddr(s)
	if err != nil {
		ap, err := netip.ParseAddrPort(s)
		if err != nil {
			return netip.Addr{}
		}
		ip = ap.Addr()
	}
	return ip.Unmap().WithZone("")
}
