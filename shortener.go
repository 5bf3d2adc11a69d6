// Package shortener holds the domain of the URL shortener: links, users,
// refresh tokens and clicks, the error type with its codes, and the
// interfaces that the storage, cache, queue and limiter packages implement.
//
// It depends on the standard library only. Each technology lives in its own
// subpackage (sqlite, postgres, redis, inmem) and talks to the others through
// the types declared here; cmd/shortener wires them together.
package shortener

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"sync"
	"time"
)

// Clock returns the current time. Logic takes a Clock instead of calling
// time.Now so that tests can move time.
type Clock func() time.Time

// SystemClock is the wall clock in UTC, to the microsecond (what the
// databases keep).
func SystemClock() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

var idState struct {
	sync.Mutex
	lastMS  int64
	counter uint16
}

// NewID returns a new UUIDv7 in its canonical text form. IDs made by one
// process are strictly increasing, so they sort by creation time.
func NewID() string {
	return NewIDAt(time.Now())
}

// NewIDAt returns a new UUIDv7 whose timestamp is t.
func NewIDAt(t time.Time) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	ms := t.UnixMilli()

	idState.Lock()
	if ms <= idState.lastMS {
		// Same millisecond (or the clock went back): keep the order with a
		// counter in rand_a.
		ms = idState.lastMS
		idState.counter++
		if idState.counter > 0x0fff {
			ms++
			idState.counter = 0
		}
	} else {
		idState.counter = 0
	}
	idState.lastMS = ms
	counter := idState.counter
	idState.Unlock()

	var ts [8]byte
	binary.BigEndian.PutUint64(ts[:], uint64(ms))
	copy(b[0:6], ts[2:8])
	b[6] = 0x70 | byte(counter>>8)&0x0f
	b[7] = byte(counter)
	b[8] = b[8]&0x3f | 0x80

	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:36], b[10:16])
	return string(out[:])
}

// IsID reports whether s is a UUID in canonical text form (any version).
func IsID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}
