package shortener

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Rules for text that is stored and shown again. PostgreSQL refuses NUL
// and invalid UTF-8 outright (a 500 if they reach it), SQLite keeps them;
// checking here gives both engines one answer.

// CheckText reports whether s can be stored: valid UTF-8 without NUL.
// Returns EINVALID at location, naming field.
func CheckText(location, field, s string) error {
	switch {
	case !utf8.ValidString(s):
		return Invalid(location, field+" must be valid UTF-8", s)
	case strings.IndexByte(s, 0) >= 0:
		return Invalid(location, field+" must not contain control characters such as NUL", s)
	}
	return nil
}

// CheckDisplayText reports whether s may be shown to other people as a
// name or title: storable text (CheckText) of at most max characters
// without control characters or invisible format characters (bidi
// overrides such as U+202E that reverse what follows, zero-width
// characters, the byte order mark), which would let a title look like
// something it is not. Returns EINVALID at location, naming field.
func CheckDisplayText(location, field, s string, max int) error {
	if err := CheckText(location, field, s); err != nil {
		return err
	}
	switch {
	case utf8.RuneCountInString(s) > max:
		return Invalid(location, fmt.Sprintf("%s is longer than %d characters", field, max), s)
	case strings.ContainsFunc(s, isControlRune):
		return Invalid(location, field+" must not contain control characters or line breaks", s)
	case strings.ContainsFunc(s, isFormatRune):
		return Invalid(location, field+" must not contain invisible formatting characters (bidi overrides, zero-width characters)", s)
	}
	return nil
}

// isFormatRune reports whether r is an invisible format character
// (Unicode category Cf: bidi controls, zero-width space, joiners, BOM,
// soft hyphen, tags).
func isFormatRune(r rune) bool { return unicode.Is(unicode.Cf, r) }

// isControlRune reports whether r is a control character (C0, C1) or one
// of the line and paragraph separators (U+2028, U+2029), which break a
// line as a control character does.
func isControlRune(r rune) bool { return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' }

// IsHiddenRune reports whether r is a control, line-breaking or invisible
// format character: what display text may not hold.
func IsHiddenRune(r rune) bool { return isControlRune(r) || isFormatRune(r) }

// IsDisplaySafe reports whether s is valid UTF-8 without control or
// format characters, as labels kept for analytics (referrer hosts) must be.
func IsDisplaySafe(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, IsHiddenRune)
}

// ClipText makes s storable within maxBytes: invalid UTF-8 becomes U+FFFD,
// NUL is dropped, and a string that is still too long is cut at the last
// character boundary that fits, never inside a character. It is for text
// kept from request headers (a user agent), which a client may send in any
// shape and which must never fail a request.
func ClipText(s string, maxBytes int) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	if len(s) <= maxBytes {
		return s
	}
	cut := maxBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}
