package redis

import (
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
			got, err := decodeTarget(b)
			if err != nil || got != tt.t {
				t.Fatalf("decode(encode(%+v)) = %+v, %v", tt.t, got, err)
			}
			// Every strict prefix and any trailing byte is refused.
			for i := range b {
				if _, err := decodeTarget(b[:i]); err == nil {
					t.Fatalf("a %d-byte prefix of %d bytes decoded", i, len(b))
				}
			}
			if _, err := decodeTarget(append(b, 0)); err == nil {
				t.Fatal("a value with a trailing byte decoded")
			}
		})
	}
	if _, err := decodeTarget([]byte{2, 0, 0, 0}); err == nil {
		t.Fatal("an unknown format version decoded")
	}
}
