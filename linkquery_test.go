package shortener_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/shortener-dev/shortener"
)

func TestNormalizeTags(t *testing.T) {
	got, err := shortener.NormalizeTags("body.tags", []string{"Work", "q3", "work", "a_b-c"})
	if err != nil || !slices.Equal(got, []string{"a_b-c", "q3", "work"}) {
		t.Fatalf("NormalizeTags = %q, %v", got, err)
	}
	// Letters that Go lower-cases into a tag's alphabet are still not in
	// it: the Kelvin sign (to "k") and the dotted capital I (to "i").
	for _, bad := range []string{"", "bad tag", "é", "\u212a", "\u0130", "x\u212a", string(make([]byte, 51))} {
		_, err := shortener.NormalizeTags("body.tags", []string{"ok", bad})
		if shortener.ErrorCode(err) != shortener.EINVALID || !hasFieldAt(err, "body.tags[1]") {
			t.Errorf("NormalizeTags(%q) = %v, want EINVALID at body.tags[1]", bad, err)
		}
	}
}

func hasFieldAt(err error, location string) bool {
	var e *shortener.Error
	if !errors.As(err, &e) {
		return false
	}
	for _, f := range e.Fields {
		if f.Location == location {
			return true
		}
	}
	return false
}
