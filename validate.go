package shortener

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"
)

// Limits of the validated request values (API.md).
const (
	MinAliasLength    = 3
	MaxAliasLength    = 50
	MinPasswordLength = 8
	MaxPasswordLength = 128
	MaxTitleLength    = 255
	MaxFullNameLength = 255
	MaxEmailLength    = 254
	maxEmailLocalPart = 64
)

// reservedCodes are the paths a short code must not shadow: the
// service's own routes, files browsers and crawlers ask for, and names
// kept for routes to come. Lowercase; compared case-insensitively.
var reservedCodes = []string{
	"admin", "analytics", "api", "app", "assets", "auth", "debug", "docs",
	"favicon.ico", "health", "healthz", "livez", "login", "logout",
	"metrics", "openapi", "openapi.json", "openapi.yaml",
	"openapi-3.0.json", "openapi-3.0.yaml", "qr", "readyz", "redoc",
	"register", "robots.txt", "schemas", "static", "swagger", "urls",
}

// ReservedCodes returns the words that cannot be short codes, lowercase.
func ReservedCodes() []string { return slices.Clone(reservedCodes) }

// IsReservedCode reports whether code is a reserved word, in any ASCII
// case. Every redirect asks, so words of another length are skipped
// before EqualFold; a code spelt with Unicode letters that fold to ASCII
// ones (U+017F for s) is not a reserved word, and is no valid code either.
func IsReservedCode(code string) bool {
	return slices.ContainsFunc(reservedCodes, func(w string) bool {
		return len(w) == len(code) && strings.EqualFold(w, code)
	})
}

// CheckAlias reports whether alias may be a custom short code: 3-50
// characters of [A-Za-z0-9_-], not a reserved word. The empty string is
// invalid (it is not "no alias"). Returns EINVALID at body.custom_alias,
// with one field error per broken rule.
func CheckAlias(alias string) error {
	var msgs []string
	if n := utf8.RuneCountInString(alias); n < MinAliasLength || n > MaxAliasLength {
		msgs = append(msgs, fmt.Sprintf("alias must be %d to %d characters long", MinAliasLength, MaxAliasLength))
	}
	if strings.IndexFunc(alias, func(r rune) bool { return !isAliasRune(r) }) >= 0 {
		msgs = append(msgs, "alias may contain only letters A-Z and a-z, digits, '_' and '-'")
	}
	if len(msgs) == 0 && IsReservedCode(alias) {
		msgs = append(msgs, "alias is a reserved word") // the value is in the error; a message never echoes it
	}
	return invalidField("body.custom_alias", alias, msgs)
}

// IsCodeText reports whether code is written as a short code can be: 1 to
// MaxAliasLength characters of [A-Za-z0-9_-], generated codes and aliases
// alike. Every route that takes a code asks it before any lookup, the
// redirect first of all, so it reads bytes: one of a multi-byte character
// is no alias character either.
func IsCodeText(code string) bool {
	if len(code) == 0 || len(code) > MaxAliasLength {
		return false
	}
	for i := 0; i < len(code); i++ {
		if !isAliasRune(rune(code[i])) {
			return false
		}
	}
	return true
}

func isAliasRune(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_' || r == '-'
}

// CheckPassword reports whether pw is strong enough: 8-128 characters,
// counted in NFC as passwords are compared (an "é" typed as e and U+0301 is
// one character), an upper-case letter and a digit. Every broken rule is
// its own field error at body.password; the password itself is never
// echoed back.
func CheckPassword(pw string) error {
	var msgs []string
	if n := utf8.RuneCountInString(norm.NFC.String(pw)); n < MinPasswordLength || n > MaxPasswordLength {
		msgs = append(msgs, fmt.Sprintf("password must be %d to %d characters long", MinPasswordLength, MaxPasswordLength))
	}
	if !strings.ContainsFunc(pw, unicode.IsUpper) {
		msgs = append(msgs, "password must contain an upper-case letter")
	}
	if !strings.ContainsFunc(pw, unicode.IsDigit) {
		msgs = append(msgs, "password must contain a digit")
	}
	if strings.ContainsRune(pw, 0) {
		msgs = append(msgs, "password must not contain NUL")
	}
	return invalidField("body.password", nil, msgs)
}

// NormalizeEmail trims raw and checks that it is a plain address
// (local@domain, no display name, no comments). It returns the trimmed
// address in Unicode NFC with its case kept; identity is EmailKey's.
// Returns EINVALID at body.email.
func NormalizeEmail(raw string) (string, error) {
	email := norm.NFC.String(strings.TrimSpace(raw))
	if msg := emailProblem(email); msg != "" {
		return "", Invalid("body.email", msg, raw)
	}
	return email, nil
}

func emailProblem(email string) string {
	if email == "" {
		return "email is required"
	}
	if len(email) > MaxEmailLength {
		return fmt.Sprintf("email is longer than %d characters", MaxEmailLength)
	}
	if !utf8.ValidString(email) || strings.ContainsFunc(email, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
	}) {
		return "email must not contain spaces or control characters"
	}
	local, domain, ok := strings.Cut(email, "@")
	if !ok || strings.Contains(domain, "@") {
		return "email must contain exactly one @"
	}
	if local == "" || len(local) > maxEmailLocalPart {
		return fmt.Sprintf("the part of the email before @ must be 1 to %d characters", maxEmailLocalPart)
	}
	if !strings.Contains(domain, ".") {
		return "the email domain must contain a dot"
	}
	if !isHostName(domain) {
		return "the email domain must be a host name (letters, digits and inner hyphens, between dots)"
	}
	// net/mail also accepts "Name <addr>" and quoted forms; demanding that it
	// returns the input unchanged keeps only the bare address.
	if a, err := mail.ParseAddress(email); err != nil || a.Name != "" || a.Address != email {
		return "email is not a valid address"
	}
	return ""
}

// isHostName reports whether domain is a DNS host name: labels of 1-63
// letters, digits and inner hyphens, in its IDNA ASCII form (an
// internationalised domain is one). IP literals ("[127.0.0.1]"),
// underscores and labels that begin or end with a hyphen are not.
func isHostName(domain string) bool {
	ascii, err := idna.Lookup.ToASCII(domain)
	if err != nil {
		return false
	}
	for _, label := range strings.Split(ascii, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// CheckTitle reports whether title may be a link title: a display text of
// at most 255 characters (see CheckDisplayText). Returns EINVALID at
// body.title.
func CheckTitle(title string) error {
	return CheckDisplayText("body.title", "title", title, MaxTitleLength)
}

// CheckFullName reports whether name may be a user's full name: a display
// text of at most 255 characters (see CheckDisplayText). Returns EINVALID
// at body.full_name.
func CheckFullName(name string) error {
	return CheckDisplayText("body.full_name", "full_name", name, MaxFullNameLength)
}

// invalidField returns one EINVALID error carrying a field error per
// message at location, or nil when msgs is empty. A nil value is left
// out of the response (used for secrets).
func invalidField(location string, value any, msgs []string) error {
	if len(msgs) == 0 {
		return nil
	}
	e := &Error{Code: EINVALID, Message: "Request validation failed: " + strings.Join(msgs, "; ")}
	for _, m := range msgs {
		e.Fields = append(e.Fields, FieldError{Location: location, Message: m, Value: value})
	}
	return e
}
