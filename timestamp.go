package shortener

import (
	"fmt"
	"time"
)

// Years a stored timestamp may lie in, in UTC. RFC 3339 has four-digit
// years, so a time outside them cannot be written back in an answer:
// "9999-12-31T23:59:59-05:00" reads fine but is year 10000 in UTC, and
// once stored, every listing that holds it fails to encode.
const (
	MinTimestampYear = 1
	MaxTimestampYear = 9999
)

// CheckTimestamp reports whether t can be stored and answered again: a
// time between years 1 and 9999 in UTC. Returns EINVALID at location,
// naming field.
func CheckTimestamp(location, field string, t time.Time) error {
	if y := t.UTC().Year(); y < MinTimestampYear || y > MaxTimestampYear {
		return Invalid(location, fmt.Sprintf("%s must lie between the years %d and %d in UTC", field, MinTimestampYear, MaxTimestampYear), nil)
	}
	return nil
}
