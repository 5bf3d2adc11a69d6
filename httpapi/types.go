package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/shortener-dev/shortener"
)

// Timestamp is an RFC 3339 time in a request body. A time without an
// offset is read as UTC, as clients written in Python often send one.
type Timestamp struct{ time.Time }

var timestampLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999"}

// timestampPattern lets schema validation refuse a malformed time with the
// field's location before the body is decoded.
const timestampPattern = `^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)?$`

var timestampPatternRE = regexp.MustCompile(timestampPattern)

// UnmarshalJSON reads an RFC 3339 timestamp string.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("expected an RFC 3339 timestamp string")
	}
	v, err := parseTimestamp(s)
	if err != nil {
		return err
	}
	t.Time = shortener.StoredTime(v)
	return nil
}

// parseTimestamp reads a timestamp of timestampPattern's shape in UTC.
// RFC 3339 allows a lower-case t and z, and offset hours up to 23.
func parseTimestamp(s string) (time.Time, error) {
	upper := strings.ToUpper(s)
	for _, layout := range timestampLayouts {
		if v, err := time.Parse(layout, upper); err == nil && shortener.HasRFC3339Offset(v) {
			return v.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an RFC 3339 timestamp", s)
}

// Schema documents Timestamp as a date-time string.
func (Timestamp) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: "string", Nullable: true, Pattern: timestampPattern,
		PatternDescription: "an RFC 3339 timestamp such as 2026-12-31T23:59:59Z",
		Description:        "RFC 3339 timestamp, e.g. 2026-12-31T23:59:59Z (no offset means UTC).", Examples: []any{"2026-12-31T23:59:59Z"}}
}

// Nullable is a PATCH field that tells "absent" (Set false), "null"
// (Set true, Null true) and a value apart.
type Nullable[T any] struct {
	Set   bool
	Null  bool
	Value T
}

// UnmarshalJSON is only called when the field is present.
func (n *Nullable[T]) UnmarshalJSON(b []byte) error {
	n.Set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		n.Null = true
		return nil
	}
	return json.Unmarshal(b, &n.Value)
}

// Schema documents the field as its value's schema, nullable.
func (n Nullable[T]) Schema(r huma.Registry) *huma.Schema {
	s := *r.Schema(reflect.TypeFor[T](), true, "")
	s.Nullable = true
	return &s
}
