package web

import (
	"errors"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/clickrows"
	"github.com/shortener-dev/shortener/links"
)

// The CSV export and import of the link list (API.md, "Organising
// links"), for people who move their links with a file rather than the API.

// defaultMaxImport is MAX_IMPORT_BYTES' default.
const defaultMaxImport = 10 << 20

// exportLinks downloads the list's links as the API's CSV export, with
// the list's filters.
func (a *App) exportLinks(w http.ResponseWriter, r *http.Request) {
	user := visitOf(r).user
	out := &csvAnswer{w: w, filename: "links.csv"}
	q, bad := listQuery(r.URL.Query(), user.IsAdmin())
	ew, err := links.NewExportWriter(out, a.links.ShortURL)
	switch {
	case bad != nil:
		err = shortener.Invalid("query", "These filters cannot be used: "+strings.Join(slices.Sorted(maps.Values(bad)), " "), nil)
	case err == nil:
		err = a.organiser.Export(r.Context(), user, q, ew.Write)
	}
	if err == nil {
		err = ew.Flush()
	}
	a.endCSV(w, r, out, err)
}

// csvAnswer is the body of a CSV download: its headers go out with the
// first bytes, so that an export refused before then (a bad filter, a link
// one may not export) is still an error page.
type csvAnswer struct {
	w        http.ResponseWriter
	filename string // safe in a header: the app makes it
	started  bool
}

func (c *csvAnswer) Write(p []byte) (int, error) {
	if !c.started {
		c.started = true
		c.w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		c.w.Header().Set("Content-Disposition", `attachment; filename="`+c.filename+`"`)
		c.w.Header().Set("Cache-Control", "no-store") // a user's own links, as every signed-in page
	}
	return c.w.Write(p)
}

// endCSV ends a download after its export returned err: an error before
// any byte is the page's; one half-way aborts the connection, so that the
// browser reports a broken download rather than keeping a short file.
func (a *App) endCSV(w http.ResponseWriter, r *http.Request, out *csvAnswer, err error) {
	switch {
	case err == nil:
	case !out.started:
		a.failPage(w, r, err)
	case r.Context().Err() == nil:
		a.logger.ErrorContext(r.Context(), "web: export failed half-way", slog.Any("error", err))
		panic(http.ErrAbortHandler)
	}
}

// importView is the import page: the upload form, and after an upload
// the outcome of every record.
type importView struct {
	pageBase
	Form            *form
	Done            bool
	Created, Failed string
	Results         []importRow
	MaxSize         string
}

// importRow is one CSV record's outcome.
type importRow struct {
	Record  int
	OK      bool
	Link    linkRow
	Status  string   // "Created", "Alias taken", "Invalid", ...
	Reasons []string // the errors, in words
}

var importFields = []string{"file", "codes"}

func (a *App) importPage(w http.ResponseWriter, r *http.Request) {
	f := newForm(nil, importFields...)
	f.set("codes", "keep")
	a.renderImport(w, r, http.StatusOK, &importView{Form: f})
}

func (a *App) renderImport(w http.ResponseWriter, r *http.Request, status int, v *importView) {
	v.Title, v.Nav, v.MaxSize = "Import links", "links", bytesText(a.maxImport)
	a.render(w, r, status, "import", v)
}

// importLinks reads the uploaded CSV file and creates its links.
func (a *App) importLinks(w http.ResponseWriter, r *http.Request) {
	user := visitOf(r).user
	f := newForm(r, importFields...)
	v := &importView{Form: f}
	if err := a.admit(w, r, classUser, user); err != nil {
		a.renderImport(w, r, a.explain(r, f, err), v)
		return
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		f.fail("file", "Choose a CSV file to import.")
		a.renderImport(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	defer file.Close()
	results, err := a.organiser.Import(r.Context(), user, file, f.Value("codes") != "new")
	var e *shortener.Error
	switch {
	case errors.As(err, &e) && e.Code == shortener.EINVALID:
		// The file as a whole (no header, no URL column): said at the field.
		msg := e.Message
		if len(e.Fields) > 0 {
			msg = plainMessage(e.Fields[0].Message)
		}
		f.fail("file", msg)
		a.renderImport(w, r, http.StatusUnprocessableEntity, v)
		return
	case err != nil:
		a.renderImport(w, r, a.explain(r, f, err), v)
		return
	}
	now := a.clock()
	var created, failed int64
	for _, res := range results {
		row := importRow{Record: res.Record, OK: res.Err == nil}
		if row.OK {
			created++
			row.Link, row.Status = a.linkRow(res.Link, now), "Created"
		} else {
			failed++
			row.Status, row.Reasons = importFailure(res.Err)
		}
		v.Results = append(v.Results, row)
	}
	v.Done, v.Created, v.Failed = true, plural(created, "link created", "links created"), plural(failed, "record refused", "records refused")
	a.renderImport(w, r, http.StatusOK, v)
}

// importFailure says why a record was refused.
func importFailure(err error) (status string, reasons []string) {
	var e *shortener.Error
	if !errors.As(err, &e) {
		return "Not imported", []string{msgInternal}
	}
	switch e.Code {
	case shortener.ECONFLICT:
		status = "Alias taken"
	case shortener.EINVALID:
		status = "Invalid"
	default:
		return "Not imported", []string{shortener.ErrorMessage(err)}
	}
	for _, fe := range e.Fields {
		reasons = append(reasons, plainMessage(fe.Message))
	}
	if len(reasons) == 0 {
		reasons = []string{e.Message}
	}
	return status, reasons
}

// bytesText says a size in whole MiB, or KiB below one MiB.
func bytesText(n int64) string {
	if n >= 1<<20 {
		return thousands(n>>20) + " MiB"
	}
	return thousands(max(n>>10, 1)) + " KiB"
}

// exportClicks downloads the clicks of a link over the page's period as
// the API's clicks CSV.
func (a *App) exportClicks(w http.ResponseWriter, r *http.Request) {
	user := visitOf(r).user
	l, err := a.links.Get(r.Context(), user, r.PathValue("id"))
	if err == nil && !l.ManageableBy(user) {
		err = shortener.ErrLinkNotFound // a public link: readable, its clicks are not
	}
	if err != nil {
		a.failPage(w, r, err)
		return
	}
	days := periodDays(r.URL.Query().Get("days"))
	to := a.clock()
	from := to.Truncate(24*time.Hour).AddDate(0, 0, -(days - 1))
	out := &csvAnswer{w: w, filename: l.ShortCode + "-clicks.csv"}
	rows := clickrows.New(out, "csv")
	err = a.clicksCSV.ExportClicks(r.Context(), user, l.DomainID, l.ShortCode, from, to.Add(time.Second), rows.Write)
	if err == nil {
		err = rows.Flush()
	}
	a.endCSV(w, r, out, err)
}
