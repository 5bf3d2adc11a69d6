package shortener

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxURLLength is the longest original_url accepted, in characters.
const MaxURLLength = 2048

// Messages shared by several URL rules.
const (
	msgURLNotAbsolute = "URL must be absolute and start with http:// or https://"
	msgURLBadHost     = "URL host is not a valid host name or IP address"
	msgURLPrivate     = "URL host resolves to a private or reserved address"
	msgURLLocalName   = "URL host must not be localhost or a local name (.localhost, .local, .internal)"
	msgURLOwnHost     = "URL must not point to this service"
	msgURLSingleLabel = "URL host must be a fully qualified domain name"
)

// localSuffixes are names that never leave the machine or the local
// network: a short link to them would send visitors into their own LAN.
// "localdomain" and "home.arpa" are added to the API's list because
// /etc/hosts and home routers commonly answer for them.
var localSuffixes = []string{"localhost", "local", "internal", "localdomain", "home.arpa"}

// CheckURL reports whether raw may be stored as a link target. A short
// link is a redirect that anyone's browser follows, so the rules refuse
// targets inside the visitor's (or this service's) network, in every
// spelling a browser would accept: see API.md, "Links". ownHosts are the
// host names of the service's own BASE_URL, lowercase and without port.
// Returns EINVALID at body.original_url.
func CheckURL(raw string, ownHosts []string) error {
	return CheckURLAt("body.original_url", raw, ownHosts)
}

// CheckURLAt is CheckURL for a URL at another location of the request
// (a targeting rule's or a variant's url). Returns EINVALID at location.
func CheckURLAt(location, raw string, ownHosts []string) error {
	if msg := urlProblem(raw, ownHosts); msg != "" {
		return Invalid(location, msg, raw)
	}
	return nil
}

// urlProblem returns why raw is refused, or "".
func urlProblem(raw string, ownHosts []string) string {
	if raw == "" {
		return "URL is required"
	}
	if !utf8.ValidString(raw) {
		return "URL must be valid UTF-8"
	}
	if utf8.RuneCountInString(raw) > MaxURLLength {
		return fmt.Sprintf("URL is longer than %d characters", MaxURLLength)
	}
	for _, r := range raw {
		// Browsers silently drop tabs and newlines and read a backslash as a
		// slash, so such URLs do not mean to them what they mean to us.
		if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return "URL must not contain spaces or control characters"
		}
		if r == '\\' {
			return "URL must not contain backslashes"
		}
	}
	scheme, rest, ok := strings.Cut(raw, ":")
	if !ok {
		return msgURLNotAbsolute
	}
	if s := strings.ToLower(scheme); s != "http" && s != "https" {
		return "URL must use http or https"
	}
	// "http:host" and "http:/host" have a host for a browser but not for
	// net/url; demanding the two slashes keeps both readings the same.
	if !strings.HasPrefix(rest, "//") {
		return msgURLNotAbsolute
	}
	authority := rest[2:]
	if i := strings.IndexAny(authority, "/?#"); i >= 0 {
		authority = authority[:i]
	}
	if strings.Contains(authority, "@") {
		return "URL must not contain credentials"
	}
	// A browser decodes "%31%32%37.0.0.1" to 127.0.0.1; net/url refuses
	// most such hosts. Refusing them all keeps the two readings the same.
	if !strings.HasPrefix(authority, "[") && strings.Contains(authority, "%") {
		return "URL host must not be percent-encoded"
	}
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			return "URL is malformed: " + ue.Err.Error()
		}
		return "URL is malformed"
	}
	if u.User != nil {
		return "URL must not contain credentials"
	}
	if u.Host == "" || u.Hostname() == "" {
		return "URL must have a host"
	}
	if p := u.Port(); p != "" {
		// Port 0 is no port a client can connect to.
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "URL port must be a number from 1 to 65535"
		}
	}
	return hostProblem(u, ownHosts)
}

// hostProblem judges the host of u the way a browser would resolve it.
func hostProblem(u *url.URL, ownHosts []string) string {
	if strings.HasPrefix(u.Host, "[") {
		addr, err := netip.ParseAddr(u.Hostname())
		if err != nil || !addr.Is6() {
			return msgURLBadHost
		}
		if addr.Zone() != "" {
			return "URL host must not have an IPv6 zone"
		}
		return addrProblem(addr, ownHosts)
	}
	name, ok := foldHost(u.Hostname())
	if !ok {
		return msgURLBadHost
	}
	// DNS limits labels to 63 and names to 253 octets. They are checked
	// on ASCII only: a Unicode label's length is that of its punycode form.
	labels := strings.Split(name, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 && IsASCII(l) {
			return msgURLBadHost
		}
	}
	if len(name) > 253 && IsASCII(name) {
		return msgURLBadHost
	}
	// A browser reads a host whose last label is a number as an IPv4
	// address, or refuses it; no top-level domain is numeric.
	if isNumericLabel(labels[len(labels)-1]) {
		addr, ok := parseLooseIPv4(name)
		if !ok {
			return msgURLBadHost
		}
		return addrProblem(addr, ownHosts)
	}
	for _, s := range localSuffixes {
		if name == s || strings.HasSuffix(name, "."+s) {
			return msgURLLocalName
		}
	}
	// A single-label name is completed with the visitor's DNS search list
	// (on cloud hosts "metadata" reaches the metadata service).
	if len(labels) < 2 {
		return msgURLSingleLabel
	}
	// Compared in ASCII: domains are stored so, and a browser turns
	// "bücher.example" into xn--bcher-kva.example.
	key := DomainKey(name)
	for _, own := range ownHosts {
		if key == DomainKey(normalizeOwnHost(own)) {
			return msgURLOwnHost
		}
	}
	return ""
}

