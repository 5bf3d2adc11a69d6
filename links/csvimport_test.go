package links_test

import (
	"strings"
	"testing"
	"time"

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

// An expires_at is read as the stores keep it (UTC, microseconds), and an
// offset of 24 hours, which Go's parser reads, is refused as RFC 3339 does.
func TestReadImportExpiresAt(t *testing.T) {
	recs, err := links.ReadImport(strings.NewReader("original_url,expires_at\n"+
		"https://example.com/1,2999-01-01T00:00:00.123456789+01:00\n"+
		"https://example.com/2,2999-01-01T00:00:00+24:00\n"), true)
	if err != nil || len(recs) != 2 {
		t.Fatalf("%+v, %v", recs, err)
	}
	if got := recs[0].Input.ExpiresAt; recs[0].Err != nil || got == nil || got.Format(time.RFC3339Nano) != "2998-12-31T23:00:00.123456Z" {
		t.Errorf("first: %v, %v; want 2998-12-31T23:00:00.123456Z", got, recs[0].Err)
	}
	if recs[1].Err == nil {
		t.Errorf("an offset of +24:00 was read: %v", recs[1].Input.ExpiresAt)
	}
}

// A record with more or fewer fields than the header is refused on its
// own: an unquoted comma would shift its cells into other fields.
func TestReadImportRaggedRecords(t *testing.T) {
	recs, err := links.ReadImport(strings.NewReader("url,title,tags\n"+
		"https://example.com/rag,Hello, world,news\n"+
		"https://example.com/short,Short\n"+
		"https://example.com/ok,\"Hello, world\",news\n"), true)
	if err != nil || len(recs) != 3 {
		t.Fatalf("%+v, %v", recs, err)
	}
	for _, i := range []int{0, 1} {
		if recs[i].Err == nil {
			t.Errorf("record %d, of the wrong number of fields, was read: %+v", recs[i].Record, recs[i].Input)
		}
	}
	if got := recs[2].Input.Title; recs[2].Err != nil || got == nil || *got != "Hello, world" {
		t.Errorf("the quoted record: title %q, %v", deref(got), recs[2].Err)
	}
}

// is_public and is_active, which the export writes, are read back; the
// title keeps its spaces as a JSON create keeps them, where the other
// cells are trimmed.
func TestReadImportRoundTripFields(t *testing.T) {
	recs, err := links.ReadImport(strings.NewReader("original_url,title,is_public,is_active\n"+
		" https://example.com/1 ,  padded  ,false,false\n"+
		"https://example.com/2,,TRUE,true\n"+
		"https://example.com/3,,,\n"+
		"https://example.com/4,,maybe,\n"), true)
	if err != nil || len(recs) != 4 {
		t.Fatalf("%+v, %v", recs, err)
	}
	first := recs[0].Input
	if recs[0].Err != nil || first.OriginalURL != "https://example.com/1" || deref(first.Title) != "  padded  " ||
		first.IsPublic == nil || *first.IsPublic || !first.Disabled {
		t.Errorf("first: %+v, %v; want the URL trimmed, the title not, private and disabled", first, recs[0].Err)
	}
	if second := recs[1].Input; recs[1].Err != nil || second.IsPublic == nil || !*second.IsPublic || second.Disabled {
		t.Errorf("second: %+v, %v; want public and active", second, recs[1].Err)
	}
	if third := recs[2].Input; recs[2].Err != nil || third.IsPublic != nil || third.Disabled {
		t.Errorf("third: %+v, %v; want the defaults", third, recs[2].Err)
	}
	if recs[3].Err == nil {
		t.Errorf("is_public %q was read: %+v", "maybe", recs[3].Input)
	}
}
