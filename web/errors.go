package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/shortener-dev/shortener"
)

// What people read when something fails. Services' messages of coded
// errors are safe to show (their contract); anything else is logged and
// said in these words.
const (
	msgInternal    = "Something went wrong on our side; try again."
	msgUnavailable = "The service is unavailable right now; try again in a moment."
	msgNotFound    = "There is nothing at this address. The link may have been deleted, or the address mistyped."
	msgFixFields   = "Please correct the marked fields."
	msgFixField    = "Please correct the marked field."
)

// statusOf maps an error code to the status of the page that reports it;
// whatever the error, a request whose time ran out (begin) is 503.
func statusOf(ctx context.Context, err error) int {
	if shortener.TimedOut(ctx) {
		return http.StatusServiceUnavailable
	}
	switch shortener.ErrorCode(err) {
	case shortener.EINVALID:
		return http.StatusUnprocessableEntity
	case shortener.ECONFLICT:
		return http.StatusConflict
	case shortener.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case shortener.EFORBIDDEN:
		return http.StatusForbidden
	case shortener.ENOTFOUND:
		return http.StatusNotFound
	case shortener.EGONE:
		return http.StatusGone
	case shortener.ERATELIMIT:
		return http.StatusTooManyRequests
	case shortener.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// explain puts err on the form: field errors next to their fields (the
// API's location minus "body."), a coded error's message on the form,
// anything else logged and said in plain words. It returns the status to
// answer with (a rate-limit refusal's headers are set by admit).
func (a *App) explain(r *http.Request, f *form, err error) int {
	status := statusOf(r.Context(), err)
	var e *shortener.Error
	switch {
	case status == http.StatusServiceUnavailable:
		a.logger.WarnContext(r.Context(), "web: a dependency is unavailable", slog.Any("error", err))
		f.Message = msgUnavailable
	case status == http.StatusInternalServerError || !errors.As(err, &e):
		a.logError(r, "form", err)
		f.Message = msgInternal
		return http.StatusInternalServerError
	case len(e.Fields) > 0:
		for _, fe := range e.Fields {
			name, item := itemField(fieldName(fe.Location))
			f.fail(name, item+plainMessage(fe.Message))
		}
		// Said at the top too (an alert, for a screen reader), since the
		// field may be far down the page or in a closed section.
		if f.Message == "" {
			f.Message = msgFixFields
			if len(e.Fields) == 1 {
				f.Message = msgFixField
			}
		}
	default:
		f.Message = e.Message
	}
	return status
}

// explainAlso adds a check's field errors to a form that already failed
// on its own reading (a rules line, a date), so that every bad field shows
// at once; a field keeps its first error.
func (a *App) explainAlso(r *http.Request, f *form, err error) {
	if shortener.ErrorCode(err) == shortener.EINVALID {
		a.explain(r, f, err)
	}
}

// fieldName is the form field of an API location: "body.title" → "title".
func fieldName(location string) string {
	const prefix = "body."
	if len(location) > len(prefix) && location[:len(prefix)] == prefix {
		return location[len(prefix):]
	}
	return location
}

// errorView is an error page.
type errorView struct {
	pageBase
	Status    int
	Heading   string
	Message   string
	Reference string // the request's ID on a 500, for the user to quote
}

var errorHeadings = map[int]string{
	http.StatusBadRequest:            "This request could not be read",
	http.StatusRequestEntityTooLarge: "Too large",
	http.StatusForbidden:             "Not allowed",
	http.StatusNotFound:              "Page not found",
	http.StatusMethodNotAllowed:      "Not this way",
	http.StatusGone:                  "This link has expired",
	http.StatusTooManyRequests:       "Too many requests",
	http.StatusInternalServerError:   "Something went wrong",
	http.StatusServiceUnavailable:    "Temporarily unavailable",
}

// errorPage answers with an error page in the app's layout.
func (a *App) errorPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	heading, ok := errorHeadings[status]
	if !ok {
		heading = "Error " + strconv.Itoa(status)
	}
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "5") // as the API's 503s
	}
	v := &errorView{pageBase: pageBase{Title: heading}, Status: status, Heading: heading, Message: msg}
	if status == http.StatusInternalServerError {
		// Set by the server's request-ID middleware before any handler,
		// and in every log line of the request.
		v.Reference = w.Header().Get("X-Request-Id")
	}
	a.render(w, r, status, "error", v)
}

func (a *App) notFound(w http.ResponseWriter, r *http.Request) {
	a.errorPage(w, r, http.StatusNotFound, msgNotFound)
}

// serverError logs err and answers with the 500 page.
func (a *App) serverError(w http.ResponseWriter, r *http.Request, err error) {
	a.logError(r, "request", err)
	a.errorPage(w, r, http.StatusInternalServerError, msgInternal)
}

// failPage answers a page that could not be shown because of err.
func (a *App) failPage(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(r.Context(), err)
	var e *shortener.Error
	switch {
	case status == http.StatusServiceUnavailable:
		a.logger.WarnContext(r.Context(), "web: a dependency is unavailable", slog.Any("error", err))
		a.errorPage(w, r, status, msgUnavailable)
	case status == http.StatusInternalServerError || !errors.As(err, &e):
		a.serverError(w, r, err)
	case status == http.StatusNotFound:
		a.notFound(w, r)
	default:
		a.errorPage(w, r, status, e.Message)
	}
}

func (a *App) logError(r *http.Request, op string, err error) {
	a.logger.ErrorContext(r.Context(), "web: "+op+" failed",
		slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("error", err))
}
