package shortener

import (
	"strings"

	"golang.org/x/net/idna"
)

// LocationURI returns the URL u as a Location header carries it: in ASCII,
// as RFC 9110's URI reference is. A host in Unicode is written in IDNA
// (xn--), and every other byte outside printable ASCII is percent-encoded,
// as a browser encodes what it is given (and as net/http's Redirect and
// Express do). An ASCII URL, the common case, comes back as it is, without
// an allocation; escapes already in u are kept.
func LocationURI(u string) string {
	for i := 0; i < len(u); i++ {
		if c := u[i]; c <= ' ' || c >= 0x7f {
			return asciiURI(u)
		}
	}
	return u
}

func asciiURI(u string) string {
	var b strings.Builder
	b.Grow(len(u) + 16)
	rest := u
	if scheme, after, ok := strings.Cut(u, "://"); ok {
		end := strings.IndexAny(after, "/?#")
		if end < 0 {
			end = len(after)
		}
		host, port := after[:end], ""
		if j := strings.LastIndexByte(host, ':'); j >= 0 && !strings.Contains(host[j:], "]") {
			host, port = host[:j], host[j:]
		}
		if ascii, err := idna.Lookup.ToASCII(host); err == nil {
			b.WriteString(scheme)
			b.WriteString("://")
			b.WriteString(ascii)
			b.WriteString(port)
			rest = after[end:]
		}
	}
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; c <= ' ' || c >= 0x7f {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}
