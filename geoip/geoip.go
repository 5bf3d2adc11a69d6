// Package geoip finds the country of a client IP in a MaxMind-format
// (.mmdb) database, for click enrichment: an adapter implementing
// shortener.CountryLookup, like the stores implement theirs.
package geoip

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/oschwald/geoip2-golang/v2"

	"github.com/shortener-dev/shortener"
)

// Database is a CountryLookup over a MaxMind-format database. Country and
// City databases (GeoIP2, GeoLite2, DB-IP) both work. It is safe for
// concurrent use; the file is memory-mapped until Close.
type Database struct {
	reader *geoip2.Reader
}

var _ shortener.CountryLookup = (*Database)(nil)

// Open opens the database at path. It fails when the file is not a MaxMind
// database or is one without country data (an ASN database, say), so that
// a wrong GEOIP_DB is reported at start rather than turning every click
// into "unknown".
func Open(path string) (*Database, error) {
	reader, err := geoip2.Open(path)
	if err != nil {
		if reader != nil {
			_ = reader.Close()
		}
		return nil, fmt.Errorf("open geoip database %q: %w", path, err)
	}
	// geoip2 accepts some database types that hold no countries and only
	// refuses them per lookup; probe once so the error comes now.
	var invalid geoip2.InvalidMethodError
	if _, err := reader.Country(netip.IPv4Unspecified()); errors.As(err, &invalid) {
		_ = reader.Close()
		return nil, fmt.Errorf("open geoip database %q: %w", path, err)
	}
	return &Database{reader: reader}, nil
}

// Country returns the country of ip, or "" when the database does not know
// it. An IPv4-mapped IPv6 address is looked up as the IPv4 address.
func (d *Database) Country(ip netip.Addr) string {
	if !ip.IsValid() {
		return ""
	}
	rec, err := d.reader.Country(ip.Unmap().WithZone(""))
	if err != nil {
		// Only a corrupt database fails a lookup; the click is still worth
		// keeping, with its country unknown.
		return ""
	}
	return rec.Country.ISOCode
}

// Close releases the database file.
func (d *Database) Close() error {
	if err := d.reader.Close(); err != nil {
		return fmt.Errorf("close geoip database: %w", err)
	}
	return nil
}
