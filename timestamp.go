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

// StoredTime is t as the stores keep it: in UTC, cut to microseconds
// (PostgreSQL's precision, and SQLite's as the stores write it). A time
// read from a request is cut at once, so that the answer to a create shows
// what a later read returns.
func StoredTime(t time.Time) time.Time {
	return t.UTC().Truncate(time.Microsecond)
}

// HasRFC3339Offset reports whether t's offset from UTC is one RFC 3339
// allows: hours 00 to 23. Go's parser also reads "+24:00".
func HasRFC3339Offset(t time.Time) bool {
	_, off := t.Zone()
	return off > -24*60*60 && off < 24*60*60
}
