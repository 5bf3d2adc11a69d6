package spool

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"time"

	"github.com/shortener-dev/shortener"
)

// clickFormat is the first byte of every encoded click, so that a later
// layout can be told apart from this one when old spools are replayed.
const clickFormat = 1

// errCorruptClick reports an entry that is not a click this code wrote: a
// torn or zero-filled tail after a crash, or another format.
var errCorruptClick = errors.New("corrupt click entry")

// castagnoli is computed in hardware on amd64 and arm64, so the checksum
// costs a few nanoseconds per click.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// appendClick appends the binary form of c to dst:
//
//	format byte | uvarint len + bytes for ID, LinkID | varint Unix seconds |
//	uvarint nanoseconds | uvarint len + bytes for IP, UserAgent, Referrer |
//	CRC-32C of all of the above, little endian
//
// The seconds/nanoseconds pair covers every time.Time, the zero time
// included, to the nanosecond. The checksum lets replay skip garbage that a
// crash left at the end of the log instead of shipping it.
func appendClick(dst []byte, c shortener.Click) []byte {
	start := len(dst)
	dst = append(dst, clickFormat)
	dst = appendString(dst, c.ID)
	dst = appendString(dst, c.LinkID)
	dst = binary.AppendVarint(dst, c.At.Unix())
	dst = binary.AppendUvarint(dst, uint64(c.At.Nanosecond()))
	dst = appendString(dst, c.IP)
	dst = appendString(dst, c.UserAgent)
	dst = appendString(dst, c.Referrer)
	sum := crc32.Checksum(dst[start:], castagnoli)
	return binary.LittleEndian.AppendUint32(dst, sum)
}

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// decodeClick is the inverse of appendClick. The returned click does not
// refer to data, which may be the log's own buffer. Its time is in UTC.
func decodeClick(data []byte) (shortener.Click, error) {
	if len(data) < 1+4 || data[0] != clickFormat {
		return shortener.Click{}, errCorruptClick
	}
	body := data[:len(data)-4]
	if crc32.Checksum(body, castagnoli) != binary.LittleEndian.Uint32(data[len(body):]) {
		return shortener.Click{}, errCorruptClick
	}
	// One string for the whole entry, sliced into the fields: a single
	// allocation per click instead of five.
	r := clickReader{s: string(body), pos: 1}
	var c shortener.Click
	c.ID = r.str()
	c.LinkID = r.str()
	sec := r.varint()
	nsec := r.uvarint()
	c.IP = r.str()
	c.UserAgent = r.str()
	c.Referrer = r.str()
	if r.bad || r.pos != len(r.s) || nsec >= uint64(time.Second) {
		return shortener.Click{}, errCorruptClick
	}
	c.At = time.Unix(sec, int64(nsec)).UTC()
	return c, nil
}

// clickReader walks an encoded click; bad records the first malformed field
// so that the caller checks once at the end.
type clickReader struct {
	s   string
	pos int
	bad bool
}

func (r *clickReader) uvarint() uint64 {
	var x uint64
	for shift := uint(0); shift < 64; shift += 7 {
		if r.pos >= len(r.s) {
			break
		}
		b := r.s[r.pos]
		r.pos++
		x |= uint64(b&0x7f) << shift
		if b < 0x80 {
			return x
		}
	}
	r.bad = true
	return 0
}

func (r *clickReader) varint() int64 {
	ux := r.uvarint()
	x := int64(ux >> 1)
	if ux&1 != 0 {
		x = ^x
	}
	return x
}

func (r *clickReader) str() string {
	n := r.uvarint()
	if r.bad || n > uint64(len(r.s)-r.pos) {
		r.bad = true
		return ""
	}
	s := r.s[r.pos : r.pos+int(n)]
	r.pos += int(n)
	return s
}
