package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
)

// An API call's work ends with its deadline, so that a database that
// accepts queries but never answers costs a client 503 after a while, not
// a request that waits for as long as the client does. The deadline is
// the one the server writes answers within (its WriteTimeout): an answer
// later than it could not be sent anyway.
//
// Three kinds of calls have three deadlines:
//   - most calls: DefaultRequestTimeout (Config.RequestTimeout);
//   - long-running calls, whose work grows with their body (a bulk create,
//     an import of up to MAX_IMPORT_BYTES): longRunningDeadline, for the
//     body's reading, the work and the answer, since the server's 30 s
//     would cut a large one off after its links were made;
//   - streamed answers (the exports): none in all, but a pause between
//     two rows of at most the first (stream.go), since a large export
//     takes as long as it takes while rows come.
const (
	longRunningKey = "httpapi.longRunning"
	streamedKey    = "httpapi.streamed"
)

// DefaultRequestTimeout is the deadline of an API call when
// Config.RequestTimeout is 0: the server's WriteTimeout.
const DefaultRequestTimeout = 30 * time.Second

// longRunningDeadline is how long a long-running call may take to read
// its body, to work and to answer.
const longRunningDeadline = 10 * time.Minute

// deadlines is the API's huma middleware that gives each call its
// deadline (see above), before the body is read.
func (s *Server) deadlines(ctx huma.Context, next func(huma.Context)) {
	meta := ctx.Operation().Metadata
	if streamed, _ := meta[streamedKey].(bool); streamed {
		next(ctx)
		return
	}
	timeout := s.requestTimeout
	if long, _ := meta[longRunningKey].(bool); long {
		timeout = longRunningDeadline
		_, w := humago.Unwrap(ctx)
		rc := http.NewResponseController(w)
		until := time.Now().Add(timeout)
		// Not every writer supports deadlines (httptest's recorder).
		_ = rc.SetReadDeadline(until)
		_ = rc.SetWriteDeadline(until)
	}
	bounded, cancel := context.WithTimeout(ctx.Context(), timeout)
	defer cancel()
	next(huma.WithContext(ctx, bounded))
}

// longRunning marks op as long-running: its body too may take
// longRunningDeadline to arrive (huma's own limit for reading it is 5 s).
func longRunning(op huma.Operation) huma.Operation {
	op.BodyReadTimeout = longRunningDeadline
	return withMetadata(op, longRunningKey)
}

// streamed marks op as one whose answer is streamed.
func streamed(op huma.Operation) huma.Operation { return withMetadata(op, streamedKey) }

func withMetadata(op huma.Operation, key string) huma.Operation {
	if op.Metadata == nil {
		op.Metadata = map[string]any{}
	}
	op.Metadata[key] = true
	return op
}
