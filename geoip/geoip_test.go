package geoip_test

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/shortener-dev/shortener/geoip"
	"github.com/shortener-dev/shortener/internal/testenv"
)

func openTestDatabase(t testing.TB, dbType string) *geoip.Database {
	t.Helper()
	g, err := geoip.Open(testenv.GeoIPDatabase(t, dbType))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := g.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return g
}

func TestCountry(t *testing.T) {
	tests := []struct {
		name string
		ip   netip.Addr
		want string
	}{
		{"ipv4", netip.MustParseAddr("81.2.69.160"), "GB"},
		{"ipv4 network edge", netip.MustParseAddr("81.2.69.255"), "GB"},
		{"ipv4 outside", netip.MustParseAddr("81.2.70.1"), ""},
		{"ipv4-mapped ipv6", netip.MustParseAddr("::ffff:81.2.69.160"), "GB"},
		{"ipv6", netip.MustParseAddr("2a02:cf40::1"), "DE"},
		{"ipv6 end of /29", netip.MustParseAddr("2a02:cf47:ffff::1"), "DE"},
		{"ipv6 outside", netip.MustParseAddr("2a02:cf48::1"), ""},
		{"ipv6 with zone", netip.MustParseAddr("2a02:cf40::1%eth0"), "DE"},
		{"private", netip.MustParseAddr("10.0.0.1"), ""},
		{"loopback", netip.MustParseAddr("::1"), ""},
		{"invalid", netip.Addr{}, ""},
	}
	for _, dbType := range []string{"GeoIP2-Country", "GeoLite2-Country", "GeoIP2-City"} {
		g := openTestDatabase(t, dbType)
		for _, tt := range tests {
			t.Run(dbType+"/"+tt.name, func(t *testing.T) {
				if got := g.Country(tt.ip); got != tt.want {
					t.Errorf("Country(%v) = %q, want %q", tt.ip, got, tt.want)
				}
			})
		}
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.mmdb")
	if err := os.WriteFile(garbage, []byte("not a maxmind database"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
	}{
		{"missing file", filepath.Join(dir, "missing.mmdb")},
		{"not a database", garbage},
		{"database without countries", testenv.GeoIPDatabase(t, "GeoLite2-ASN")},
		{"unknown database type", testenv.GeoIPDatabase(t, "My-Own-DB")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := geoip.Open(tt.path)
			if err == nil {
				_ = g.Close()
				t.Fatal("Open succeeded, want an error")
			}
		})
	}
}
