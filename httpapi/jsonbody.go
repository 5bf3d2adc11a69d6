package httpapi

import (
	"errors"
	"mime"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
)

// jsonRequestBody is the API's huma middleware for the operations that take
// a body. It applies the media-type rule of API.md, which huma's own
// lookup misses: huma finds a format by the exact text of Content-Type
// after any "+", so "Application/JSON" was 415 while "text/html+json"
// passed as JSON.
func (s *Server) jsonRequestBody(api huma.API) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		if ctx.Operation().RequestBody == nil {
			next(ctx)
			return
		}
		r, _ := humago.Unwrap(ctx)
		if !isJSONMediaType(r.Header.Get("Content-Type")) {
			_ = huma.WriteErr(api, ctx, http.StatusUnsupportedMediaType, "")
			return
		}
		// The one spelling huma's format table knows.
		r.Header.Set("Content-Type", "application/json")
		next(ctx)
	}
}

// isJSONMediaType reports whether a Content-Type names JSON: the media
// type application/json in any case, with any parameters, or no
// Content-Type at all (API.md reads such a body as JSON).
func isJSONMediaType(contentType string) bool {
	if contentType == "" {
		return true
	}
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil && !errors.Is(err, mime.ErrInvalidMediaParameter) {
		return false
	}
	return mediaType == "application/json"
}
