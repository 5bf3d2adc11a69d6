package httpapi

import (
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
)

// longRunningKey marks, in an operation's metadata, a call whose work
// grows with its body (a bulk create, an import of up to MAX_IMPORT_BYTES):
// the server's 30 s read and write timeouts would cut a large one off
// after its links were made, and the client would never see the results.
const longRunningKey = "httpapi.longRunning"

// longRunningDeadline is how long such a call may take to read its body
// and to answer.
const longRunningDeadline = 10 * time.Minute

// extendDeadlines is the API's huma middleware that gives long-running
// operations their own deadlines, before the body is read.
func extendDeadlines(ctx huma.Context, next func(huma.Context)) {
	if long, _ := ctx.Operation().Metadata[longRunningKey].(bool); long {
		_, w := humago.Unwrap(ctx)
		rc := http.NewResponseController(w)
		until := time.Now().Add(longRunningDeadline)
		// Not every writer supports deadlines (httptest's recorder).
		_ = rc.SetReadDeadline(until)
		_ = rc.SetWriteDeadline(until)
	}
	next(ctx)
}

// longRunning marks op as long-running (see longRunningKey).
func longRunning(op huma.Operation) huma.Operation {
	if op.Metadata == nil {
		op.Metadata = map[string]any{}
	}
	op.Metadata[longRunningKey] = true
	return op
}
