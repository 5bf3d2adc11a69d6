package wire

import (
	"encoding/binary"
	"encoding/hex"
	"math"
	"strings"
	"testing"
	"time"
)

func TestRoundTrip(t *testing.T) {
	uints := []uint64{0, 1, 127, 128, 300, 1 << 35, math.MaxUint64}
	ints := []int64{0, -1, 1, -64, 64, -62135596800, math.MinInt64, math.MaxInt64}
	strs := []string{"", "a", "例え.jp", "\x00\xff", strings.Repeat("x", 200), strings.Repeat("y", 1<<15)}

	var buf []byte
	for _, u := range uints {
		buf = binary.AppendUvarint(buf, u)
	}
	for _, i := range ints {
		buf = binary.AppendVarint(buf, i)
	}
	for _, s := range strs {
		buf = AppendString(buf, s)
	}
	buf = append(buf, 0xfe, 'z')

	r := NewReader(string(buf))
	for _, want := range uints {
		if got := r.Uvarint(); got != want {
			t.Errorf("Uvarint() = %d, want %d", got, want)
		}
	}
	for _, want := range ints {
		if got := r.Varint(); got != want {
			t.Errorf("Varint() = %d, want %d", got, want)
		}
	}
	for _, want := range strs {
		if got := r.Str(); got != want {
			t.Errorf("Str() = %.20q (len %d), want %.20q (len %d)", got, len(got), want, len(want))
		}
	}
	if got := r.Byte(); got != 0xfe {
		t.Errorf("Byte() = %#x, want 0xfe", got)
	}
	if r.Bad() {
		t.Fatal("Bad() after well-formed input")
	}
	if got := r.Rest(); got != "z" {
		t.Errorf("Rest() = %q, want %q", got, "z")
	}
}

func TestAppendStringLayout(t *testing.T) {
	tests := []struct {
		name string
		s    string
		want string
	}{
		{name: "empty", s: "", want: "00"},
		{name: "short", s: "ab", want: "026162"},
		{name: "two-byte length", s: strings.Repeat("r", 200), want: "c801" + strings.Repeat("72", 200)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AppendString([]byte{0xaa}, tt.s)
			if want := "aa" + tt.want; hex.EncodeToString(got) != want {
				t.Errorf("AppendString = %x, want %s", got, want)
			}
		})
	}
}

func TestTime(t *testing.T) {
	tests := []struct {
		name string
		t    time.Time
		want string // hex of AppendTime
	}{
		{name: "unix epoch", t: time.Unix(0, 0), want: "00" + "00"},
		{name: "zero time", t: time.Time{}, want: "ffdb8ff9ce03" + "00"},
		{name: "before 1970", t: time.Date(1960, 1, 1, 0, 0, 0, 1, time.UTC), want: "ffddffac02" + "01"},
		{name: "nanoseconds", t: time.Date(2026, 11, 28, 1, 2, 3, 456789012, time.UTC), want: "96a0d1b00d" + "9498e8d901"},
		{name: "far future", t: time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), want: "fe85a2ffdf0e" + "ff93ebdc03"},
		{name: "other location", t: time.Date(1970, 1, 1, 1, 0, 1, 0, time.FixedZone("X", 3600)), want: "02" + "00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := AppendTime(nil, tt.t)
			if got := hex.EncodeToString(data); got != tt.want {
				t.Errorf("AppendTime = %s, want %s", got, tt.want)
			}
			r := NewReader(string(data))
			got := r.Time()
			if r.Bad() || r.Rest() != "" {
				t.Fatalf("Time(): bad %v, rest %q", r.Bad(), r.Rest())
			}
			if !got.Equal(tt.t) || got.Location() != time.UTC {
				t.Errorf("Time() = %v, want %v in UTC", got, tt.t)
			}
		})
	}
}

func TestReaderRejectsMalformed(t *testing.T) {
	tests := []struct {
		name string
		in   string
		read func(*Reader)
	}{
		{name: "uvarint on empty", in: "", read: func(r *Reader) { r.Uvarint() }},
		{name: "truncated uvarint", in: "\x80\x80", read: func(r *Reader) { r.Uvarint() }},
		{name: "uvarint over 64 bits", in: "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", read: func(r *Reader) { r.Uvarint() }},
		{name: "uvarint over 10 bytes", in: strings.Repeat("\x80", 11) + "\x00", read: func(r *Reader) { r.Uvarint() }},
		{name: "truncated varint", in: "\xff", read: func(r *Reader) { r.Varint() }},
		{name: "string longer than input", in: "\x05abcd", read: func(r *Reader) { r.Str() }},
		{name: "huge string length", in: "\xff\xff\xff\xff\x0f", read: func(r *Reader) { r.Str() }},
		{name: "string with truncated length", in: "\x80", read: func(r *Reader) { r.Str() }},
		{name: "byte on empty", in: "", read: func(r *Reader) { r.Byte() }},
		{name: "a second of nanoseconds", in: string(binary.AppendUvarint([]byte{0}, 1e9)), read: func(r *Reader) { r.Time() }},
		{name: "time without nanoseconds", in: "\x02", read: func(r *Reader) { r.Time() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(tt.in)
			tt.read(&r)
			if !r.Bad() {
				t.Fatalf("Bad() = false after malformed %q", tt.in)
			}
		})
	}
}

func TestReaderStaysBad(t *testing.T) {
	// The first read fails on a string length beyond the input; the bytes
	// after it would parse, but a decoder must not be handed them.
	r := NewReader("\x09ab\x01\x02")
	if s := r.Str(); s != "" {
		t.Errorf("Str() = %q on malformed input", s)
	}
	if u := r.Uvarint(); u != 0 {
		t.Errorf("Uvarint() after bad = %d, want 0", u)
	}
	if b := r.Byte(); b != 0 {
		t.Errorf("Byte() after bad = %d, want 0", b)
	}
	if !r.Bad() {
		t.Error("Bad() = false")
	}
}

func TestReaderDoesNotAllocate(t *testing.T) {
	// The spool decodes every click on replay; one allocation for the input
	// string is what it pays, the reads themselves must be free.
	in := string(AppendString(binary.AppendVarint(binary.AppendUvarint(nil, 1<<40), -5), strings.Repeat("u", 100)))
	allocs := testing.AllocsPerRun(100, func() {
		r := NewReader(in)
		r.Uvarint()
		r.Varint()
		r.Str()
		if r.Bad() || r.Rest() != "" {
			t.Fatal("decode failed")
		}
	})
	if allocs != 0 {
		t.Errorf("reading allocates %.0f times, want 0", allocs)
	}
}
