package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/shortener-dev/shortener"
)

// The filter bar of the link list: search, tag, state and sort, as query
// parameters of /app (q, tag, state, sort), which the export takes too.

// filterView is what the filter bar shows.
type filterView struct {
	Q, Tag, State, Sort string
	// Errors are the search's and tag's (q, tag) that the API would
	// refuse, shown next to their fields; the list is then not loaded.
	Errors   map[string]string
	MoreTags []string // the tags after the first, kept by the filter bar as hidden fields
	Tags     []choice // the user's tags, for the select; nil without an Organiser
	Active   bool     // some filter is set
	Export   string   // the export's address with these filters; "" without an Organiser
	Clear    string   // the list without filters
}

// stateChoices and sortChoices are the filter bar's selects.
var (
	stateChoices = []choice{{"", "Any state"}, {"active", "Active"}, {"disabled", "Disabled"}, {"expired", "Expired"}}
	sortChoices  = []choice{
		{"-created_at", "Newest first"}, {"created_at", "Oldest first"},
		{"-click_count", "Most clicks"}, {"click_count", "Fewest clicks"},
		{"title", "Title A–Z"}, {"-title", "Title Z–A"},
	}
)

// readFilters reads the filters of a list URL's query into lq. A search
// or tag that the API would refuse is kept as typed and its reason
// returned by parameter (q, tag), for the filter bar to show; a state or
// sort of no choice (only a made-up address has one) is left out.
func readFilters(q url.Values, lq *ListQuery) map[string]string {
	var bad map[string]string
	refuse := func(param string, err error) {
		if bad == nil {
			bad = map[string]string{}
		}
		var e *shortener.Error
		if errors.As(err, &e) && len(e.Fields) > 0 {
			bad[param] = plainMessage(e.Fields[0].Message)
		}
	}
	lq.Search = strings.TrimSpace(q.Get("q"))
	if err := shortener.CheckSearch("query.q", lq.Search); err != nil {
		refuse("q", err)
	}
	// Every tag named, as the API's list takes them: a link must have all.
	// An empty one is the tag select's "Any tag", which the form sends as
	// tag= (beside the hidden fields of the other tags chosen).
	ts := slices.DeleteFunc(slices.Clone(q["tag"]), func(t string) bool { return strings.TrimSpace(t) == "" })
	if len(ts) > 0 {
		tags, err := shortener.NormalizeTags("query.tag", ts)
		if err != nil {
			tags = ts
			refuse("tag", err)
		}
		lq.Tags = tags
	}
	yes, no := true, false
	switch q.Get("state") {
	case "active":
		lq.Active, lq.Expired = &yes, &no
	case "disabled":
		lq.Active = &no
	case "expired":
		lq.Expired = &yes
	}
	if shortener.CheckLinkSort("query.sort", q.Get("sort")) == nil {
		lq.Sort = q.Get("sort")
	}
	return bad
}

// stateOf is the state filter that lq's Active and Expired stand for.
func stateOf(lq ListQuery) string {
	switch {
	case lq.Expired != nil && *lq.Expired:
		return "expired"
	case lq.Active != nil && !*lq.Active:
		return "disabled"
	case lq.Active != nil:
		return "active"
	}
	return ""
}

// filterValues are the query parameters of lq's filters.
func filterValues(lq ListQuery) url.Values {
	v := url.Values{}
	if lq.Search != "" {
		v.Set("q", lq.Search)
	}
	if len(lq.Tags) > 0 {
		v["tag"] = lq.Tags
	}
	if st := stateOf(lq); st != "" {
		v.Set("state", st)
	}
	if lq.Sort != "" && lq.Sort != string(shortener.SortNewest) {
		v.Set("sort", lq.Sort)
	}
	return v
}

func (a *App) filterView(r *http.Request, user *shortener.User, lq ListQuery) filterView {
	f := filterView{Q: lq.Search, State: stateOf(lq), Sort: lq.Sort, Clear: "/app"}
	if len(lq.Tags) > 0 {
		f.Tag, f.MoreTags = lq.Tags[0], lq.Tags[1:]
	}
	values := filterValues(lq)
	f.Active = len(values) > 0 && !(len(values) == 1 && values.Has("sort"))
	if lq.AllOwners {
		f.Clear = "/app?all=1"
		values.Set("all", "1")
	}
	if a.organiser == nil {
		return f
	}
	f.Export = "/app/export"
	if len(values) > 0 {
		f.Export += "?" + values.Encode()
	}
	f.Tags = a.tagChoices(r.Context(), user, f.Tag)
	return f
}

// tagChoices are the user's tags for the filter's select, with the one
// chosen kept even when no link carries it any more.
func (a *App) tagChoices(ctx context.Context, user *shortener.User, chosen string) []choice {
	tags, err := a.organiser.Tags(ctx, user)
	if err != nil {
		a.logger.WarnContext(ctx, "web: tags for the filter", slog.Any("error", err))
	}
	out := []choice{{"", "Any tag"}}
	for _, t := range tags {
		out = append(out, choice{t.Tag, t.Tag + " (" + thousands(int64(t.Links)) + ")"})
	}
	if chosen != "" && !slices.ContainsFunc(out, func(c choice) bool { return c.Value == chosen }) {
		out = append(out, choice{chosen, chosen})
	}
	return out
}
