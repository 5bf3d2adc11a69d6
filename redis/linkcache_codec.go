package redis

import (
	"errors"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/wire"
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
	// Room for the version, flags, the longest expiry and two lengths.
	b := make([]byte, 0, 32+len(t.LinkID)+len(t.URL))
	var flags byte
	if t.Active {
		flags |= flagActive
	}
	if !t.ExpiresAt.IsZero() {
		flags |= flagExpires
	}
	b = append(b, targetFormatV1, flags)
	if !t.ExpiresAt.IsZero() {
		b = wire.AppendTime(b, t.ExpiresAt)
	}
	b = wire.AppendString(b, t.LinkID)
	return wire.AppendString(b, t.URL)
}

var errBadTarget = errors.New("malformed cached target")

// decodeTarget reads a value of url:{code}. It takes the string go-redis
// returns, so the link ID and URL are substrings of it and not copies.
func decodeTarget(value string) (shortener.Target, error) {
	r := wire.NewReader(value)
	version, flags := r.Byte(), r.Byte()
	if r.Bad() || version != targetFormatV1 {
		return shortener.Target{}, errBadTarget
	}
	t := shortener.Target{Found: true, Active: flags&flagActive != 0}
	if flags&flagExpires != 0 {
		t.ExpiresAt = r.Time()
	}
	t.LinkID = r.Str()
	t.URL = r.Str()
	if r.Bad() || r.Rest() != "" {
		return shortener.Target{}, errBadTarget
	}
	return t, nil
}
