package web

import (
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"
)

// form is a submitted form as a page shows it again: the values as typed
// (never passwords), an error next to each field that has one, and a
// message about the form as a whole.
type form struct {
	known   map[string]bool
	values  map[string]string
	errors  map[string]string
	Message string
}

// newForm reads the named fields of r's parsed form (r nil: an empty
// form). Values are trimmed, as pasted URLs often carry spaces; password
// fields are kept exactly as typed.
func newForm(r *http.Request, fields ...string) *form {
	f := &form{known: map[string]bool{}, values: map[string]string{}, errors: map[string]string{}}
	for _, name := range fields {
		f.known[name] = true
		if r == nil {
			continue
		}
		v := r.PostFormValue(name)
		if !strings.Contains(name, "password") {
			v = strings.TrimSpace(v)
		}
		f.values[name] = v
	}
	return f
}

// Value returns what was typed in a field; never a password's.
func (f *form) Value(name string) string {
	if strings.Contains(name, "password") {
		return ""
	}
	return f.values[name]
}

// raw returns a field's value, passwords included, for the handler.
func (f *form) raw(name string) string { return f.values[name] }

// set changes a value, as when a page fills its form from a link.
func (f *form) set(name, value string) { f.values[name] = value }

// Error returns the error shown next to a field.
func (f *form) Error(name string) string { return f.errors[name] }

// touched reports whether any of the named fields has a value or an error.
func (f *form) touched(names ...string) bool {
	for _, name := range names {
		if f.Value(name) != "" || f.Error(name) != "" {
			return true
		}
	}
	return false
}

// Failed reports whether the form has any error.
func (f *form) Failed() bool { return len(f.errors) > 0 || f.Message != "" }

// fail puts msg next to the field, or in the form's message when the form
// has no such field, so that no error goes unseen. A field keeps its first
// error: one thing to fix at a time.
func (f *form) fail(name, msg string) {
	if !f.known[name] {
		f.Message = strings.TrimSpace(f.Message + " " + msg)
		return
	}
	if _, ok := f.errors[name]; !ok {
		f.errors[name] = msg
	}
}

// plainNames turn the API's field names at the start of a service's
// message into words.
var plainNames = map[string]string{
	"expires_at": "expiry", "full_name": "name", "original_url": "URL",
	"custom_alias": "alias", "current_password": "current password", "title": "title",
	"url": "URL", "valid_since": "start", "max_clicks": "click limit", "redirect_type": "redirect",
	"q": "search", "is_public": "the is_public column", "is_active": "the is_active column",
}

// plainMessage makes a service's field message read as a sentence:
// "expires_at must be in the future" → "Expiry must be in the future."
func plainMessage(msg string) string {
	first, rest, _ := strings.Cut(msg, " ")
	if name, ok := plainNames[first]; ok {
		msg = name + " " + rest
	}
	msg = strings.TrimSpace(msg)
	if msg == "" {
		return msg
	}
	r, n := utf8.DecodeRuneInString(msg)
	msg = string(unicode.ToUpper(r)) + msg[n:]
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg
}
