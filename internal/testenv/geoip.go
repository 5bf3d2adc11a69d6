package testenv

import (
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// GeoIPNetworks are the networks of the databases GeoIPDatabase writes,
// and their countries.
var GeoIPNetworks = map[string]string{
	"81.2.69.0/24":   "GB",
	"2a02:cf40::/29": "DE",
}

// GeoIPDatabase writes a MaxMind-format database of type dbType (such as
// "GeoIP2-Country", "GeoIP2-City" or "GeoLite2-ASN") whose records map
// GeoIPNetworks to their countries, and returns its path. The file is
// removed when the test ends. Tests read a real database rather than a
// stand-in, so that they catch what the reader library makes of it.
func GeoIPDatabase(t testing.TB, dbType string) string {
	t.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: dbType, RecordSize: 24})
	if err != nil {
		t.Fatalf("mmdbwriter.New: %v", err)
	}
	for cidr, iso := range GeoIPNetworks {
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
