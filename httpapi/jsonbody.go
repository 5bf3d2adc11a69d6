package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
)

// jsonRequestBody is the API's huma middleware for the operations that take
// a body. It applies the input rules of API.md that huma's own decoding
// misses, before huma reads the body:
//
//   - media types: huma finds a format by the exact text of Content-Type
//     after any "+", so "Application/JSON" was 415 while "text/html+json"
//     passed as JSON;
//   - null for a field that is not nullable, a string that is not UTF-8
//     and the other values of bodyProblems are 422;
//   - a compressed body (a Content-Encoding other than identity) is 415,
//     as RFC 9110 answers a content coding the server does not take (huma
//     read gzip's bytes as JSON, and took a plain body labelled br);
//   - a Content-Length past the limit is 413 at once, before the body is
//     waited for.
//
// Case-sensitive field names are huma's own validation, switched on in
// this package's init.
func jsonRequestBody(api huma.API) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		op := ctx.Operation()
		if op.RequestBody == nil {
			next(ctx)
			return
		}
		r, w := humago.Unwrap(ctx)
		if ce := r.Header.Get("Content-Encoding"); ce != "" && !strings.EqualFold(strings.TrimSpace(ce), "identity") {
			writeProblem(w, newProblem(http.StatusUnsupportedMediaType, "The request body must not be compressed: Content-Encoding is not supported."))
			return
		}
		// op.MaxBodyBytes is one past the largest body taken (humaBodyLimit).
		if op.MaxBodyBytes > 0 && r.ContentLength >= op.MaxBodyBytes {
			_ = huma.WriteErr(api, ctx, http.StatusRequestEntityTooLarge, "")
			return
		}
		if op.RequestBody.Content["application/json"] == nil {
			// A raw body (an import's text/csv): its media type or 415.
			if !isMediaTypeOf(r.Header.Get("Content-Type"), op.RequestBody.Content) {
				writeProblem(w, newProblem(http.StatusUnsupportedMediaType, "The request body must be CSV (Content-Type: text/csv)."))
				return
			}
			if b, _ := peekBody(w, r, 1); len(b) == 0 {
				// huma would call a missing raw body malformed JSON.
				p := newProblem(http.StatusUnprocessableEntity, "The request body is empty; it needs at least a header row.")
				p.Errors = []ProblemDetail{{Location: "body", Message: "the body is empty"}}
				writeProblem(w, p)
				return
			}
			next(ctx)
			return
		}
		if !isJSONMediaType(r.Header.Get("Content-Type")) {
			_ = huma.WriteErr(api, ctx, http.StatusUnsupportedMediaType, "")
			return
		}
		// The one spelling huma's format table knows.
		r.Header.Set("Content-Type", "application/json")
		if errs := refusedBody(api, op, w, r); len(errs) > 0 {
			_ = huma.WriteErr(api, ctx, http.StatusUnprocessableEntity, "", errs...)
			return
		}
		next(ctx)
	}
}

// isJSONMediaType reports whether a Content-Type names JSON: the media
// type application/json in any case, with any parameters, or no
// Content-Type at all (API.md reads such a body as JSON).
func isJSONMediaType(contentType string) bool {
	return contentType == "" || mediaTypeOf(contentType) == "application/json"
}

// isMediaTypeOf reports whether a Content-Type names one of the media
// types of content, in any case and with any parameters.
func isMediaTypeOf(contentType string, content map[string]*huma.MediaType) bool {
	return content[mediaTypeOf(contentType)] != nil
}

// mediaTypeOf returns the media type a Content-Type names, lower-cased and
// without its parameters (a malformed parameter is ignored), or "" when
// there is none.
func mediaTypeOf(contentType string) string {
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil && !errors.Is(err, mime.ErrInvalidMediaParameter) {
		return ""
	}
	return mediaType
}

// refusedBody reads the body (and puts it back for huma) and returns what
// bodyProblems finds in it. A body that is too large or not JSON is left to
// huma, which answers 413 or 400.
func refusedBody(api huma.API, op *huma.Operation, w http.ResponseWriter, r *http.Request) []error {
	body, complete := peekBody(w, r, op.MaxBodyBytes)
	mt := op.RequestBody.Content["application/json"]
	if !complete || mt == nil || mt.Schema == nil {
		return nil
	}
	return bodyProblems(api.OpenAPI().Components.Schemas, mt.Schema, body, "body")
}

// bodyProblems returns what huma's checks of a JSON document let through
// and the API refuses (422), located under root: text that is not UTF-8
// (badTexts) and the values of refusedValues. A body that is not JSON gives
// none.
func bodyProblems(reg huma.Registry, schema *huma.Schema, body []byte, root string) []error {
	if !json.Valid(body) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if dec.Decode(&doc) != nil {
		return nil
	}
	return append(badTexts(reg, schema, body, root), refusedValues(reg, schema, doc, root)...)
}

// peekBody reads r's body, at most limit bytes (limit <= 0: no limit, as
// for huma), and puts what it read back in front of the rest. complete is false when the limit was reached or
// reading failed: then the body is huma's to refuse.
//
// The body put back ends the connection's read deadline when it is read to
// its end, as net/http does when a handler reads the request's own body to
// its end. huma sets a deadline for reading the body (5 s) before it reads
// the body put back; once the peek has read the whole body, net/http is
// already reading the connection in the background (to notice a client
// that hangs up), and that deadline, left in place, would end that read
// and so cancel the call 5 s in, however long its own deadline.
func peekBody(w http.ResponseWriter, r *http.Request, limit int64) (body []byte, complete bool) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, true
	}
	reader := io.Reader(r.Body)
	if limit > 0 {
		reader = io.LimitReader(r.Body, limit)
	}
	body, err := io.ReadAll(reader)
	rest := &endOfBody{r: io.MultiReader(bytes.NewReader(body), r.Body), rc: http.NewResponseController(w)}
	r.Body = readCloser{rest, r.Body}
	// huma refuses a body of exactly its limit too.
	return body, err == nil && (limit <= 0 || int64(len(body)) < limit)
}

// readCloser reads from one reader and closes another.
type readCloser struct {
	io.Reader
	io.Closer
}

// endOfBody reads r and clears the connection's read deadline at its end
// (peekBody).
type endOfBody struct {
	r  io.Reader
	rc *http.ResponseController
}

func (b *endOfBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err == io.EOF {
		// Not every writer supports deadlines (httptest's recorder).
		_ = b.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}
