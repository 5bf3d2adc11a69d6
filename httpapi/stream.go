package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/shortener-dev/shortener"
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
	pause       time.Duration // the longest pause between two rows: the request timeout
	extended    time.Time     // when the deadline was last pushed
	idle        *time.Timer   // ends the export's work after a pause (watch)
}

// writeEvery is how often the deadline is pushed on (not on every write:
// each push is a syscall on the connection's timer).
const writeEvery = time.Second

// newDownload starts a streamed answer, each write within the request
// timeout of the one before.
func (s *Server) newDownload(w http.ResponseWriter, contentType, filename string) *download {
	return &download{w: w, rc: http.NewResponseController(w), contentType: contentType, filename: filename,
		pause: s.requestTimeout}
}

// Write sends p, starting the answer first.
func (d *download) Write(p []byte) (int, error) {
	d.start()
	d.alive()
	return d.w.Write(p)
}

// alive pushes the deadlines on, at most once per writeEvery (or a
// quarter of the pause, if that is shorter). The export calls it for
// every row it produces, not only when bytes go out: rows wait in the
// encoder's buffer, and a slow source may take longer than WriteTimeout
// to fill it.
func (d *download) alive() {
	if now := time.Now(); now.Sub(d.extended) >= min(writeEvery, d.pause/4) {
		d.extended = now
		// Not every writer supports deadlines (httptest's recorder);
		// then the server has none to push either.
		_ = d.rc.SetWriteDeadline(now.Add(d.pause))
		if d.idle != nil {
			d.idle.Reset(d.pause)
		}
	}
}

// watch returns ctx ended, as by a deadline, once the export pauses for
// d.pause between two rows: a database that stops answering half-way
// would otherwise hold the export (and its connection) for as long as the
// client waits. The second result releases the watch.
func (d *download) watch(ctx context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	d.idle = time.AfterFunc(d.pause, func() { cancel(context.DeadlineExceeded) })
	return ctx, func() { d.idle.Stop(); cancel(nil) }
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
		switch {
		case shortener.TimedOut(ctx):
			s.logger.WarnContext(ctx, "export stalled half-way", slog.Any("error", err))
		case ctx.Err() == nil:
			s.logger.ErrorContext(ctx, "export failed half-way", slog.Any("error", err))
		}
		panic(http.ErrAbortHandler)
	}
}
