package redis

import (
	"encoding/binary"
	"errors"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/wire"
)

// The value of url:{code} is a version byte and the fields of the Target,
// in internal/wire's primitives. Version 2 carries the link options; an
// instance reads a value of another version as a miss (and overwrites it
// from SQL), so an instance never acts on an entry it cannot fully read,
// whichever version wrote it.
//
// Version 2: flags; the expiry and the valid-since time when flagged; the
// redirect type; max clicks when flagged; the link ID and URL; the password
// hash when flagged; the rules (count, then each rule's URL and its three
// condition lists); the variants when flagged (count, then URL and weight).
const (
	targetFormat = 2

	flagActive       = 1 << 0
	flagExpires      = 1 << 1
	flagForwardQuery = 1 << 2
	flagValidSince   = 1 << 3
	flagMaxClicks    = 1 << 4
	flagPassword     = 1 << 5
	flagVariants     = 1 << 6
)

func encodeTarget(t shortener.Target) []byte {
	b := make([]byte, 0, 48+len(t.LinkID)+len(t.URL)+len(t.PasswordHash))
	flags := flagIf(t.Active, flagActive) | flagIf(!t.ExpiresAt.IsZero(), flagExpires) |
		flagIf(t.ForwardQuery, flagForwardQuery) | flagIf(!t.ValidSince.IsZero(), flagValidSince) |
		flagIf(t.MaxClicks > 0, flagMaxClicks) | flagIf(t.PasswordHash != "", flagPassword) |
		flagIf(t.Variants != nil, flagVariants)
	b = append(b, targetFormat, flags)
	if flags&flagExpires != 0 {
		b = wire.AppendTime(b, t.ExpiresAt)
	}
	if flags&flagValidSince != 0 {
		b = wire.AppendTime(b, t.ValidSince)
	}
	b = binary.AppendUvarint(b, uint64(t.RedirectType))
	if flags&flagMaxClicks != 0 {
		b = binary.AppendUvarint(b, uint64(t.MaxClicks))
	}
	b = wire.AppendString(b, t.LinkID)
	b = wire.AppendString(b, t.URL)
	if flags&flagPassword != 0 {
		b = wire.AppendString(b, t.PasswordHash)
	}
	b = binary.AppendUvarint(b, uint64(len(t.Rules)))
	for _, r := range t.Rules {
		b = wire.AppendString(b, r.URL)
		for _, list := range [...][]string{r.Devices, r.Countries, r.Languages} {
			b = appendStrings(b, list)
		}
	}
	if flags&flagVariants != 0 {
		b = binary.AppendUvarint(b, uint64(len(t.Variants)))
		for _, v := range t.Variants {
			b = wire.AppendString(b, v.URL)
			b = binary.AppendUvarint(b, uint64(v.Weight))
		}
	}
	return b
}

func flagIf(set bool, flag byte) byte {
	if set {
		return flag
	}
	return 0
}

func appendStrings(b []byte, list []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(list)))
	for _, s := range list {
		b = wire.AppendString(b, s)
	}
	return b
}

var (
	errBadTarget   = errors.New("malformed cached target")
	errOtherFormat = errors.New("cached target written by another version")
)

// maxFormat is the highest version byte taken for a format of some build
// rather than for garbage.
const maxFormat = 15

// maxListLen bounds the counts a value may claim, so that a corrupt one
// cannot make the decoder allocate without end.
const maxListLen = 1 << 10

// decodeTarget reads a value of url:{code}. It takes the string go-redis
// returns, so the strings of the Target are substrings of it, not copies.
// A value of another version is errOtherFormat: a miss, not a fault.
func decodeTarget(value string) (shortener.Target, error) {
	r := wire.NewReader(value)
	version, flags := r.Byte(), r.Byte()
	if r.Bad() {
		return shortener.Target{}, errBadTarget
	}
	switch {
	case version == 0 || version > maxFormat:
		return shortener.Target{}, errBadTarget
	case version != targetFormat:
		return shortener.Target{}, errOtherFormat
	}
	t := shortener.Target{Found: true, Active: flags&flagActive != 0, ForwardQuery: flags&flagForwardQuery != 0}
	if flags&flagExpires != 0 {
		t.ExpiresAt = r.Time()
	}
	if flags&flagValidSince != 0 {
		t.ValidSince = r.Time()
	}
	t.RedirectType = int(r.Uvarint())
	if flags&flagMaxClicks != 0 {
		t.MaxClicks = int64(r.Uvarint())
	}
	t.LinkID = r.Str()
	t.URL = r.Str()
	if flags&flagPassword != 0 {
		t.PasswordHash = r.Str()
	}
	ok := true
	if n := r.Uvarint(); n > maxListLen {
		return shortener.Target{}, errBadTarget
	} else if n > 0 {
		t.Rules = make([]shortener.TargetRule, n)
		for i := range t.Rules {
			rule := shortener.TargetRule{URL: r.Str()}
			for _, list := range [...]*[]string{&rule.Devices, &rule.Countries, &rule.Languages} {
				if *list, ok = readStrings(&r); !ok {
					return shortener.Target{}, errBadTarget
				}
			}
			t.Rules[i] = rule
		}
	}
	if flags&flagVariants != 0 {
		n := r.Uvarint()
		if n > maxListLen {
			return shortener.Target{}, errBadTarget
		}
		t.Variants = make([]shortener.Variant, n)
		for i := range t.Variants {
			t.Variants[i] = shortener.Variant{URL: r.Str(), Weight: int(r.Uvarint())}
		}
	}
	if r.Bad() || r.Rest() != "" {
		return shortener.Target{}, errBadTarget
	}
	return t, nil
}

// readStrings reads a list as appendStrings wrote it; false for a count
// no value can hold.
func readStrings(r *wire.Reader) ([]string, bool) {
	n := r.Uvarint()
	if n > maxListLen {
		return nil, false
	}
	if n == 0 {
		return nil, true
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.Str()
	}
	return out, true
}
