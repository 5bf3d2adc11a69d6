package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/shortener-dev/shortener"
)

// Summary is the body of GET /api/v1/analytics/{short_code}/summary. The
// names Summary, DailyStat and TopItem are also the schema names of the
// OpenAPI document, which clients generate their types from: keep them.
type Summary struct {
	ShortCode      string      `json:"short_code"`
	PeriodDays     int         `json:"period_days" doc:"Length of the period in UTC days, today included."`
	TotalClicks    int64       `json:"total_clicks" doc:"Human clicks in the period."`
	UniqueVisitors int64       `json:"unique_visitors" doc:"Sum of the days' unique visitors (the visitor hash changes each UTC day)."`
	BotClicks      int64       `json:"bot_clicks" doc:"Clicks by bots, counted here only."`
	DailyStats     []DailyStat `json:"daily_stats" doc:"One row per day of the period, zeros included, oldest first."`
	TopReferrers   []TopItem   `json:"top_referrers" doc:"Referrer hosts; (direct) for none. At most 10 rows, largest first."`
	TopCountries   []TopItem   `json:"top_countries" doc:"ISO 3166 alpha-2 codes; unknown when not known."`
	TopBrowsers    []TopItem   `json:"top_browsers"`
	TopOS          []TopItem   `json:"top_os"`
	TopDevices     []TopItem   `json:"top_devices" doc:"desktop, mobile, tablet or other."`
	TopTargets     []TopItem   `json:"top_targets" doc:"The URLs redirected to (a rule's, a variant's or the link's own), before query forwarding."`
}

// DailyStat is one UTC day of a Summary.
type DailyStat struct {
	Date           string `json:"date" doc:"The UTC day, YYYY-MM-DD."`
	Clicks         int64  `json:"clicks"`
	UniqueVisitors int64  `json:"unique_visitors"`
}

// TopItem is one row of a top list.
type TopItem struct {
	Label      string  `json:"label"`
	Count      int64   `json:"count"`
	Percentage float64 `json:"percentage" doc:"Share of total_clicks, one decimal."`
}

// summaryBody converts a summary to its body. Every list is made non-nil,
// so that an empty one is [] and never null.
func summaryBody(s *shortener.ClickSummary) *Summary {
	b := &Summary{
		ShortCode: s.ShortCode, PeriodDays: s.PeriodDays,
		TotalClicks: s.TotalClicks, UniqueVisitors: s.UniqueVisitors, BotClicks: s.BotClicks,
		DailyStats:   make([]DailyStat, len(s.DailyStats)),
		TopReferrers: topItems(s.TopReferrers), TopCountries: topItems(s.TopCountries),
		TopBrowsers: topItems(s.TopBrowsers), TopOS: topItems(s.TopOS), TopDevices: topItems(s.TopDevices),
		TopTargets: topItems(s.TopTargets),
	}
	for i, d := range s.DailyStats {
		b.DailyStats[i] = DailyStat(d)
	}
	return b
}

func topItems(items []shortener.TopItem) []TopItem {
	out := make([]TopItem, len(items))
	for i, it := range items {
		out[i] = TopItem(it)
	}
	return out
}

type summaryInput struct {
	Code   string `path:"short_code"`
	Domain string `query:"domain" doc:"Host of the link's domain; default: the default domain."`
	Days   int    `query:"days" minimum:"1" maximum:"365" doc:"Length of the period in UTC days, today included (default 30). Not with from/to."`
	From   string `query:"from" format:"date" doc:"First UTC day (YYYY-MM-DD), with to, instead of days."`
	To     string `query:"to" format:"date" doc:"Last UTC day (YYYY-MM-DD), included; at most 366 days from from."`
}

// Resolve refuses a parameter given without a value (?days=).
func (in *summaryInput) Resolve(ctx huma.Context) []error {
	return emptyParams(ctx, "domain", "days", "from", "to")
}

// defaultSummaryDays is the period of a summary that names none.
const defaultSummaryDays = 30

// summary answers the period in asks for, days or from and to, of the
// link on the domain with ID domainID.
func (s *Server) summary(ctx context.Context, caller *shortener.User, domainID string, in *summaryInput) (*shortener.ClickSummary, error) {
	if in.From == "" && in.To == "" {
		days := in.Days
		if days == 0 {
			days = defaultSummaryDays
		}
		return s.summaries.Summary(ctx, caller, domainID, in.Code, days)
	}
	first, errFrom := dayParam("query.from", "from", in.From)
	last, errTo := dayParam("query.to", "to", in.To)
	var errDays error
	if in.Days != 0 {
		errDays = shortener.Invalid("query.days", "give days or from and to, not both", in.Days)
	}
	if err := shortener.JoinInvalid(errFrom, errTo, errDays); err != nil {
		return nil, err
	}
	return s.summaries.SummaryBetween(ctx, caller, domainID, in.Code, first, last)
}

// dayParam reads a YYYY-MM-DD query value as its UTC midnight.
func dayParam(location, name, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, shortener.Invalid(location, name+" is required with "+map[string]string{"from": "to", "to": "from"}[name], nil)
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, shortener.Invalid(location, name+" must be a date YYYY-MM-DD", v)
	}
	return t, nil
}

func (s *Server) registerAnalytics(api huma.API) {
	registerOp(api, shortener.RateGeneral, shortener.ScopeAnalyticsRead, huma.Operation{
		OperationID: "analytics-summary", Method: http.MethodGet, Path: "/api/v1/analytics/{short_code}/summary",
		Tags: []string{"analytics"}, Summary: "Click summary of a link", Security: bearerSecurity,
		Description: "Owner or admin. Human clicks only in totals and top lists; bots counted apart. " +
			"Computed from daily rollups and cached until new clicks are flushed (at most ANALYTICS_CACHE_TTL).",
		Errors: []int{401, 404, 422, 429},
	}, func(ctx context.Context, in *summaryInput) (*struct{ Body *Summary }, error) {
		caller, err := s.caller(ctx, true)
		if err == nil {
			err = checkCode(in.Code)
		}
		d := defaultDomain
		if err == nil {
			d, err = s.domainParam(in.Domain)
		}
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		sum, err := s.summary(ctx, caller, d.ID, in)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct{ Body *Summary }{summaryBody(sum)}, nil
	})
}
