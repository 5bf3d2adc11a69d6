package shortener

import (
	"net/netip"
	"strings"

	"golang.org/x/net/idna"
)

// Messages of CheckDomainHost.
const (
	msgHostEmpty  = "host is required"
	msgHostForm   = "host must be a host name only: no scheme, port, path or user"
	msgHostName   = "host must be a valid DNS name with at least two labels"
	msgHostIP     = "host must be a name, not an IP address"
	msgHostLength = "host must be at most 253 characters"
)

// NormalizeDomainHost returns a domain's host as it is stored and matched:
// lower-case, without a trailing dot, Unicode names in their ASCII (punycode)
// form. Returns EINVALID at body.host when raw is not a bare host name.
func NormalizeDomainHost(raw string) (string, error) {
	fail := func(msg string) (string, error) { return "", Invalid("body.host", msg, raw) }
	// Not lower-cased before IDNA: it maps "İ" to "i̇" (xn--i-9bb), where
	// Go's lower case is the ASCII "i", another name.
	h := strings.TrimSuffix(strings.TrimSpace(raw), ".")
	if h == "" {
		return fail(msgHostEmpty)
	}
	if strings.ContainsAny(h, ":/?#@[] \\") {
		return fail(msgHostForm)
	}
	if _, err := netip.ParseAddr(h); err == nil {
		return fail(msgHostIP)
	}
	ascii, err := idna.Lookup.ToASCII(h)
	if err != nil {
		return fail(msgHostName)
	}
	ascii = strings.ToLower(ascii)
	if len(ascii) > 253 {
		return fail(msgHostLength)
	}
	labels := strings.Split(ascii, ".")
	if len(labels) < 2 {
		return fail(msgHostName)
	}
	for _, l := range labels {
		if !isHostLabel(l) {
			return fail(msgHostName)
		}
	}
	if tld := labels[len(labels)-1]; strings.Trim(tld, "0123456789") == "" {
		return fail(msgHostIP) // 127.1 and friends
	}
	return ascii, nil
}

// DomainKey returns a host name as domains are stored and matched (see
// NormalizeDomainHost), without checking it: lower-case, without a
// trailing dot, a Unicode name in its ASCII (punycode) form, so that
// "Bücher.example." finds the domain xn--bcher-kva.example.
func DomainKey(host string) string {
	h := strings.TrimSuffix(strings.TrimSpace(host), ".")
	if !IsASCII(h) {
		if ascii, err := idna.Lookup.ToASCII(h); err == nil {
			h = ascii
		}
	}
	return strings.ToLower(h)
}

func isHostLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// RequestHost returns the host of a Host header as domains are matched:
// without port, lower-case, without a trailing dot. It allocates only when
// the header needs changing.
func RequestHost(hostHeader string) string {
	h := hostHeader
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.HasSuffix(h, "]") {
		h = h[:i]
	}
	h = strings.TrimSuffix(h, ".")
	for i := 0; i < len(h); i++ {
		if c := h[i]; 'A' <= c && c <= 'Z' {
			return strings.ToLower(h)
		}
	}
	return h
}
