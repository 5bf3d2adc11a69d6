package links_test

import (
	"strings"
	"testing"

	"github.com/shortener-dev/shortener/links"
)

// A field that several columns name is read from the column of its own
// name, else from the first of them.
func TestReadImportColumnsOfOneField(t *testing.T) {
	for _, c := range []struct{ csv, want string }{
		{"original_url,url\nhttps://example.com/own,https://example.com/alias\n", "https://example.com/own"},
		{"url,original_url\nhttps://example.com/alias,https://example.com/own\n", "https://example.com/own"},
		{"url,Long URL\nhttps://example.com/first,https://example.com/second\n", "https://example.com/first"},
		{"longUrl,title\nhttps://example.com/only,T\n", "https://example.com/only"},
	} {
		recs, err := links.ReadImport(strings.NewReader(c.csv), true)
		if err != nil || len(recs) != 1 || recs[0].Err != nil {
			t.Fatalf("%q: %+v, %v", c.csv, recs, err)
		}
		if got := recs[0].Input.OriginalURL; got != c.want {
			t.Errorf("%q: original_url %q, want %q", c.csv, got, c.want)
		}
	}
	recs, err := links.ReadImport(strings.NewReader("original_url,keyword,custom_alias\nhttps://example.com/a,kw,own\n"), true)
	if err != nil || len(recs) != 1 {
		t.Fatalf("%+v, %v", recs, err)
	}
	if a := recs[0].Input.CustomAlias; a == nil || *a != "own" {
		t.Errorf("custom_alias %v, want own", a)
	}
}

// Line ends of every kind split records: LF, CRLF and the lone CR of old
// Mac files; a CRLF inside a quoted cell stays in the cell.
func TestReadImportLineEnds(t *testing.T) {
	for _, nl := range []string{"\n", "\r\n", "\r"} {
		csv := "original_url,title" + nl + "https://example.com/1,One" + nl + "https://example.com/2,\"Two" + nl + "lines\"" + nl
		recs, err := links.ReadImport(strings.NewReader(csv), true)
		if err != nil || len(recs) != 2 {
			t.Fatalf("%q: %d records, %v; want 2", nl, len(recs), err)
		}
		if got := recs[1].Input.OriginalURL; got != "https://example.com/2" {
			t.Errorf("%q: second record's URL %q", nl, got)
		}
		if got := recs[1].Input.Title; got == nil || *got != "Two\nlines" {
			t.Errorf("%q: second record's title %q, want a line break in it", nl, deref(got))
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}