// addrProblem judges an IP literal host.
func addrProblem(addr netip.Addr, ownHosts []string) string {
	if !isGlobalAddr(addr) {
		return msgURLPrivate
	}
	for _, own := range ownHosts {
		if a, ok := hostAddr(normalizeOwnHost(own)); ok && a.Unmap() == addr.Unmap() {
			return msgURLOwnHost
		}
	}
	return ""
}

// normalizeOwnHost brings a configured host name to the form foldHost
// gives, so that a BASE_URL host with a trailing dot or brackets matches.
func normalizeOwnHost(h string) string {
	h = strings.ToLower(strings.TrimSuffix(h, "."))
	return strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
}

// foldHost maps a host name the way a browser's IDNA step does for the
// characters that matter here, and checks its syntax. Full-width forms
// and ideographic full stops become ASCII, ASCII is lowercased and the
// trailing dot dropped. Non-ASCII is allowed only as letters, marks and
// digits that do not fold to ASCII (see isASCIICompat).
func foldHost(h string) (string, bool) {
	var b strings.Builder
	b.Grow(len(h))
	for _, r := range h {
		switch {
		case r == '\u3002' || r == '\uff0e' || r == '\uff61':
			r = '.'
		case r >= '\uff01' && r <= '\uff5e':
			r -= 0xfee0
		}
		switch {
		case r < utf8.RuneSelf:
			if !isHostASCII(byte(r)) {
				return "", false
			}
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
		case isASCIICompat(r):
			return "", false
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc):
			// IDNA lowercases "İ" to "i̇", not to the ASCII "i" Go gives.
			if l := unicode.ToLower(r); l >= utf8.RuneSelf {
				r = l
			}
		default:
			return "", false
		}
		b.WriteRune(r)
	}
	return strings.TrimSuffix(b.String(), "."), true
}

// IsASCII reports whether s is all ASCII.
func IsASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isHostASCII(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.'
}

// isASCIICompat reports whether r is one of the compatibility characters
// that IDNA (UTS #46) maps to ASCII or deletes: "ｌｏｃａｌｈｏｓｔ",
// "ⓛocalhost", "𝐥ocalhost" and "lo\u034fcalhost" all reach localhost in a
// browser. Whole blocks are refused where no real domain needs them.
// Checked against every code point with golang.org/x/net/idna (lookup
// profile, Unicode 15): no other letter, mark or digit maps to ASCII.
func isASCIICompat(r rune) bool {
	switch {
	case r == 0xaa || r == 0xb2 || r == 0xb3 || r == 0xb9 || r == 0xba, // ª ² ³ ¹ º
		r == 0x132 || r == 0x133,     // Ĳ ĳ
		r == 0x17f,                   // ſ
		r >= 0x1c4 && r <= 0x1cc,     // Ǆ ǅ ǆ Ǉ ǈ ǉ Ǌ ǋ ǌ
		r >= 0x1f1 && r <= 0x1f3,     // Ǳ ǲ ǳ
		r == 0x1e9e,                  // ẞ
		r == 0x34f,                   // combining grapheme joiner (ignored)
		r >= 0x2b0 && r <= 0x2ff,     // spacing modifier letters
		r >= 0x1d2c && r <= 0x1dbf,   // phonetic modifier letters
		r >= 0x180b && r <= 0x180f,   // Mongolian variation selectors (ignored)
		r >= 0x2000 && r <= 0x2bff,   // punctuation, letterlike, enclosed, ...
		r >= 0x2c7c && r <= 0x2c7d,   // ⱼ ⱽ
		r >= 0xa69c && r <= 0xa69d,   // Cyrillic modifier letters
		r == 0xa770,                  // ꝰ
		r >= 0xa7f0 && r <= 0xa7ff,   // Latin modifier letters
		r >= 0xab5c && r <= 0xab6f,   // Latin modifier letters
		r >= 0xfb00 && r <= 0xfb06,   // ligatures ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ
		r >= 0xfe00 && r <= 0xfe6f,   // variation selectors, small forms
		r >= 0xff00 && r <= 0xff65,   // full-width forms not mapped above
		r >= 0x10780 && r <= 0x107bf, // modifier letters
		r >= 0x1d400 && r <= 0x1d7ff, // mathematical alphanumerics
		r >= 0x1e030 && r <= 0x1e08f, // Cyrillic modifier letters
		r >= 0x1f100 && r <= 0x1f1ff, // enclosed alphanumerics
		r >= 0x1fbf0 && r <= 0x1fbf9, // segmented digits
		r >= 0xe0000 && r <= 0xe0fff: // tags and variation selectors (ignored)
		return true
	}
	return false
}
