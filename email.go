package shortener

import (
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// emailFolder folds case the Unicode way (ß and SS, Σ and σ alike), not
// only A-Z: SQLite's lower() knows ASCII alone, so identity is decided here,
// once, for both engines.
var emailFolder = cases.Fold()

// EmailKey returns the identity of an email address: two addresses with the
// same key are one account. The address is trimmed and put in Unicode NFC;
// the part before the last @ is case-folded; the domain is converted to its
// ASCII (IDNA) form, so "Ä@BÜCHER.de", "ä@bücher.de" and
// "ä@xn--bcher-kva.de" are one key. A domain IDNA refuses is case-folded
// instead. Stores keep the key beside the address as given.
func EmailKey(email string) string {
	email = norm.NFC.String(strings.TrimSpace(email))
	i := strings.LastIndexByte(email, '@')
	if i < 0 {
		return norm.NFC.String(emailFolder.String(email))
	}
	local, domain := email[:i], strings.TrimSuffix(email[i+1:], ".")
	local = norm.NFC.String(emailFolder.String(local))
	if ascii, err := idna.Lookup.ToASCII(domain); err == nil {
		domain = strings.ToLower(ascii)
	} else {
		domain = norm.NFC.String(emailFolder.String(domain))
	}
	return local + "@" + domain
}
