package analytics

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/geoip"
	"github.com/shortener-dev/shortener/internal/testenv"
)

var testSecret = []byte("0123456789abcdef0123456789abcdef")

// countryTable is a CountryLookup over a fixed table, for checking how the
// Enricher treats what a lookup returns.
type countryTable map[netip.Addr]string

func (c countryTable) Country(ip netip.Addr) string { return c[ip] }

// openTestCountries opens a real MaxMind database of dbType that knows
// testenv.GeoIPNetworks, closed when the test ends.
func openTestCountries(t testing.TB, dbType string) *geoip.Database {
	t.Helper()
	db, err := geoip.Open(testenv.GeoIPDatabase(t, dbType))
	if err != nil {
		t.Fatalf("geoip.Open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func TestEnrich(t *testing.T) {
	e := NewEnricher(testSecret, openTestCountries(t, "GeoIP2-Country"))
	paris := time.FixedZone("CET", 3600)
	c := shortener.Click{
		ID:        shortener.NewClickIDAt(time.Now()),
		LinkID:    "0190b6a0-0000-7000-8000-0000000000aa",
		At:        time.Date(2026, 11, 2, 0, 30, 0, 0, paris), // 1 Nov 23:30 UTC
		IP:        netip.MustParseAddr("81.2.69.160"),
		UserAgent: uaSafariIPhone,
		Referrer:  "https://News.YCombinator.com/item?id=1",
	}
	got := e.Enrich(c)
	want := shortener.ClickEvent{
		ID:          c.ID.String(),
		LinkID:      c.LinkID,
		OccurredAt:  time.Date(2026, 11, 1, 23, 30, 0, 0, time.UTC),
		Referrer:    "news.ycombinator.com",
		Browser:     "Safari",
		OS:          "iOS",
		Device:      shortener.DeviceMobile,
		Country:     "GB",
		IsBot:       false,
		VisitorHash: expectedHash(testSecret, "81.2.69.160", uaSafariIPhone, "2026-11-01"),
	}
	if got != want {
		t.Errorf("Enrich\n got %+v\nwant %+v", got, want)
	}
	if got.OccurredAt.Location() != time.UTC {
		t.Errorf("OccurredAt location = %v, want UTC", got.OccurredAt.Location())
	}

	bot := e.Enrich(shortener.Click{ID: shortener.NewClickIDAt(c.At), LinkID: "l", At: c.At, IP: addr("2a02:cf40::7"), UserAgent: uaGooglebot})
	if !bot.IsBot || bot.Device != shortener.DeviceBot || bot.Country != "DE" || bot.Referrer != shortener.LabelDirect {
		t.Errorf("Enrich(googlebot) = %+v", bot)
	}
}

// expectedHash computes the visitor hash independently of the Enricher.
func expectedHash(secret []byte, ip, ua, day string) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(ip + "\n" + ua + "\n" + day))
	return hex.EncodeToString(mac.Sum(nil)[:16])
}

func TestEnrichCountry(t *testing.T) {
	geo := openTestCountries(t, "GeoIP2-City")
	table := countryTable{
		netip.MustParseAddr("192.0.2.1"): "fr",
		netip.MustParseAddr("192.0.2.2"): "",
		netip.MustParseAddr("192.0.2.3"): "GBR",
		netip.MustParseAddr("192.0.2.4"): "1A",
	}
	tests := []struct {
		name   string
		lookup shortener.CountryLookup
		ip     string
		want   string
	}{
		{"ipv4", geo, "81.2.69.160", "GB"},
		{"ipv4-mapped", geo, "::ffff:81.2.69.160", "GB"},
		{"ipv6", geo, "2a02:cf40::1", "DE"},
		{"not in database", geo, "8.8.8.8", shortener.LabelUnknown},
		{"empty ip", geo, "", shortener.LabelUnknown},
		{"no database", nil, "81.2.69.160", shortener.LabelUnknown},
		{"lower case code", table, "192.0.2.1", "FR"},
		{"empty code", table, "192.0.2.2", shortener.LabelUnknown},
		{"alpha-3 code", table, "192.0.2.3", shortener.LabelUnknown},
		{"not letters", table, "192.0.2.4", shortener.LabelUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := NewEnricher(testSecret, tt.lookup)
			got := e.Enrich(shortener.Click{IP: addr(tt.ip), UserAgent: uaChromeWindows, At: time.Now()})
			if got.Country != tt.want {
				t.Errorf("Country for %q = %q, want %q", tt.ip, got.Country, tt.want)
			}
		})
	}
}

