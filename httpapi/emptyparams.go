package httpapi

import (
	"github.com/danielgtaylor/huma/v2"
)

// msgEmptyParam is the 422 of a query parameter given without a value.
const msgEmptyParam = "expected a value: leave the parameter out for its default"

// emptyParams returns a 422 detail for each of the named query parameters
// that the request gives without a value (?size=, ?sort=). huma reads an
// empty value as an absent one, so the call would answer with the default
// where API.md says a bad value is 422. Operations call it from their
// input's Resolve.
func emptyParams(ctx huma.Context, names ...string) []error {
	u := ctx.URL()
	query := u.Query()
	var errs []error
	for _, name := range names {
		for _, v := range query[name] {
			if v == "" {
				errs = append(errs, &huma.ErrorDetail{Location: "query." + name, Message: msgEmptyParam, Value: v})
				break
			}
		}
	}
	return errs
}
