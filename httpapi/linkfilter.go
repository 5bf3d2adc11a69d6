package httpapi

import (
	"fmt"

	"github.com/danielgtaylor/huma/v2"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/links"
)

// LinkFilter is the query of the link list and the export (API.md,
// "Organising links").
type LinkFilter struct {
	Owner   string   `query:"owner" enum:"all" doc:"all: every user's links (admins only; 403 for others)."`
	Domain  string   `query:"domain" doc:"Only the links of the domain with this host (422 for a host that is no domain)."`
	Q       string   `query:"q" maxLength:"2048" doc:"Case-insensitive substring of the short code, title or original URL (at most 2048 characters, as an original URL)."`
	Tag     []string `query:"tag,explode" maxItems:"20" doc:"Repeatable; a link must carry every tag given."`
	Active  string   `query:"active" enum:"true,false" doc:"Only enabled (true) or disabled (false) links."`
	Expired string   `query:"expired" enum:"true,false" doc:"Only expired (true) or unexpired (false) links."`
	Sort    string   `query:"sort" enum:"created_at,-created_at,click_count,-click_count,title,-title" default:"-created_at" doc:"A leading - is descending. Titles compare case-insensitively, links without a title last. Ties: created_at, newest first."`
}

// Resolve refuses a filter given with no value (?active=, ?sort=, ?tag=):
// the list would answer unfiltered where API.md says anything but the
// listed values is 422. (An empty q is the empty substring: every link.)
func (in *LinkFilter) Resolve(ctx huma.Context) []error {
	errs := emptyParams(ctx, "owner", "domain", "active", "expired", "sort")
	u := ctx.URL()
	for i, v := range u.Query()["tag"] {
		if v == "" {
			errs = append(errs, &huma.ErrorDetail{Location: fmt.Sprintf("query.tag[%d]", i), Message: shortener.MsgTagForm, Value: v})
			break
		}
	}
	return errs
}

// query is the links service's query of the filter.
func (in *LinkFilter) query() links.ListQuery {
	return links.ListQuery{AllOwners: in.Owner == "all", Domain: in.Domain, Search: in.Q, Tags: in.Tag,
		Active: boolParam(in.Active), Expired: boolParam(in.Expired), Sort: in.Sort}
}

// boolParam reads an enum:"true,false" query value; "" is nil.
func boolParam(v string) *bool {
	if v == "" {
		return nil
	}
	b := v == "true"
	return &b
}
