package httpapi

import (
	"slices"
	"testing"

	"github.com/danielgtaylor/huma/v2"
)

func TestBadTexts(t *testing.T) {
	str := &huma.Schema{Type: huma.TypeString}
	schema := &huma.Schema{Type: huma.TypeObject, Properties: map[string]*huma.Schema{
		"a":    str,
		"list": {Type: huma.TypeArray, Items: str},
		"obj":  {Type: huma.TypeObject, Properties: map[string]*huma.Schema{"b": str}},
		"any":  {},
	}}
	for _, c := range []struct {
		body string
		want []string
	}{
		{`{"a": "plain", "list": ["x"]}`, nil},
		{`{"a": "caf` + "\xc3\xa9" + `"}`, nil},
		{`{"a": "a\ud83d\ude00b"}`, nil}, // a whole pair
		{`{"a": "\\ud800"}`, nil},        // an escaped backslash, then text
		{`{"a": "\u00e9\n\"\\"}`, nil},   // other escapes
		{`{"a": "x` + "\xff" + `"}`, []string{"body.a"}},
		{`{"a": "\ud800"}`, []string{"body.a"}},             // a high half alone
		{`{"a": "\ude00x"}`, []string{"body.a"}},            // a low half alone
		{`{"a": "\ud800\u0041"}`, []string{"body.a"}},       // a high half, then no low one
		{`{"a": "\ud83d\ud83d\ude00"}`, []string{"body.a"}}, // two highs
		{`{"list": ["ok", "` + "\xfe" + `"], "obj": {"b": "\udfff"}}`, []string{"body.list[1]", "body.obj.b"}},
		{`{"obj": {"` + "\xff" + `": "x"}}`, []string{"body.obj"}}, // a key: its object is named
		{`{"any": {"b": "` + "\xff" + `"}, "a": "ok"}`, nil},       // a value that takes anything
	} {
		var got []string
		for _, err := range badTexts(nil, schema, []byte(c.body), "body") {
			got = append(got, err.(*huma.ErrorDetail).Location)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("badTexts(%q) = %v, want %v", c.body, got, c.want)
		}
	}
}
