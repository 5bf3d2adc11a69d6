package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// download is the writer of a streamed file answer (a CSV or NDJSON
// export). Its headers and 200 go out with the first bytes, so that an
// error found before (a bad query) can still be a problem; each write
// pushes the connection's write deadline on, so a long export is not cut
// by the server's WriteTimeout while it makes progress.
type download struct {
	w           http.ResponseWriter
	rc          *http.ResponseController
	contentType string
	filename    string
	started     bool
	extended    time.Time // when the deadline was last pushed
}

// downloadDeadline is how long one write may take; writeEvery how often
// the deadline is pushed on (not on every write: each push is a syscall
// on the connection's timer).
const (
	downloadDeadline = 30 * time.Second
	writeEvery       = time.Second
)

func newDownload(w http.ResponseWriter, contentType, filename string) *download {
	return &download{w: w, rc: http.NewResponseController(w), contentType: contentType, filename: filename}
}

// Write sends p, starting the answer first.
func (d *download) Write(p []byte) (int, error) {
	d.start()
	d.alive()
	return d.w.Write(p)
}

// alive pushes the write deadline on, at most once per writeEvery. The
// export calls it for every row it produces, not only when bytes go out:
// rows wait in the encoder's buffer, and a slow source may take longer
// than WriteTimeout to fill it.
func (d *download) alive() {
	if now := time.Now(); now.Sub(d.extended) >= writeEvery {
		d.extended = now
		// Not every writer supports deadlines (httptest's recorder);
		// then the server has none to push either.
		_ = d.rc.SetWriteDeadline(now.Add(downloadDeadline))
	}
}

// start sends the headers and the 200, once.
func (d *download) start() {
	if d.started {
		return
	}
	d.started = true
	h := d.w.Header()
	h.Set("Content-Type", d.contentType)
	h.Set("Content-Disposition", `attachment; filename="`+d.filename+`"`)
	h.Set("Cache-Control", "no-store")
	d.w.WriteHeader(http.StatusOK)
}

// finish ends the answer after the export returned err: a problem when
// nothing was sent yet; else a failure half-way is logged and the
// connection aborted, so that the client sees a broken transfer rather
// than a file that merely looks short.
func (s *Server) finish(ctx context.Context, d *download, err error) {
	switch {
	case err == nil:
		d.start() // an empty export still has its headers
	case !d.started:
		writeProblem(d.w, problemOf(ctx, s.logger, err))
	default:
		if ctx.Err() == nil {
			s.logger.ErrorContext(ctx, "export failed half-way", slog.Any("error", err))
		}
		panic(http.ErrAbortHandler)
	}
}
