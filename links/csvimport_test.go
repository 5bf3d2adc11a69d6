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
