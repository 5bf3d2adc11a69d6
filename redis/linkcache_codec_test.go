package redis

import (
	"encoding/hex"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

func TestTargetEncoding(t *testing.T) {
	tests := []struct {
		name string
		t    shortener.Target
	}{
		{"full", exampleTarget},
		{"never expires, inactive", shortener.Target{Found: true, LinkID: "id", URL: "https://a.example/"}},
		{"before 1970", shortener.Target{Found: true, LinkID: "x", URL: "https://b.example/ü", Active: true,
			ExpiresAt: time.Date(1969, 12, 31, 23, 59, 59, 1, time.UTC)}},
		{"empty strings", shortener.Target{Found: true}},
		{"every option", optionsTarget},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := encodeTarget(tt.t)
			got, err := decodeTarget(string(b))
			if err != nil || !reflect.DeepEqual(got, tt.t) {
				t.Fatalf("decode(encode(%+v)) = %+v, %v", tt.t, got, err)
			}
			// Every strict prefix and any trailing byte is refused.
			for i := range b {
				if _, err := decodeTarget(string(b[:i])); err == nil {
					t.Fatalf("a %d-byte prefix of %d bytes decoded", i, len(b))
				}
			}
			if _, err := decodeTarget(string(append(b, 0))); err == nil {
				t.Fatal("a value with a trailing byte decoded")
			}
		})
	}
	if _, err := decodeTarget("\x03\x00\x00\x00"); !errors.Is(err, errOtherFormat) {
		t.Fatalf("an unknown format version: %v, want errOtherFormat", err)
	}
}

var optionsTarget = shortener.Target{Found: true, LinkID: "0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee", URL: "https://example.com/x",
	Active: true, RedirectType: 308, ForwardQuery: true, MaxClicks: 100, PasswordHash: "$2a$04$abc",
	ExpiresAt:  time.Date(2030, 5, 6, 7, 8, 9, 0, time.UTC),
	ValidSince: time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC),
	Rules: []shortener.TargetRule{
		{URL: "https://example.com/ios", Devices: []string{"ios", "tablet"}, Countries: []string{"DE"}},
		{URL: "https://example.com/pt", Languages: []string{"pt"}},
	},
	Variants: []shortener.Variant{{URL: "https://a.example", Weight: 60}, {URL: "https://b.example", Weight: 40}},
}

// TestTargetEncodingGolden pins the bytes of url:{code}: instances of
// another build share the L2 during a rolling deploy, so the layout only
// changes with a new version byte. A value of version 1 (before the link
// options) reads as a miss: it cannot tell whether the link has options.
func TestTargetEncodingGolden(t *testing.T) {
	tests := []struct {
		name   string
		target shortener.Target
		want   string
	}{
		{name: "active, expires", target: exampleTarget, want: "02" + "03" +
			"b2a188980e" + "959aef3a" + // 2030-05-06T07:08:09Z as varint seconds, then uvarint nanoseconds
			"00" + // redirect type 0: the default
			"24" + hex.EncodeToString([]byte(exampleTarget.LinkID)) +
			"23" + hex.EncodeToString([]byte(exampleTarget.URL)) +
			"00"}, // no rules
		{name: "inactive, never expires", target: shortener.Target{Found: true, LinkID: "id", URL: "https://a.example/"},
			want: "02" + "00" + "00" + "02" + "6964" + "12" + "68747470733a2f2f612e6578616d706c652f" + "00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hex.EncodeToString(encodeTarget(tt.target)); got != tt.want {
				t.Errorf("encodeTarget =\n%s\nwant\n%s", got, tt.want)
			}
			data, err := hex.DecodeString(tt.want)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := decodeTarget(string(data)); err != nil || !reflect.DeepEqual(got, tt.target) {
				t.Errorf("decodeTarget(golden) = %+v, %v; want %+v", got, err, tt.target)
			}
		})
	}
	v1 := "01" + "00" + "02" + "6964" + "12" + "68747470733a2f2f612e6578616d706c652f"
	data, _ := hex.DecodeString(v1)
	if _, err := decodeTarget(string(data)); !errors.Is(err, errOtherFormat) {
		t.Errorf("a version 1 value: %v, want errOtherFormat (a miss)", err)
	}
}
