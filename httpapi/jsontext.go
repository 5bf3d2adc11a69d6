package httpapi

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"
)

// msgBadText is the message of a string that is not valid UTF-8.
const msgBadText = "must be valid UTF-8 text: the string holds a byte sequence or a \\u escape (a lone surrogate) that is no character"

// badTexts returns an error for every string of the JSON document body
// (keys too) that is not valid UTF-8 once decoded, located like huma's
// errors under root. encoding/json replaces such bytes, and the halves of a
// surrogate pair that arrive alone (\ud800), with U+FFFD without a word,
// so a client's broken text would be stored changed (API.md: 422). A value
// whose schema in s takes anything (a bulk create's items, each checked on
// its own) is not looked into. body must be JSON (bodyProblems checks).
func badTexts(reg huma.Registry, s *huma.Schema, body []byte, root string) []error {
	if utf8.Valid(body) && !bytes.Contains(body, []byte(`\u`)) {
		return nil // the usual body: nothing to look at
	}
	type frame struct {
		object  bool
		key     string // the key whose value comes next (an object)
		wantKey bool
		index   int          // the next item's index (an array)
		schema  *huma.Schema // the container's; nil: not looked into
	}
	var (
		stack []frame
		errs  []error
		dec   = json.NewDecoder(bytes.NewReader(body))
		from  int64
	)
	// location is where the next value of the depth innermost containers
	// goes.
	location := func(depth int) string {
		loc := root
		for _, f := range stack[:depth] {
			if f.object {
				loc += "." + f.key
			} else {
				loc += "[" + strconv.Itoa(f.index) + "]"
			}
		}
		return loc
	}
	// next is the schema of the value that comes next; nil when it is
	// not looked into.
	next := func() *huma.Schema {
		n := len(stack)
		if n == 0 {
			return resolveSchema(reg, s)
		}
		f := stack[n-1]
		var child *huma.Schema
		switch {
		case f.schema == nil:
			return nil
		case f.object:
			child = f.schema.Properties[f.key]
		default:
			child = f.schema.Items
		}
		if child == nil {
			return &huma.Schema{Type: huma.TypeString} // unknown: huma refuses it; its text is still looked at
		}
		if child = resolveSchema(reg, child); child.Type == "" && len(child.Properties) == 0 && child.Items == nil {
			return nil // takes anything
		}
		return child
	}
	// valueDone moves the innermost container past one of its values.
	valueDone := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].object {
				stack[n-1].wantKey = true
			} else {
				stack[n-1].index++
			}
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return errs // not JSON (or cut short): huma answers it
		}
		raw := body[from:dec.InputOffset()]
		from = dec.InputOffset()
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, frame{object: true, wantKey: true, schema: next()})
			case '[':
				stack = append(stack, frame{schema: next()})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
		case string:
			if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].wantKey {
				// A key: the object holding it is named.
				if stack[n-1].schema != nil && !isGoodText(raw) {
					errs = append(errs, &huma.ErrorDetail{Location: location(n - 1), Message: msgBadText})
				}
				stack[n-1].key, stack[n-1].wantKey = t, false
				continue
			}
			if next() != nil && !isGoodText(raw) {
				errs = append(errs, &huma.ErrorDetail{Location: location(len(stack)), Message: msgBadText})
			}
			valueDone()
		default:
			valueDone()
		}
		if len(stack) == 0 {
			return errs
		}
	}
}

// isGoodText reports whether raw, the JSON text of a string token (with
// what separates it from the token before), is valid UTF-8 and escapes no
// lone surrogate.
func isGoodText(raw []byte) bool {
	if !utf8.Valid(raw) {
		return false
	}
	pendingHigh := false // a \u escape of a high surrogate came last
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' || i+1 >= len(raw) {
			if pendingHigh {
				return false
			}
			continue
		}
		if raw[i+1] != 'u' || i+6 > len(raw) {
			if pendingHigh {
				return false
			}
			i++ // an escape of one character: \\, \", \n ...
			continue
		}
		v, err := strconv.ParseUint(string(raw[i+2:i+6]), 16, 16)
		if err != nil {
			return true // not JSON: the decoder said otherwise, so never here
		}
		r := rune(v)
		switch {
		case utf16.IsSurrogate(r) && r < 0xdc00: // high
			if pendingHigh {
				return false
			}
			pendingHigh = true
		case utf16.IsSurrogate(r): // low
			if !pendingHigh {
				return false
			}
			pendingHigh = false
		default:
			if pendingHigh {
				return false
			}
		}
		i += 5
	}
	return !pendingHigh
}
