package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/validation"

	"github.com/shortener-dev/shortener"
)

// Problem is an RFC 9457 problem details body. It is the only shape of
// error this API answers with.
type Problem struct {
	Type   string          `json:"type" doc:"A URI reference identifying the problem type."`
	Title  string          `json:"title" doc:"Short summary of the problem type."`
	Status int             `json:"status" doc:"HTTP status code."`
	Detail string          `json:"detail" doc:"What went wrong, in a sentence a person can act on."`
	Errors []ProblemDetail `json:"errors" doc:"The individual problems, for validation errors."`

	headers http.Header
}

// ProblemDetail names one invalid request value.
type ProblemDetail struct {
	Location string `json:"location,omitempty" doc:"Where the value is, e.g. body.original_url or query.size."`
	Message  string `json:"message"`
	Value    any    `json:"value,omitempty" doc:"The value refused; a long text is cut to its first 256 bytes and an ellipsis."`
}

// maxEchoed bounds, in bytes, the text of a value (and the name of a
// location: an unknown property's is the client's) that a problem echoes:
// a 60 KB name answered with 60 KB.
const maxEchoed = 256

// problemDetail is the detail of a refused value, its texts cut to
// maxEchoed.
func problemDetail(location, message string, value any) ProblemDetail {
	if s, ok := value.(string); ok && len(s) > maxEchoed {
		value = shortener.ClipText(s, maxEchoed) + "…"
	}
	if len(location) > maxEchoed {
		location = shortener.ClipText(location, maxEchoed) + "…"
	}
	return ProblemDetail{Location: location, Message: message, Value: value}
}

func (p *Problem) Error() string             { return p.Detail }
func (p *Problem) GetStatus() int            { return p.Status }
func (p *Problem) ContentType(string) string { return "application/problem+json" }
func (p *Problem) GetHeaders() http.Header   { return p.headers }
func (p *Problem) withHeader(k, v string) *Problem {
	if p.headers == nil {
		p.headers = http.Header{}
	}
	p.headers.Set(k, v)
	return p
}

var _ huma.HeadersError = (*Problem)(nil)

// newProblem returns a problem with the standard title of status.
func newProblem(status int, detail string) *Problem {
	return &Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail, Errors: []ProblemDetail{}}
}

// statusOf maps error codes to HTTP status codes.
var statusOf = map[string]int{
	shortener.ECONFLICT:     http.StatusConflict,
	shortener.EINVALID:      http.StatusUnprocessableEntity,
	shortener.ENOTFOUND:     http.StatusNotFound,
	shortener.EGONE:         http.StatusGone,
	shortener.EUNAUTHORIZED: http.StatusUnauthorized,
	shortener.EFORBIDDEN:    http.StatusForbidden,
	shortener.ERATELIMIT:    http.StatusTooManyRequests,
	shortener.EUNAVAILABLE:  http.StatusServiceUnavailable,
	shortener.EINTERNAL:     http.StatusInternalServerError,
}

// problemOf turns an application error into a Problem. Internal errors are
// logged here, once, and answered as "Internal error.".
func problemOf(ctx context.Context, logger *slog.Logger, err error) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	if shortener.TimedOut(ctx) {
		// The call's own deadline passed (deadline.go): a dependency that
		// answers too slowly, or not at all.
		logger.WarnContext(ctx, "request deadline passed", slog.Any("error", err))
		return newProblem(http.StatusServiceUnavailable, "The service took too long to answer; try again shortly.").
			withHeader("Retry-After", unavailableRetryAfter)
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		// The client went away; nobody reads this answer and it is no fault.
		logger.DebugContext(ctx, "request cancelled by the client", slog.Any("error", err), slog.Any("cause", context.Cause(ctx)))
		return newProblem(http.StatusServiceUnavailable, "The request was cancelled.")
	}
	code := shortener.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	switch status {
	case http.StatusInternalServerError:
		logger.ErrorContext(ctx, "internal error", slog.Any("error", err))
	case http.StatusServiceUnavailable:
		logger.WarnContext(ctx, "dependency unavailable", slog.Any("error", err))
	}
	p = newProblem(status, shortener.ErrorMessage(err))
	var e *shortener.Error
	if errors.As(err, &e) {
		for _, f := range e.Fields {
			p.Errors = append(p.Errors, problemDetail(f.Location, f.Message, f.Value))
		}
		if code == shortener.EINVALID && len(e.Fields) > 0 {
			p.Detail = validationDetail(p.Errors)
		}
	}
	switch status {
	case http.StatusUnauthorized:
		p.withHeader("WWW-Authenticate", `Bearer`)
	case http.StatusServiceUnavailable:
		p.withHeader("Retry-After", unavailableRetryAfter)
	}
	return p
}

