package analytics

import (
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// testNetworks are the networks of the test databases and their countries.
var testNetworks = map[string]string{
	"81.2.69.0/24":   "GB",
	"2a02:cf40::/29": "DE",
}

// writeTestMMDB writes a MaxMind database of type dbType whose records map
// testNetworks to their countries, and returns its path.
func writeTestMMDB(t testing.TB, dbType string) string {
	t.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: dbType, RecordSize: 24})
	if err != nil {
		t.Fatalf("mmdbwriter.New: %v", err)
	}
	for cidr, iso := range testNetworks {
		_, network, err := net.ParseCIDR(cidr)
		if err != nil {
			t.Fatal(err)
		}
		record := mmdbtype.Map{
			"country": mmdbtype.Map{
				"iso_code": mmdbtype.String(iso),
				"names":    mmdbtype.Map{"en": mmdbtype.String("Country " + iso)},
			},
		}
		if dbType == "GeoIP2-City" {
			record["city"] = mmdbtype.Map{"names": mmdbtype.Map{"en": mmdbtype.String("Some City")}}
		}
		if err := tree.Insert(network, record); err != nil {
			t.Fatalf("insert %s: %v", cidr, err)
		}
	}
	path := filepath.Join(t.TempDir(), "test.mmdb")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tree.WriteTo(f); err != nil {
		t.Fatalf("write mmdb: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func openTestGeoIP(t testing.TB, dbType string) *GeoIP {
	t.Helper()
	g, err := OpenGeoIP(writeTestMMDB(t, dbType))
	if err != nil {
		t.Fatalf("OpenGeoIP: %v", err)
	}
	t.Cleanup(func() {
		if err := g.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return g
}

func TestGeoIPCountry(t *testing.T) {
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
		g := openTestGeoIP(t, dbType)
		for _, tt := range tests {
			t.Run(dbType+"/"+tt.name, func(t *testing.T) {
				if got := g.Country(tt.ip); got != tt.want {
					t.Errorf("Country(%v) = %q, want %q", tt.ip, got, tt.want)
				}
			})
		}
	}
}

func TestOpenGeoIPErrors(t *testing.T) {
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
		{"database without countries", writeTestMMDB(t, "GeoLite2-ASN")},
		{"unknown database type", writeTestMMDB(t, "My-Own-DB")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := OpenGeoIP(tt.path)
			if err == nil {
				_ = g.Close()
				t.Fatal("OpenGeoIP succeeded, want an error")
			}
		})
	}
}
