// Package wire holds the building blocks of the compact binary layouts of
// the local spool, the click stream (internal/clickcodec) and the Redis
// link cache: unsigned and zig-zag varints as encoding/binary writes them,
// strings prefixed with their length as a uvarint, and times as varint
// Unix seconds plus uvarint nanoseconds. Writers use binary.AppendUvarint,
// binary.AppendVarint, AppendString and AppendTime; readers use Reader.
// Each layout keeps its own format byte and checksum; this package only
// knows the fields.
package wire

import (
	"encoding/binary"
	"time"
)

// AppendString appends s to dst prefixed with its length as a uvarint.
func AppendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// AppendBytes is AppendString for bytes.
func AppendBytes(dst, b []byte) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(b)))
	return append(dst, b...)
}

// AppendTime appends t as its Unix seconds (varint) and nanoseconds
// (uvarint). The pair covers every time.Time, the zero time included, to
// the nanosecond; the location is not kept.
func AppendTime(dst []byte, t time.Time) []byte {
	dst = binary.AppendVarint(dst, t.Unix())
	return binary.AppendUvarint(dst, uint64(t.Nanosecond()))
}

// Reader takes fields off the front of an encoded value. It reads from a
// string so that Str can return substrings of it: a decoder that converts
// its input to a string once pays one allocation for all of its fields.
//
// A malformed field (truncated, overflowing, out of range, or longer than
// what is left) makes the Reader bad: that and every later read return
// the zero value, so a decoder reads all of its fields and checks Bad once
// at the end.
type Reader struct {
	rest string
	bad  bool
}

// NewReader returns a Reader positioned at the start of s.
func NewReader(s string) Reader {
	return Reader{rest: s}
}

// Uvarint reads a uvarint as written by binary.AppendUvarint.
func (r *Reader) Uvarint() uint64 {
	// binary.Uvarint only reads its argument, so the compiler converts
	// without copying: the read neither allocates nor copies the input
	// (TestReaderDoesNotAllocate holds it to that).
	x, n := binary.Uvarint([]byte(r.rest))
	return advance(r, n, x)
}

// Varint reads a zig-zag varint as written by binary.AppendVarint.
func (r *Reader) Varint() int64 {
	x, n := binary.Varint([]byte(r.rest))
	return advance(r, n, x)
}

// advance consumes the n bytes that v was read from. binary reports a
// truncated varint as n == 0 and an overflowing one as n < 0; either, or
// an earlier failure, makes r bad and the result the zero value.
func advance[T uint64 | int64](r *Reader, n int, v T) T {
	if r.bad || n <= 0 {
		r.bad = true
		return 0
	}
	r.rest = r.rest[n:]
	return v
}

// Str reads a string as written by AppendString. The result is a
// substring of the Reader's input, not a copy. It is not called String
// because it consumes input: fmt and go vet take a String method to be a
// side-effect-free description of the value.
func (r *Reader) Str() string {
	n := r.Uvarint()
	if r.bad || n > uint64(len(r.rest)) {
		r.bad = true
		return ""
	}
	s := r.rest[:n]
	r.rest = r.rest[n:]
	return s
}

// Time reads a time as written by AppendTime, in UTC. Nanoseconds of a
// second or more are malformed: AppendTime never writes them.
func (r *Reader) Time() time.Time {
	sec := r.Varint()
	nsec := r.Uvarint()
	if r.bad || nsec >= uint64(time.Second) {
		r.bad = true
		return time.Time{}
	}
	return time.Unix(sec, int64(nsec)).UTC()
}

// Byte reads a single byte.
func (r *Reader) Byte() byte {
	if r.bad || r.rest == "" {
		r.bad = true
		return 0
	}
	b := r.rest[0]
	r.rest = r.rest[1:]
	return b
}

// Bad reports whether any read so far met a malformed field.
func (r *Reader) Bad() bool {
	return r.bad
}

// Rest returns the input not read yet; a decoder that has read every field
// of a well-formed value finds it empty.
func (r *Reader) Rest() string {
	return r.rest
}
