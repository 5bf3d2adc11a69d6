package redis

import (
	"encoding/binary"
	"errors"
	"time"

	"github.com/shortener-dev/shortener"
)

// The value of url:{code}: a version byte, flags, the expiry (if any) as
// Unix seconds and nanoseconds, then the link ID and URL, each prefixed with
// its length. Compact and cheap to decode; an unknown version reads as a miss
// and is overwritten.
const (
	targetFormatV1 = 1
	flagActive     = 1 << 0
	flagExpires    = 1 << 1
)

func encodeTarget(t shortener.Target) []byte {
	b := make([]byte, 0, 2+3*binary.MaxVarintLen64+len(t.LinkID)+len(t.URL))
	var flags byte
	if t.Active {
		flags |= flagActive
	}
	if !t.ExpiresAt.IsZero() {
		flags |= flagExpires
	}
	b = append(b, targetFormatV1, flags)
	if !t.ExpiresAt.IsZero() {
		b = binary.AppendVarint(b, t.ExpiresAt.Unix())
		b = binary.AppendUvarint(b, uint64(t.ExpiresAt.Nanosecond()))
	}
	b = binary.AppendUvarint(b, uint64(len(t.LinkID)))
	b = append(b, t.LinkID...)
	b = binary.AppendUvarint(b, uint64(len(t.URL)))
	return append(b, t.URL...)
}

var errBadTarget = errors.New("malformed cached target")

func decodeTarget(b []byte) (shortener.Target, error) {
	if len(b) < 2 || b[0] != targetFormatV1 {
		return shortener.Target{}, errBadTarget
	}
	t := shortener.Target{Found: true, Active: b[1]&flagActive != 0}
	rest := b[2:]
	if b[1]&flagExpires != 0 {
		sec, n := binary.Varint(rest)
		if n <= 0 {
			return shortener.Target{}, errBadTarget
		}
		nsec, m := binary.Uvarint(rest[n:])
		if m <= 0 || nsec >= uint64(time.Second) {
			return shortener.Target{}, errBadTarget
		}
		t.ExpiresAt = time.Unix(sec, int64(nsec)).UTC()
		rest = rest[n+m:]
	}
	var ok bool
	if t.LinkID, rest, ok = readString(rest); !ok {
		return shortener.Target{}, errBadTarget
	}
	if t.URL, rest, ok = readString(rest); !ok || len(rest) != 0 {
		return shortener.Target{}, errBadTarget
	}
	return t, nil
}

// readString reads a length-prefixed string from b and returns what follows.
func readString(b []byte) (string, []byte, bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return "", nil, false
	}
	end := k + int(n)
	return string(b[k:end]), b[end:], true
}
