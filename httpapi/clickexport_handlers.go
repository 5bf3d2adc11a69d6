package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/clickrows"
)

type clickExportInput struct {
	Code   string `path:"short_code"`
	Domain string `query:"domain" doc:"Host of the link's domain; default: the default domain."`
	From   string `query:"from" doc:"RFC 3339 (a lower-case t or z is fine; no offset means UTC); default 30 days before to."`
	To     string `query:"to" doc:"RFC 3339, excluded; default now. At most 366 days after from."`
	Format string `query:"format" enum:"csv,ndjson" default:"csv"`
}

// Resolve refuses a parameter given without a value (?format=).
func (in *clickExportInput) Resolve(ctx huma.Context) []error {
	return emptyParams(ctx, "domain", "from", "to", "format")
}

// registerClickExport registers GET /api/v1/analytics/{code}/clicks: the
// link's raw clicks in time order, streamed, without IP or visitor hash.
func (s *Server) registerClickExport(api huma.API) {
	if s.clickExports == nil {
		return
	}
	registerOp(api, shortener.RateGeneral, shortener.ScopeAnalyticsRead, streamed(huma.Operation{
		OperationID: "export-clicks", Method: http.MethodGet, Path: "/api/v1/analytics/{short_code}/clicks",
		Tags: []string{"analytics"}, Summary: "Export a link's clicks", Security: bearerSecurity,
		Description: "Owner or admin. Rows time, referrer_host, country, browser, os, device, is_bot, target in " +
			"time order, as CSV (header row first) or NDJSON (one object per line); no IP, no visitor hash. " +
			"Raw clicks older than CLICK_RETENTION_DAYS are gone (the summary still counts them).",
		Responses: map[string]*huma.Response{"200": {Description: "Streamed.", Content: map[string]*huma.MediaType{
			"text/csv; charset=utf-8": {Schema: &huma.Schema{Type: "string"}},
			"application/x-ndjson":    {Schema: &huma.Schema{Type: "string"}},
		}}},
		Errors: []int{401, 404, 422, 429},
	}), func(ctx context.Context, in *clickExportInput) (*huma.StreamResponse, error) {
		caller, err := s.caller(ctx, true)
		if err == nil {
			err = checkCode(in.Code)
		}
		var from, to time.Time
		if err == nil {
			from, to, err = timeRange(in.From, in.To)
		}
		d := defaultDomain
		if err == nil {
			d, err = s.domainParam(in.Domain)
		}
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &huma.StreamResponse{Body: func(hctx huma.Context) {
			_, w := humago.Unwrap(hctx)
			contentType, ext := "text/csv; charset=utf-8", ".csv"
			if in.Format == "ndjson" {
				contentType, ext = "application/x-ndjson", ".ndjson"
			}
			dl := s.newDownload(w, contentType, in.Code+"-clicks"+ext)
			ctx, release := dl.watch(ctx)
			defer release()
			rows := clickrows.New(dl, in.Format)
			err := s.clickExports.ExportClicks(ctx, caller, d.ID, in.Code, from, to, func(c shortener.ClickEvent) error {
				dl.alive()
				return rows.Write(c)
			})
			if err == nil {
				err = rows.Flush()
			}
			s.finish(ctx, dl, err)
		}}, nil
	})
}

// timeRange reads the from and to of a clicks export; "" is zero.
func timeRange(from, to string) (f, t time.Time, err error) {
	parse := func(loc, v string) (time.Time, error) {
		if v == "" {
			return time.Time{}, nil
		}
		// As in a body (types.go): a lower-case t or z, no offset for UTC.
		t, err := parseTimestamp(v)
		if err != nil {
			return t, shortener.Invalid(loc, "must be an RFC 3339 timestamp", v)
		}
		return t, shortener.CheckTimestamp(loc, loc[len("query."):], t)
	}
	f, errF := parse("query.from", from)
	t, errT := parse("query.to", to)
	return f, t, shortener.JoinInvalid(errF, errT)
}
