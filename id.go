package shortener

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"sync"
	"time"
)

// UUID is the 16 bytes of a UUID. IDs are UUIDv7 (RFC 9562): a
// millisecond timestamp first, so that they sort by creation time.
type UUID [16]byte

// uuidState keeps the IDs of this process strictly increasing: within one
// millisecond (or when the clock goes back) a counter in rand_a orders
// them, and a full counter moves on to the next millisecond.
var uuidState struct {
	sync.Mutex
	lastMS  int64
	counter uint16
	seq     uint64 // click IDs made, added to clickSeed
}

// clickSeed is the random part of this process's click IDs.
var clickSeed = func() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:])
}()

// NewID returns a new UUIDv7 in its canonical text form. IDs made by one
// process are strictly increasing, so they sort by creation time.
func NewID() string {
	return NewIDAt(time.Now())
}

// NewIDAt returns a new UUIDv7 whose timestamp is t, in text form. Its
// last 62 bits are random: these IDs name links, users and keys, which no
// one should guess from another.
func NewIDAt(t time.Time) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return newUUID(t, binary.LittleEndian.Uint64(b[:]), false).String()
}

// NewClickIDAt returns a new UUIDv7 for a click at t without reading
// randomness or allocating, as the redirect makes one per click: its last
// bits are a per-process random seed plus a sequence number. A click ID only
// makes its delivery idempotent; nobody looks one up, so it need not be
// unguessable, only unique (two processes collide only if their seeds
// fall within a click count of each other in 2^62).
func NewClickIDAt(t time.Time) UUID {
	return newUUID(t, clickSeed, true)
}

// newUUID makes a UUIDv7 at t whose rand_b is randB (plus the sequence
// number when sequenced).
func newUUID(t time.Time, randB uint64, sequenced bool) UUID {
	ms := t.UnixMilli()
	uuidState.Lock()
	if ms <= uuidState.lastMS {
		ms = uuidState.lastMS
		uuidState.counter++
		if uuidState.counter > 0x0fff {
			ms++
			uuidState.counter = 0
		}
	} else {
		uuidState.counter = 0
	}
	uuidState.lastMS = ms
	counter := uuidState.counter
	if sequenced {
		uuidState.seq++
		randB += uuidState.seq
	}
	uuidState.Unlock()

	var u UUID
	var ts [8]byte
	binary.BigEndian.PutUint64(ts[:], uint64(ms))
	copy(u[0:6], ts[2:8])
	u[6] = 0x70 | byte(counter>>8)&0x0f
	u[7] = byte(counter)
	binary.BigEndian.PutUint64(u[8:], randB)
	u[8] = u[8]&0x3f | 0x80
	return u
}

// String returns the canonical text form of u.
func (u UUID) String() string {
	var out [36]byte
	return string(u.AppendText(out[:0]))
}

// AppendText appends the canonical text form of u to b.
func (u UUID) AppendText(b []byte) []byte {
	var out [36]byte
	hex.Encode(out[0:8], u[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], u[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], u[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], u[8:10])
	out[23] = '-'
	hex.Encode(out[24:36], u[10:16])
	return append(b, out[:]...)
}

// IsZero reports whether u is the zero UUID (no ID).
func (u UUID) IsZero() bool { return u == UUID{} }

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

var errNotUUID = errors.New("not a UUID in canonical text form")

// ParseUUID reads a UUID in canonical text form (any case).
func ParseUUID(s string) (UUID, error) {
	var u UUID
	if !IsID(s) {
		return u, errNotUUID
	}
	var hexDigits [32]byte
	copy(hexDigits[0:8], s[0:8])
	copy(hexDigits[8:12], s[9:13])
	copy(hexDigits[12:16], s[14:18])
	copy(hexDigits[16:20], s[19:23])
	copy(hexDigits[20:32], s[24:36])
	if _, err := hex.Decode(u[:], hexDigits[:]); err != nil {
		return u, errNotUUID
	}
	return u, nil
}