func TestReferrerHost(t *testing.T) {
	tests := []struct {
		ref  string
		want string
	}{
		{"", shortener.LabelDirect},
		{"   ", shortener.LabelDirect},
		{"https://news.ycombinator.com/item?id=1", "news.ycombinator.com"},
		{"https://WWW.Example.COM/", "www.example.com"},
		{"http://example.com:8080/path", "example.com"},
		{"https://user:pass@example.com/", "example.com"},
		{"https://example.com./", "example.com"},
		{"https://[2001:db8::1]:8443/x", "2001:db8::1"},
		{"http://192.0.2.1/", "192.0.2.1"},
		{"//cdn.example.com/x", "cdn.example.com"},
		{"android-app://com.google.android.gm/", "com.google.android.gm"},
		{"android-app:/", shortener.LabelUnknown},
		{"about:blank", shortener.LabelUnknown},
		{"example.com/path", shortener.LabelUnknown},
		{"/relative/path", shortener.LabelUnknown},
		{"http://%zz/", shortener.LabelUnknown},
		{"http://exa mple.com/", shortener.LabelUnknown},
		{"http://[::1/", shortener.LabelUnknown},
		{"https://exa\u202eelpmaxe.com/", shortener.LabelUnknown}, // a bidi override in a label
		{"https://pay\u200bpal.com/", shortener.LabelUnknown},     // zero-width space
		{"https://b\xfcr.example/", shortener.LabelUnknown},       // invalid UTF-8
		{"https://bücher.example/", "bücher.example"},
		{"https://हिन्दी.example/", "हिन्दी.example"}, // combining vowel signs
		{"https://my_host.example.com/", "my_host.example.com"},
		{`http://"><script>alert(1)</script>/`, shortener.LabelUnknown}, // not a host
		{"http://a'b.com/", shortener.LabelUnknown},
		{"http://a%3Cb.com/", shortener.LabelUnknown},
		{"https://" + string(make([]byte, 0)) + longHost(300) + "/", shortener.LabelUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			if got := referrerHost(tt.ref); got != tt.want {
				t.Errorf("referrerHost(%q) = %q, want %q", tt.ref, got, tt.want)
			}
		})
	}
}

func longHost(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'a'
	}
	return string(b) + ".com"
}

func TestVisitorHash(t *testing.T) {
	e := NewEnricher(testSecret, nil)
	morning := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	hash := func(e *Enricher, ip, ua string, at time.Time) string {
		return e.Enrich(shortener.Click{IP: addr(ip), UserAgent: ua, At: at}).VisitorHash
	}
	base := hash(e, "81.2.69.160", uaChromeWindows, morning)

	if len(base) != 32 {
		t.Fatalf("hash %q has %d characters, want 32", base, len(base))
	}
	if _, err := hex.DecodeString(base); err != nil {
		t.Fatalf("hash %q is not hex: %v", base, err)
	}
	if want := expectedHash(testSecret, "81.2.69.160", uaChromeWindows, "2026-11-01"); base != want {
		t.Errorf("hash = %s, want %s", base, want)
	}

	same := []struct {
		name string
		got  string
	}{
		{"same day, last second", hash(e, "81.2.69.160", uaChromeWindows, morning.Add(24*time.Hour-time.Second))},
		{"same UTC day in another zone", hash(e, "81.2.69.160", uaChromeWindows, morning.Add(23*time.Hour).In(time.FixedZone("JST", 9*3600)))},
		{"ipv4-mapped form", hash(e, "::ffff:81.2.69.160", uaChromeWindows, morning)},
		{"another enricher, same secret", hash(NewEnricher([]byte(string(testSecret)), nil), "81.2.69.160", uaChromeWindows, morning)},
	}
	for _, tt := range same {
		if tt.got != base {
			t.Errorf("%s: hash %s, want %s", tt.name, tt.got, base)
		}
	}

	different := []struct {
		name string
		got  string
	}{
		{"next day", hash(e, "81.2.69.160", uaChromeWindows, morning.Add(24*time.Hour))},
		{"previous day", hash(e, "81.2.69.160", uaChromeWindows, morning.Add(-time.Second))},
		{"other secret", hash(NewEnricher([]byte("another secret, 32 bytes long..."), nil), "81.2.69.160", uaChromeWindows, morning)},
		{"other ip", hash(e, "81.2.69.161", uaChromeWindows, morning)},
		{"other user agent", hash(e, "81.2.69.160", uaFirefoxLinux, morning)},
	}
	for _, tt := range different {
		if tt.got == base {
			t.Errorf("%s: hash equals the base hash %s", tt.name, base)
		}
	}
}

