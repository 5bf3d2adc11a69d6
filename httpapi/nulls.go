package httpapi

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"

	"github.com/danielgtaylor/huma/v2"
)

// Messages of the values refusedValues refuses.
const (
	msgNotNullable = "must not be null: this field is not nullable"
	msgNotInteger  = "expected integer"
	msgWholeNumber = "expected integer written without a fraction or exponent (301, not 301.0)"
	msgOutOfRange  = "expected integer between -9223372036854775808 and 9223372036854775807"
	msgNumberRange = "number is too large: beyond what a 64-bit floating-point number holds"
	msgNoTimestamp = "expected an RFC 3339 timestamp that names a real date and time, such as 2026-12-31T23:59:59Z"
)

// refusedValues returns an error for every value in v (a JSON document
// decoded with UseNumber) that huma's validation of its schema in s lets
// through but the request's Go types would refuse, located like huma's own
// errors (body.original_url, body.items[2].url):
//
//   - null where the schema is not nullable: huma's validator skips a null
//     in an optional property, and encoding/json then leaves the field as
//     if it were absent ({"is_active": null} used to change nothing and
//     answer 200). A schema without a type takes any value, null too;
//   - an integer written as 301.0 or 3e2, or beyond 64 bits: JSON Schema
//     counts 301.0 as an integer, encoding/json refuses it with a message
//     that names Go types, at the location "body";
//   - any other number beyond a float64 (1e999), in any property, known or
//     not: huma reads the body into a float64 before validating it, and
//     answered such a (well-formed) body 400 with Go's message;
//   - a timestamp of the right shape that is no time (February 30th),
//     which Timestamp would refuse at the location "body".
func refusedValues(r huma.Registry, s *huma.Schema, v any, location string) []error {
	s = resolveSchema(r, s)
	var errs []error
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys) // one order for the same body, every time
		for _, k := range keys {
			prop, ok := s.Properties[k]
			if !ok {
				// An unknown property is huma's to refuse, but for a
				// number huma could not read to say so.
				prop = anyValue
			}
			errs = append(errs, refusedValue(r, prop, v[k], location+"."+k)...)
		}
	case []any:
		items := s.Items
		if items == nil {
			items = anyValue
		}
		for i, item := range v {
			errs = append(errs, refusedValue(r, items, item, location+"["+strconv.Itoa(i)+"]")...)
		}
	case json.Number:
		msg := ""
		if s.Type == huma.TypeInteger {
			msg = integerProblem(v)
		} else if _, err := strconv.ParseFloat(string(v), 64); errors.Is(err, strconv.ErrRange) {
			msg = msgNumberRange
		}
		if msg != "" {
			// The value as written, in a string: 1e400 as a number
			// would overflow a client's decoder as it did ours.
			return []error{&huma.ErrorDetail{Location: location, Message: msg, Value: v.String()}}
		}
	case string:
		if s.Pattern == timestampPattern && timestampPatternRE.MatchString(v) {
			if _, err := parseTimestamp(v); err != nil {
				return []error{&huma.ErrorDetail{Location: location, Message: msgNoTimestamp, Value: v}}
			}
		}
	}
	return errs
}

// anyValue is the schema of a value the body's schema does not describe
// (an unknown property): any value, checked only for what no schema takes.
var anyValue = &huma.Schema{}

// refusedValue checks one value against its schema s.
func refusedValue(r huma.Registry, s *huma.Schema, v any, location string) []error {
	if v != nil {
		return refusedValues(r, s, v, location)
	}
	if s.Nullable {
		return nil
	}
	if rs := resolveSchema(r, s); rs.Nullable || rs.Type == "" {
		return nil
	}
	return []error{&huma.ErrorDetail{Location: location, Message: msgNotNullable}}
}

// integerProblem returns why n cannot be an int64, or "".
func integerProblem(n json.Number) string {
	_, err := strconv.ParseInt(string(n), 10, 64)
	if err == nil {
		return ""
	}
	f, ferr := strconv.ParseFloat(string(n), 64)
	switch {
	case errors.Is(err, strconv.ErrRange), errors.Is(ferr, strconv.ErrRange):
		return msgOutOfRange
	case ferr != nil || f != math.Trunc(f):
		return msgNotInteger
	case f < math.MinInt64 || f >= math.MaxInt64:
		return msgOutOfRange
	}
	return msgWholeNumber
}

// resolveSchema follows $ref to the schema it names.
func resolveSchema(r huma.Registry, s *huma.Schema) *huma.Schema {
	for s != nil && s.Ref != "" {
		s = r.SchemaFromRef(s.Ref)
	}
	if s == nil {
		return &huma.Schema{}
	}
	return s
}
