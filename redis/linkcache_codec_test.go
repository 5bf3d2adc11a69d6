package redis

import (
	"encoding/hex"
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := encodeTarget(tt.t)
			got, err := decodeTarget(string(b))
			if err != nil || got != tt.t {
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
	if _, err := decodeTarget("\x02\x00\x00\x00"); err == nil {
		t.Fatal("an unknown format version decoded")
	}
}

// TestTargetEncodingGolden pins the bytes of url:{code}: instances of an
// earlier build share the L2 with a new one during a rolling deploy, so the
// layout only changes with a new version byte. The hex was captured from
// the encoder that preceded internal/wire.
func TestTargetEncodingGolden(t *testing.T) {
	tests := []struct {
		name   string
		target shortener.Target
		want   string
	}{
		{name: "active, expires", target: exampleTarget, want: "01" + "03" +
			"b2a188980e" + "959aef3a" + // 2030-05-06T07:08:09Z as varint seconds, then uvarint nanoseconds
			"24" + hex.EncodeToString([]byte(exampleTarget.LinkID)) +
			"23" + hex.EncodeToString([]byte(exampleTarget.URL))},
		{name: "inactive, never expires", target: shortener.Target{Found: true, LinkID: "id", URL: "https://a.example/"},
			want: "01" + "00" + "02" + "6964" + "12" + "68747470733a2f2f612e6578616d706c652f"},
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
			if got, err := decodeTarget(string(data)); err != nil || got != tt.target {
				t.Errorf("decodeTarget(golden) = %+v, %v; want %+v", got, err, tt.target)
			}
		})
	}
}
