package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/shortener-dev/shortener/analytics"
)

type summaryInput struct {
	Code string `path:"short_code"`
	Days int    `query:"days" minimum:"1" maximum:"365" default:"30" doc:"Length of the period in UTC days, today included."`
}

func (s *Server) registerAnalytics(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "analytics-summary", Method: http.MethodGet, Path: "/api/v1/analytics/{short_code}/summary",
		Tags: []string{"analytics"}, Summary: "Click summary of a link", Security: bearerSecurity,
		Description: "Owner or admin. Human clicks only in totals and top lists; bots counted apart. " +
			"Computed from daily rollups and cached until new clicks are flushed (at most ANALYTICS_CACHE_TTL).",
		Errors: []int{401, 404, 422, 429},
	}, func(ctx context.Context, in *summaryInput) (*struct{ Body *analytics.Summary }, error) {
		caller, err := s.caller(ctx, true)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		sum, err := s.analytics.Summary(ctx, caller, in.Code, in.Days)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct{ Body *analytics.Summary }{sum}, nil
	})
}
