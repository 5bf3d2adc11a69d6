package shortener

import (
	"context"
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in httpapi.
const (
	ECONFLICT     = "conflict"     // unique value taken (email, alias)
	EINTERNAL     = "internal"     // anything unexpected; never shown to clients
	EINVALID      = "invalid"      // validation failed
	ENOTFOUND     = "not_found"    // missing, or not visible to the caller
	EGONE         = "gone"         // expired short link
	EUNAUTHORIZED = "unauthorized" // missing or bad credentials
	EFORBIDDEN    = "forbidden"    // authenticated but not allowed
	ERATELIMIT    = "rate_limited" // too many requests
	EUNAVAILABLE  = "unavailable"  // a dependency is down
)

// Error is the application error. Its Message is safe to show to a client;
// anything else (driver errors, wrapped causes) stays in logs.
type Error struct {
	Code    string
	Message string
	// Fields lists the request values that failed validation (EINVALID).
	Fields []FieldError
}

// FieldError names one invalid request value.
type FieldError struct {
	Location string // e.g. "body.original_url"
	Message  string
	Value    any
}

func (e *Error) Error() string {
	return fmt.Sprintf("shortener error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error for one field.
func Invalid(location, message string, value any) *Error {
	return &Error{
		Code:    EINVALID,
		Message: "Request validation failed: " + message,
		Fields:  []FieldError{{Location: location, Message: message, Value: value}},
	}
}

// ErrorCode returns the code of the *Error in err's chain, EINTERNAL for any
// other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// TimedOut reports whether ctx, a request's, ended because the request's
// time ran out (a deadline, or a cancel whose cause is DeadlineExceeded),
// not because the client went away: whatever error the work then
// returned, the answer is "unavailable" (a dependency too slow).
func TimedOut(ctx context.Context) bool {
	return ctx.Err() != nil && errors.Is(context.Cause(ctx), context.DeadlineExceeded)
}

// ErrorMessage returns the client-safe message of err: the *Error's message,
// or "Internal error." for anything else.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// JoinInvalid merges the EINVALID errors among errs into one, so that a
// client sees every problem at once. Nil errors are skipped; the first
// error of another kind is returned as it is.
func JoinInvalid(errs ...error) error {
	var out *Error
	for _, err := range errs {
		if err == nil {
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Code != EINVALID {
			return err
		}
		if out == nil {
			out = &Error{Code: EINVALID, Message: e.Message}
		}
		out.Fields = append(out.Fields, e.Fields...)
	}
	if out == nil {
		return nil
	}
	return out
}

// Messages of the errors every store returns, written once so that both
// engines answer alike.
const (
	MsgCodeTaken     = "This short code is already taken."
	MsgUserNotFound  = "User not found."
	MsgEmailTaken    = "A user with this email already exists."
	MsgTokenNotFound = "Refresh token not found."
	MsgTokenConflict = "Refresh token already exists."
	MsgTokenUsed     = "Refresh token was already used or revoked."
)
