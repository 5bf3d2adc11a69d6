package httpapi

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// huma writes the status line before it encodes the body, so a body that
// fails to encode (a time past year 9999, say) used to go out as a 200
// with a truncated body, and huma then panicked. Here every API body is
// encoded by a transformer, which huma runs before the status: a failure
// is still able to become a 500 problem.

// encodedJSON is a body that encodeFirst has already encoded.
type encodedJSON []byte

// jsonFormat is the API's JSON format: it writes encoded bodies as they
// are and encodes anything else as huma does.
var jsonFormat = huma.Format{
	Marshal: func(w io.Writer, v any) error {
		if b, ok := v.(encodedJSON); ok {
			_, err := w.Write(b)
			return err
		}
		return huma.DefaultJSONFormat.Marshal(w, v)
	},
	Unmarshal: huma.DefaultJSONFormat.Unmarshal,
}

// encodingFailure is what encodeFirst panics with: a transformer's error
// would have huma write a text body under an unchosen status.
type encodingFailure struct{ err error }

// encodeFirst is the API's one huma transformer: it encodes the body into
// memory, so that nothing is written unless all of it can be.
func encodeFirst(_ huma.Context, _ string, v any) (any, error) {
	var buf bytes.Buffer
	if err := huma.DefaultJSONFormat.Marshal(&buf, v); err != nil {
		panic(encodingFailure{err})
	}
	return encodedJSON(buf.Bytes()), nil
}

// answerEncodingFailure, deferred around the API, turns the panic of
// encodeFirst into a logged 500 problem. Other panics go on to observe.
func (s *Server) answerEncodingFailure(w http.ResponseWriter, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	failure, ok := v.(encodingFailure)
	if !ok {
		panic(v)
	}
	s.logger.ErrorContext(r.Context(), "response could not be encoded", slog.Any("error", failure.err))
	// Headers of the answer that was not sent would describe it.
	w.Header().Del("Location")
	w.Header().Del("ETag")
	writeProblem(w, newProblem(http.StatusInternalServerError, "Internal error."))
}
