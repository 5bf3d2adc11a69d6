package links

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/shortener-dev/shortener"
)

// ImportRecord is one record of a CSV import: the create it asks for, or
// why it cannot be read. Record counts CSV records, the header being 0.
type ImportRecord struct {
	Record int
	Input  CreateInput
	Err    error
}

// importColumns maps the header names an import accepts (normalised by
// columnKey) to the create field they fill: ours, and those of Bitly,
// YOURLS and Shlink exports.
var importColumns = map[string]string{
	"original_url": "original_url", "url": "original_url", "long_url": "original_url",
	"custom_alias": "custom_alias", "short_code": "custom_alias", "keyword": "custom_alias",
	"title": "title", "tags": "tags", "expires_at": "expires_at", "domain": "domain",
	"is_public": "is_public", "is_active": "is_active",
}

// columnKey normalises a header name: trimmed, camelCase split and
// spaces made underscores, lower-cased ("Long URL" and "longUrl" are
// long_url).
func columnKey(name string) string {
	var b strings.Builder
	name = strings.TrimSpace(name)
	for i, r := range name {
		switch {
		case r == ' ' || r == '-':
			b.WriteByte('_')
		case unicode.IsUpper(r) && i > 0 && unicode.IsLower(rune(name[i-1])):
			b.WriteByte('_')
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// ReadImport reads a CSV file with a header row (a UTF-8 byte order mark,
// CRLF line ends and the lone CR of old Mac files accepted) into one
// record per CSV record. Columns
// other than those of importColumns are ignored; without aliases, the
// alias columns are too (the links get generated codes). A record with
// more or fewer fields than the header is refused on its own (an unquoted
// comma would shift its cells into the wrong fields). Returns EINVALID
// when the file has no header or no original_url column: then nothing
// is imported.
func ReadImport(r io.Reader, aliases bool) ([]ImportRecord, error) {
	br := bufio.NewReader(r)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xEF\xBB\xBF")) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(loneCR{br})
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, shortener.Invalid("body", "the CSV file must start with a header row naming its columns", nil)
	}
	fields := make([]string, len(header))
	hasURL := false
	// A field named by more than one column (original_url and url) is
	// read from its own name's column, else from the first.
	filledBy := map[string]int{}
	for i, h := range header {
		key := columnKey(h)
		fields[i] = importColumns[key]
		if fields[i] == "custom_alias" && !aliases {
			fields[i] = ""
		}
		if fields[i] == "" {
			continue
		}
		if j, seen := filledBy[fields[i]]; seen {
			if key != fields[i] || columnKey(header[j]) == fields[i] {
				fields[i] = ""
				continue
			}
			fields[j] = ""
		}
		filledBy[fields[i]] = i
		hasURL = hasURL || fields[i] == "original_url"
	}
	if !hasURL {
		return nil, shortener.Invalid("body", "the header row needs an original_url column (or url, long_url)", strings.Join(header, ","))
	}
	var out []ImportRecord
	for n := 1; ; n++ {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		rec := ImportRecord{Record: n}
		var perr *csv.ParseError
		switch {
		case errors.As(err, &perr):
			rec.Err = shortener.Invalid("body", fmt.Sprintf("this record is not valid CSV: %v", perr.Err), nil)
		case err != nil:
			return nil, err
		case len(row) != len(header):
			rec.Err = shortener.Invalid("body", fmt.Sprintf(
				"this record has %d fields where the header has %d: quote a cell that holds a comma", len(row), len(header)), nil)
		default:
			rec.Input, rec.Err = importInput(fields, row)
		}
		out = append(out, rec)
	}
}

// loneCR reads a CR that no LF follows as an LF: Go's CSV reader ends
// lines at LF only, and a file saved as "CSV (Macintosh)" would be read
// as one long header with no records. (A CR inside a quoted cell becomes
// a line break too.)
type loneCR struct{ r *bufio.Reader }

func (l loneCR) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if n > 0 && l.r.Buffered() == 0 {
			break // what is here, without waiting for more
		}
		b, err := l.r.ReadByte()
		if err != nil {
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
		if b == '\r' {
			if next, err := l.r.Peek(1); err != nil || next[0] != '\n' {
				b = '\n'
			}
		}
		p[n] = b
		n++
	}
	return n, nil
}

// importInput is the create that a CSV row asks for; an empty cell leaves
// its field out. Cells are trimmed, but for the title, which keeps its
// spaces as a JSON create does.
func importInput(fields, row []string) (CreateInput, error) {
	var in CreateInput
	for i, raw := range row {
		if i >= len(fields) || fields[i] == "" {
			continue
		}
		cell := shortener.UnsafeCSVCell(strings.TrimSpace(raw))
		if cell == "" {
			continue
		}
		switch fields[i] {
		case "original_url":
			in.OriginalURL = cell
		case "custom_alias":
			in.CustomAlias = &cell
		case "title":
			title := shortener.UnsafeCSVCell(raw)
			in.Title = &title
		case "is_public", "is_active":
			b, err := strconv.ParseBool(cell)
			if err != nil {
				return in, shortener.Invalid("body."+fields[i], fields[i]+" must be true or false", cell)
			}
			if fields[i] == "is_public" {
				in.IsPublic = &b
			} else {
				in.Disabled = !b
			}
		case "domain":
			in.Domain = &cell
		case "tags":
			tags := strings.Split(cell, TagSeparator)
			for k := range tags {
				tags[k] = strings.TrimSpace(tags[k])
			}
			in.Tags = &tags
		case "expires_at":
			t, err := time.Parse(time.RFC3339, cell)
			if err != nil || !shortener.HasRFC3339Offset(t) {
				return in, shortener.Invalid("body.expires_at", "expires_at must be an RFC 3339 timestamp", cell)
			}
			t = shortener.StoredTime(t)
			in.ExpiresAt = &t
		}
	}
	return in, nil
}