// fail turns an error into the problem a handler returns.
func (s *Server) fail(ctx context.Context, err error) error {
	return problemOf(ctx, s.logger, err)
}

// validationDetail summarises validation errors in one sentence. It names
// the first error's location, except where the location is a name the
// client chose (an unknown property): a detail never echoes the request.
func validationDetail(errs []ProblemDetail) string {
	first := errs[0]
	msg := first.Message
	switch {
	case first.Message == validation.MsgUnexpectedProperty:
		msg = "the body has a property this operation does not take (see errors)"
	case first.Location != "":
		msg = first.Location + ": " + msg
	}
	if len(errs) > 1 {
		return fmt.Sprintf("Validation failed: %s (and %d more).", msg, len(errs)-1)
	}
	return "Validation failed: " + msg + "."
}

// secretLocations are never echoed back in errors.
var secretLocations = map[string]bool{"body.password": true, "body.current_password": true, "body.refresh_token": true}

var requiredProperty = regexp.MustCompile(`^expected required property (\S+) to be present$`)

// humaError builds the Problem for errors that huma raises itself:
// malformed JSON, wrong content type, body too large, parameter and body
// validation.
func humaError(status int, msg string, errs ...error) huma.StatusError {
	p := newProblem(status, msg)
	for _, err := range errs {
		var d *huma.ErrorDetail
		if !errors.As(err, &d) {
			p.Errors = append(p.Errors, ProblemDetail{Message: err.Error()})
			continue
		}
		pd := problemDetail(d.Location, d.Message, d.Value)
		if m := requiredProperty.FindStringSubmatch(d.Message); m != nil {
			pd.Location = d.Location + "." + m[1]
			pd.Message = "required property is missing"
			pd.Value = nil
		}
		switch pd.Value.(type) {
		case map[string]any, []any:
			pd.Value = nil // a whole object could carry a password
		}
		if pd.Location == "body" {
			pd.Value = nil // the raw body, likewise
		}
		if secretLocations[pd.Location] || status != http.StatusUnprocessableEntity {
			pd.Value = nil // never echo passwords, tokens or raw bodies
		}
		p.Errors = append(p.Errors, pd)
	}
	switch status {
	case http.StatusBadRequest:
		// The decoder's message quotes the body; errors keep it.
		p.Detail = "The request body is not valid JSON."
	case http.StatusUnsupportedMediaType:
		p.Detail = "The request body must be JSON (Content-Type: application/json)."
		p.Errors = []ProblemDetail{}
	case http.StatusRequestEntityTooLarge:
		p.Detail = "The request body is too large."
		p.Errors = []ProblemDetail{}
	case http.StatusUnprocessableEntity:
		if len(p.Errors) > 0 {
			p.Detail = validationDetail(p.Errors)
		}
	case http.StatusInternalServerError:
		p.Detail = "Internal error."
		p.Errors = []ProblemDetail{}
	}
	if status == http.StatusUnauthorized {
		p.withHeader("WWW-Authenticate", "Bearer")
	}
	return p
}

// writeProblem writes p for the plain net/http handlers.
func writeProblem(w http.ResponseWriter, p *Problem) {
	for k, vs := range p.headers {
		w.Header()[k] = vs
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}
