package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/links"
)

type exportInput struct {
	LinkFilter
}

// csvResponse documents a streamed CSV answer in the OpenAPI document. It
// is made anew for each registration: huma adds the operation's error
// responses to the map, and servers built side by side (tests) must not
// share it.
func csvResponse() map[string]*huma.Response {
	return map[string]*huma.Response{"200": {
		Description: "CSV, streamed.",
		Content:     map[string]*huma.MediaType{"text/csv; charset=utf-8": {Schema: &huma.Schema{Type: "string"}}},
	}}
}

// registerExport registers GET /api/v1/urls/export: the caller's links
// that the list's filters select, as CSV, streamed row by row.
func (s *Server) registerExport(api huma.API) {
	registerOp(api, shortener.RateGeneral, shortener.ScopeLinksRead, streamed(huma.Operation{
		OperationID: "export-links", Method: http.MethodGet, Path: "/api/v1/urls/export", Tags: []string{"links"},
		Summary: "Export your links as CSV",
		Description: "The list's filters apply (paging does not). Header row: " + strings.Join(links.ExportHeader, ",") +
			"; tags joined with |, domain the host of the link's domain; a cell beginning with =, +, -, @, tab or CR " +
			"is prefixed with '.",
		Security: bearerSecurity, Responses: csvResponse(), Errors: []int{401, 403, 422, 429},
	}), func(ctx context.Context, in *exportInput) (*huma.StreamResponse, error) {
		caller, err := s.caller(ctx, true)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &huma.StreamResponse{Body: func(hctx huma.Context) {
			_, w := humago.Unwrap(hctx)
			d := s.newDownload(w, "text/csv; charset=utf-8", "links.csv")
			ctx, release := d.watch(ctx)
			defer release()
			// The header waits in the writer's buffer: nothing reaches d
			// before the first rows, so a refused query is still a problem.
			ew, err := links.NewExportWriter(d, s.links.ShortURL)
			if err == nil {
				err = s.organiser.Export(ctx, caller, in.query(), func(l *shortener.Link) error {
					d.alive()
					return ew.Write(l)
				})
			}
			if err == nil {
				err = ew.Flush()
			}
			s.finish(ctx, d, err)
		}}, nil
	})
}
