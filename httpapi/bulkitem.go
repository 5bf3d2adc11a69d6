package httpapi

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// itemChecker checks one item of a bulk create as huma and jsonbody.go
// check the body of a single create: the same schema (unknown and
// miscased fields, types, limits) and the same refusal of nulls, with the
// same locations (body.original_url), so an item's errors read as that
// create's 422 would.
type itemChecker struct {
	registry huma.Registry
	schema   *huma.Schema
}

func newItemChecker(api huma.API, create *huma.PathItem) itemChecker {
	return itemChecker{registry: api.OpenAPI().Components.Schemas,
		schema: create.Post.RequestBody.Content["application/json"].Schema}
}

// check decodes raw into a create, or returns the problem its single
// create would have had.
func (c itemChecker) check(raw json.RawMessage) (*createLinkInput, *Problem) {
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, humaError(http.StatusBadRequest, "", err).(*Problem)
	}
	if errs := bodyProblems(c.registry, c.schema, raw, "body"); len(errs) > 0 {
		return nil, humaError(http.StatusUnprocessableEntity, "", errs...).(*Problem)
	}
	res := &huma.ValidateResult{}
	path := huma.NewPathBuffer(nil, 0)
	path.Push("body")
	huma.Validate(c.registry, c.schema, path, huma.ModeWriteToServer, doc, res)
	if len(res.Errors) > 0 {
		return nil, humaError(http.StatusUnprocessableEntity, "", res.Errors...).(*Problem)
	}
	var in createLinkInput
	if err := json.Unmarshal(raw, &in.Body); err != nil {
		// A value the schema allows but its type refuses (a timestamp
		// out of range).
		return nil, humaError(http.StatusUnprocessableEntity, "", &huma.ErrorDetail{Location: "body", Message: err.Error()}).(*Problem)
	}
	return &in, nil
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
