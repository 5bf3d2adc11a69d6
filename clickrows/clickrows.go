// Package clickrows writes raw clicks as export rows, CSV or NDJSON: the
// format the API's clicks export and the web app's download share.
package clickrows

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"time"

	"github.com/shortener-dev/shortener"
)

// Columns is the header row of a clicks CSV export (API.md,
// "Organising links"): no IP, no visitor hash.
var Columns = []string{"time", "referrer_host", "country", "browser", "os", "device", "is_bot", "target"}

// Rows writes click rows in one of the export formats.
type Rows interface {
	// Write writes one click.
	Write(c shortener.ClickEvent) error
	// Flush writes what is buffered (a CSV's header even without rows)
	// and returns the first write error.
	Flush() error
}

// New returns a writer of click rows to w: "ndjson" for one
// JSON object per line, anything else CSV with Columns as header.
// Nothing reaches w before the first row or Flush.
func New(w io.Writer, format string) Rows {
	if format == "ndjson" {
		return &ndjsonRows{enc: json.NewEncoder(w)}
	}
	return &csvRows{w: csv.NewWriter(w), row: make([]string, len(Columns))}
}

type ndjsonRows struct{ enc *json.Encoder }

func (n *ndjsonRows) Write(c shortener.ClickEvent) error {
	return n.enc.Encode(shortener.EventClickOf(c))
}
func (n *ndjsonRows) Flush() error { return nil }

type csvRows struct {
	w      *csv.Writer
	header bool
	row    []string
}

func (c *csvRows) Write(e shortener.ClickEvent) error {
	if err := c.writeHeader(); err != nil {
		return err
	}
	r := append(c.row[:0], e.OccurredAt.UTC().Format(time.RFC3339Nano), e.Referrer, e.Country, e.Browser,
		e.OS, e.Device, strconv.FormatBool(e.IsBot), e.Target)
	for i, cell := range r {
		r[i] = shortener.SafeCSVCell(cell)
	}
	return c.w.Write(r)
}

func (c *csvRows) writeHeader() error {
	if c.header {
		return nil
	}
	c.header = true
	return c.w.Write(Columns)
}

func (c *csvRows) Flush() error {
	if err := c.writeHeader(); err != nil {
		return err
	}
	c.w.Flush()
	return c.w.Error()
}