// The secret is copied: changing the caller's slice afterwards must not
// change the hashes.
func TestNewEnricherCopiesSecret(t *testing.T) {
	secret := []byte("a secret that the caller reuses!")
	e := NewEnricher(secret, nil)
	c := shortener.Click{IP: addr("81.2.69.160"), UserAgent: uaChromeWindows, At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	before := e.Enrich(c).VisitorHash
	secret[0] = 'X'
	if after := e.Enrich(c).VisitorHash; after != before {
		t.Errorf("hash changed after the caller changed its secret slice")
	}
}

func TestEnrichConcurrent(t *testing.T) {
	e := NewEnricher(testSecret, openTestCountries(t, "GeoIP2-Country"))
	agents := []string{uaChromeWindows, uaFirefoxLinux, uaSafariIPhone, uaSafariIPad, uaGooglebot, ""}
	ips := []string{"81.2.69.160", "2a02:cf40::1", "10.0.0.1", "::ffff:81.2.69.1"}
	at := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	var clicks []shortener.Click
	for i := range 64 {
		clicks = append(clicks, shortener.Click{
			ID: shortener.NewClickIDAt(at), IP: addr(ips[i%len(ips)]), UserAgent: agents[i%len(agents)],
			At: at.Add(time.Duration(i) * time.Hour), Referrer: "https://example.com/",
		})
	}
	want := make([]shortener.ClickEvent, len(clicks))
	for i, c := range clicks {
		want[i] = e.Enrich(c)
	}

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for round := range 20 {
				for i := range clicks {
					j := (i + round) % len(clicks)
					if got := e.Enrich(clicks[j]); got != want[j] {
						t.Errorf("concurrent Enrich(%d) = %+v, want %+v", j, got, want[j])
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkEnrich(b *testing.B) {
	e := NewEnricher(testSecret, openTestCountries(b, "GeoIP2-Country"))
	clicks := []shortener.Click{
		{IP: addr("81.2.69.160"), UserAgent: uaChromeWindows, Referrer: "https://news.ycombinator.com/item?id=1"},
		{IP: addr("2a02:cf40::1"), UserAgent: uaSafariIPhone, Referrer: "https://t.co/abc"},
		{IP: addr("8.8.8.8"), UserAgent: uaChromeAndroid},
		{IP: addr("81.2.69.1"), UserAgent: uaGooglebot},
	}
	at := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	for i := range clicks {
		clicks[i].At = at
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			_ = e.Enrich(clicks[i%len(clicks)])
			i++
		}
	})
}

// The redirect asks the enricher about user agents too (device targeting,
// bots on capped links): iOS and Android are told apart as platforms.
func TestClassifyPlatforms(t *testing.T) {
	e := NewEnricher([]byte("secret"), nil)
	tests := []struct{ ua, device, platform string }{
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1", shortener.DeviceMobile, shortener.PlatformIOS},
		{"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36", shortener.DeviceMobile, shortener.PlatformAndroid},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", shortener.DeviceDesktop, ""},
		{"", shortener.DeviceBot, ""},
	}
	for _, tt := range tests {
		a := e.Classify(tt.ua)
		if a.Device != tt.device || a.Platform() != tt.platform {
			t.Errorf("Classify(%.40q) = %s/%s, want %s/%s", tt.ua, a.Device, a.Platform(), tt.device, tt.platform)
		}
	}
	if !e.Classify("").IsBot {
		t.Error("an empty user agent is not a bot")
	}
}

// The redirect's visitor (for variant stickiness) is the visitor its click
// records.
func TestVisitorHashMatchesTheClick(t *testing.T) {
	e := NewEnricher([]byte("secret"), nil)
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for _, ip := range []string{"203.0.113.7", "2001:db8::1", "::ffff:198.51.100.2"} {
		ev := e.Enrich(shortener.Click{ID: shortener.NewClickIDAt(at), LinkID: shortener.NewID(), At: at, IP: netip.MustParseAddr(ip), UserAgent: "ua"})
		if got := e.VisitorHash(netip.MustParseAddr(ip), "ua", at); got != ev.VisitorHash {
			t.Errorf("VisitorHash(%s) = %s, the click records %s", ip, got, ev.VisitorHash)
		}
	}
}

// addr is the address of a click as the redirect records it; "" (or text
// that is no address) is none.
func addr(s string) netip.Addr {
	a, _ := netip.ParseAddr(s)
	return a
}
