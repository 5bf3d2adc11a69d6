package shortener

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheckDisplayText(t *testing.T) {
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"plain", "Ada Lovelace", true},
		{"accents and CJK", "Zoë 李", true},
		{"emoji", "launch 🚀", true},
		{"bidi override", "invoice\u202Egnp.exe", false},
		{"bidi isolate", "a\u2066b", false},
		{"zero-width space", "pay\u200bpal", false},
		{"zero-width joiner", "a\u200db", false},
		{"byte order mark", "\ufeffname", false},
		{"control", "line\nbreak", false},
		{"line separator", "line\u2028break", false},
		{"paragraph separator", "line\u2029break", false},
		{"C1 control", "a\u0085b", false},
		{"NUL", "a\x00b", false},
		{"invalid UTF-8", "a\xffb", false},
		{"too long", strings.Repeat("é", 256), false},
		{"longest", strings.Repeat("é", 255), true},
	}
	for _, tt := range tests {
		err := CheckDisplayText("body.title", "title", tt.in, 255)
		if (err == nil) != tt.ok {
			t.Errorf("%s: CheckDisplayText(%q) = %v, want ok=%v", tt.name, tt.in, err, tt.ok)
		}
		if err != nil && ErrorCode(err) != EINVALID {
			t.Errorf("%s: code %s, want EINVALID", tt.name, ErrorCode(err))
		}
	}
}

func TestCheckText(t *testing.T) {
	for _, bad := range []string{"a\x00", "\xc3", "\xff\xfe"} {
		if err := CheckText("body.email", "email", bad); ErrorCode(err) != EINVALID {
			t.Errorf("CheckText(%q) = %v, want EINVALID", bad, err)
		}
	}
	if err := CheckText("body.email", "email", "ä@example.com"); err != nil {
		t.Errorf("valid text refused: %v", err)
	}
}

func TestClipText(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"aé", 2, "a"}, // é is two bytes: cut before it, not inside
		{"aéb", 3, "aé"},
		{"a\x00b", 10, "ab"},
		{"a\xffb", 10, "a\uFFFDb"},
		{"日本語", 7, "日本"},
	}
	for _, tt := range tests {
		got := ClipText(tt.in, tt.max)
		if got != tt.want || !utf8.ValidString(got) || len(got) > tt.max {
			t.Errorf("ClipText(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
	// A real browser's agent cut at 512 bytes in the middle of a character.
	ua := strings.Repeat("x", 511) + "日本"
	if got := ClipText(ua, 512); len(got) != 511 || !utf8.ValidString(got) {
		t.Errorf("ClipText cut inside a character: %d bytes, valid %v", len(got), utf8.ValidString(got))
	}
}
