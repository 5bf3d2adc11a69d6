package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strconv"
	"sync/atomic"
	"unsafe"
)

// exchange is the server's state of one request, made in one allocation:
// the response writer that records the status and size, the request ID
// and the context that carries it, and a few header values. The redirect
// answers tens of thousands of requests a second; each allocation it saves
// is time not spent in the allocator and the collector.
type exchange struct {
	http.ResponseWriter
	status int
	bytes  int
	route  string // set by inner muxes whose pattern r.Pattern cannot show

	ctx   requestContext
	id    [requestIDLen]byte
	slots [2][1]string // header values handed out by headerValue
	used  int
}

func (w *exchange) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *exchange) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *exchange) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// headerValue returns v as a header's value ([]string{v}), from the
// exchange's own slots while it has one left: the redirect sets its
// headers without allocating. Header values are never appended to in
// place (a slot's capacity is 1), so handing them out is safe.
func headerValue(w http.ResponseWriter, v string) []string {
	if ex, ok := w.(*exchange); ok && ex.used < len(ex.slots) {
		s := ex.slots[ex.used][:]
		ex.used++
		s[0] = v
		return s
	}
	return []string{v}
}

// requestContext is the request's context with its ID. It is part of the
// exchange, so storing the ID costs no allocation of its own.
type requestContext struct {
	context.Context
	id string
}

func (c *requestContext) Value(key any) any {
	if key == requestIDKey {
		return c.id
	}
	return c.Context.Value(key)
}

// requestIDs makes request IDs: a random per-process prefix and a counter,
// unique without a random read per request.
type requestIDs struct {
	prefix string
	n      atomic.Uint64
}

// requestIDLen bounds a made ID: a 12-digit prefix, a dash and a base-36
// uint64 (13 digits at most).
const requestIDLen = 12 + 1 + 13

func newRequestIDs() *requestIDs {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return &requestIDs{prefix: hex.EncodeToString(b) + "-"}
}

// next writes a new ID into buf and returns it as a string over buf's
// bytes, which are never written again: the string keeps the exchange
// that holds buf alive, and nothing else is allocated.
func (g *requestIDs) next(buf *[requestIDLen]byte) string {
	b := append(buf[:0], g.prefix...)
	b = strconv.AppendUint(b, g.n.Add(1), 36)
	return unsafe.String(&b[0], len(b))
}

// begin starts the exchange of a request: it keeps a valid incoming
// X-Request-ID or makes one, sends it back, and returns the request with
// a context that carries it to every log line.
func (s *Server) begin(w http.ResponseWriter, r *http.Request) (*exchange, *http.Request) {
	ex := &exchange{ResponseWriter: w}
	// Canonical keys used directly: Header.Get and Set would canonicalise
	// "X-Request-ID" on every request.
	var id string
	if v := r.Header["X-Request-Id"]; len(v) > 0 && validRequestID(v[0]) {
		id = v[0]
	} else {
		id = s.requestIDs.next(&ex.id)
	}
	w.Header()["X-Request-Id"] = headerValue(ex, id)
	ex.ctx = requestContext{Context: r.Context(), id: id}
	return ex, r.WithContext(&ex.ctx)
}
