package links

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/shortener-dev/shortener"
)

// ExportHeader is the header row of a links CSV export (API.md,
// "Organising links", and the domain column of "Domains"); ReadImport
// reads the same names.
var ExportHeader = []string{"short_code", "short_url", "original_url", "title", "tags",
	"created_at", "expires_at", "is_active", "is_public", "click_count", "domain"}

// TagSeparator joins a link's tags in one CSV cell.
const TagSeparator = "|"

// ExportWriter writes links as CSV rows, the header first.
type ExportWriter struct {
	w        *csv.Writer
	shortURL func(*shortener.Link) string
	row      []string
}

// NewExportWriter writes the header to w and returns a writer for the
// rows; shortURL makes a link's short URL.
func NewExportWriter(w io.Writer, shortURL func(*shortener.Link) string) (*ExportWriter, error) {
	cw := csv.NewWriter(w)
	if err := cw.Write(ExportHeader); err != nil {
		return nil, err
	}
	return &ExportWriter{w: cw, shortURL: shortURL, row: make([]string, len(ExportHeader))}, nil
}

// Write writes the row of l.
func (e *ExportWriter) Write(l *shortener.Link) error {
	title, expires := "", ""
	if l.Title != nil {
		title = *l.Title
	}
	if l.ExpiresAt != nil {
		expires = l.ExpiresAt.UTC().Format(time.RFC3339Nano)
	}
	row := append(e.row[:0], l.ShortCode, e.shortURL(l), l.OriginalURL, title,
		strings.Join(l.Tags, TagSeparator), l.CreatedAt.UTC().Format(time.RFC3339Nano), expires,
		strconv.FormatBool(l.IsActive), strconv.FormatBool(l.IsPublic), strconv.FormatInt(l.ClickCount, 10), l.Domain)
	return WriteCSVRow(e.w, row)
}

// Flush writes what is buffered and returns the first write error.
func (e *ExportWriter) Flush() error {
	e.w.Flush()
	return e.w.Error()
}

// WriteCSVRow writes row with every cell made safe for spreadsheets
// (shortener.SafeCSVCell); row is changed in place.
func WriteCSVRow(w *csv.Writer, row []string) error {
	for i, c := range row {
		row[i] = shortener.SafeCSVCell(c)
	}
	return w.Write(row)
}
