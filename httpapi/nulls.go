package httpapi

import (
	"slices"
	"strconv"

	"github.com/danielgtaylor/huma/v2"
)

// msgNotNullable is the message of a null where the schema allows none.
const msgNotNullable = "must not be null: this field is not nullable"

// nullErrors returns an error for every null in v (a decoded JSON
// document) whose schema in s is not nullable, located like huma's own
// errors (body.original_url, body.items[2].url).
//
// huma's validator skips a null in an optional property whatever its
// schema says, and encoding/json then leaves the field as if it were
// absent: {"is_active": null} used to change nothing and answer 200. The
// OpenAPI document already says which fields are nullable; this makes the
// server hold to it.
func nullErrors(r huma.Registry, s *huma.Schema, v any, location string) []error {
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
				continue // an unknown property is huma's to refuse
			}
			errs = append(errs, nullOrNested(r, prop, v[k], location+"."+k)...)
		}
	case []any:
		if s.Items == nil {
			return nil
		}
		for i, item := range v {
			errs = append(errs, nullOrNested(r, s.Items, item, location+"["+strconv.Itoa(i)+"]")...)
		}
	}
	return errs
}

// nullOrNested checks one value against its schema s.
func nullOrNested(r huma.Registry, s *huma.Schema, v any, location string) []error {
	if v != nil {
		return nullErrors(r, s, v, location)
	}
	if s.Nullable || resolveSchema(r, s).Nullable {
		return nil
	}
	return []error{&huma.ErrorDetail{Location: location, Message: msgNotNullable}}
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
