package analytics

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/maypok86/otter/v2"

	"github.com/shortener-dev/shortener"
)

// maxHostLen is the longest DNS name; a longer "host" in a Referer header is
// junk and must not become a label in the rollups.
const maxHostLen = 253

// knownAgents bounds the memo of classified user agents; longer agents
// than maxKnownAgentLen are classified every time (they are rare, and a
// flood of long unique ones must not fill memory).
const (
	knownAgents      = 10000
	maxKnownAgentLen = 512
)

// Enricher turns raw clicks into ClickEvents. It is safe for concurrent use.
type Enricher struct {
	agents *agentClassifier
	// known remembers classified user agents: traffic repeats a small set
	// of them, and parsing one is the largest cost of a click's enrichment.
	known     *otter.Cache[string, agent]
	countries shortener.CountryLookup
	// macs holds HMAC states keyed with the secret: making one costs two
	// SHA-256 blocks and allocations, which dominate a click's enrichment.
	macs sync.Pool
}

// visitorMAC is a pooled HMAC with a scratch buffer for its input.
type visitorMAC struct {
	mac hash.Hash
	buf []byte
}

// NewEnricher returns an Enricher that keys visitor hashes with secret and
// finds countries with countries. A nil countries leaves every country
// unknown (no GEOIP_DB configured).
func NewEnricher(secret []byte, countries shortener.CountryLookup) *Enricher {
	key := append([]byte(nil), secret...) // the caller may reuse its slice
	e := &Enricher{agents: newAgentClassifier(), countries: countries,
		known: otter.Must(&otter.Options[string, agent]{MaximumSize: knownAgents})}
	e.macs.New = func() any {
		return &visitorMAC{mac: hmac.New(sha256.New, key), buf: make([]byte, 0, 256)}
	}
	return e
}

var _ shortener.Enrichment = (*Enricher)(nil)

// Classify tells what a user agent says about its client. The redirect
// asks it too (targeting, caps): both share the memo, so a user agent is
// parsed once, however many requests and clicks carry it.
func (e *Enricher) Classify(userAgent string) shortener.Agent {
	a, ok := e.known.GetIfPresent(userAgent)
	if !ok {
		a = e.agents.classify(userAgent)
		if len(userAgent) <= maxKnownAgentLen {
			e.known.Set(userAgent, a)
		}
	}
	return a
}

// Enrich classifies the click. The event keeps no raw IP or user agent.
func (e *Enricher) Enrich(c shortener.Click) shortener.ClickEvent {
	a := e.Classify(c.UserAgent)
	ip := c.IP.Unmap().WithZone("")
	return shortener.ClickEvent{
		ID:          c.ID.String(),
		LinkID:      c.LinkID,
		OccurredAt:  c.At.UTC(),
		Referrer:    referrerHost(c.Referrer),
		Browser:     a.Browser,
		OS:          a.OS,
		Device:      a.Device,
		Country:     e.Country(ip),
		IsBot:       a.IsBot,
		VisitorHash: e.visitorHash(ip, c.UserAgent, c.At),
		Target:      c.Target,
	}
}

// Country looks ip up, normalising whatever the lookup returns to an upper
// case alpha-2 code or LabelUnknown.
func (e *Enricher) Country(ip netip.Addr) string {
	if e.countries == nil || !ip.IsValid() {
		return shortener.LabelUnknown
	}
	code := e.countries.Country(ip)
	if len(code) != 2 || !isASCIILetter(code[0]) || !isASCIILetter(code[1]) {
		return shortener.LabelUnknown
	}
	return strings.ToUpper(code)
}

func isASCIILetter(b byte) bool { return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' }

// VisitorHash returns the visitor of a request: the hash a click of it
// would record.
func (e *Enricher) VisitorHash(ip netip.Addr, userAgent string, at time.Time) string {
	return e.visitorHash(ip.Unmap().WithZone(""), userAgent, at)
}

// visitorHash is the hex of the first 16 bytes of
// HMAC-SHA256(secret, ip "\n" user agent "\n" UTC day). The day makes a
// visitor untraceable across days; the key makes the hash useless without
// the server secret. The IP is used in its canonical form when it parses,
// so that "::ffff:1.2.3.4" and "1.2.3.4" are one visitor.
func (e *Enricher) visitorHash(ip netip.Addr, userAgent string, at time.Time) string {
	v := e.macs.Get().(*visitorMAC)
	defer e.macs.Put(v)

	b := ip.AppendTo(v.buf[:0]) // nothing for no address
	b = append(b, '\n')
	b = append(b, userAgent...)
	b = append(b, '\n')
	b = shortener.AppendUTCDay(b, at)
	v.buf = b

	v.mac.Reset()
	v.mac.Write(b)
	var sum [sha256.Size]byte
	var out [32]byte
	hex.Encode(out[:], v.mac.Sum(sum[:0])[:16])
	return string(out[:])
}

// referrerHost reduces a Referer header to its host: lower case, without
// port, userinfo or trailing dot. No header is LabelDirect; a header without
// a usable host is LabelUnknown.
func referrerHost(ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return shortener.LabelDirect
	}
	u, err := url.Parse(ref)
	if err != nil {
		return shortener.LabelUnknown
	}
	raw := u.Hostname()
	host := strings.TrimSuffix(strings.ToLower(raw), ".")
	if host == "" || len(host) > maxHostLen || !shortener.IsDisplaySafe(raw) || !isHostText(host) {
		// A label shown in every summary must not carry bidi overrides,
		// zero-width or control characters, nor invalid UTF-8; nor be
		// anything but a host (`http://"><b>/` has the "host" `"><b>`).
		return shortener.LabelUnknown
	}
	return host
}

// isHostText reports whether host is written only with what host names
// and IP literals are: letters (a Unicode name), digits, '-', '.', '_'
// (seen in real names) and ':' (IPv6).
func isHostText(host string) bool {
	for _, r := range host {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("-._:", r) &&
			!unicode.Is(unicode.Mn, r) && !unicode.Is(unicode.Mc, r) { // combining marks of some scripts' letters
			return false
		}
	}
	return true
}
