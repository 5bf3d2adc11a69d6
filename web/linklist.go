package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/shortener-dev/shortener"
)

// listView is the link list: the create form above, one page of links,
// the pager below.
type listView struct {
	pageBase
	Form        *form
	OptionsOpen bool // the create form's options have an error or a value
	RulesOpen   bool // so have its rules
	Rows        []linkRow
	All         bool // an admin looking at everyone's links
	Empty       bool // no links at all: the page teaches instead
	PastEnd     bool // a page number past the last page
	Pager       pager
	Return      string   // this page, for the forms to come back to
	Domains     []string // the hosts a new link may go on, when there is more than one
	Filter      filterView
}

// pager is the paging line under the list.
type pager struct {
	From, To, Total string // "21", "40", "10,000 links"
	Page, Pages     int
	Prev, Next      string // hrefs; "" at the ends
}

// Page sizes: the API's default and limits.
const (
	defaultPageSize = 20
	maxPageSize     = 100
)

var createFields = append([]string{"original_url", "custom_alias", "title", "expires_at", "is_public", "domain"}, optionFields...)

// listQuery reads page, size, all and the filters from a list URL's
// query. Bad values fall back to the defaults: a hand-edited URL gets a
// page, not an error. Only admins may list everyone's links.
func listQuery(q url.Values, admin bool) (ListQuery, map[string]string) {
	lq := ListQuery{Page: 1, Size: defaultPageSize, AllOwners: admin && q.Get("all") == "1"}
	if p, err := strconv.Atoi(q.Get("page")); err == nil && p >= 1 {
		lq.Page = p
	}
	if s, err := strconv.Atoi(q.Get("size")); err == nil && s >= 1 && s <= maxPageSize {
		lq.Size = s
	}
	bad := readFilters(q, &lq)
	return lq, bad
}

// listURL is the address of one page of the list, with its filters.
func listURL(q ListQuery, page int) string {
	v := filterValues(q)
	if q.AllOwners {
		v.Set("all", "1")
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if q.Size != defaultPageSize {
		v.Set("size", strconv.Itoa(q.Size))
	}
	if len(v) == 0 {
		return "/app"
	}
	return "/app?" + v.Encode()
}

func (a *App) linkList(w http.ResponseWriter, r *http.Request) {
	v := &listView{Form: newForm(nil, createFields...)}
	v.Form.set("is_public", "true")
	a.renderList(w, r, http.StatusOK, r.URL.Query(), v)
}

// renderList loads the page of links that query names and renders the
// list with v's form.
func (a *App) renderList(w http.ResponseWriter, r *http.Request, status int, query url.Values, v *listView) {
	user := visitOf(r).user
	q, bad := listQuery(query, user.IsAdmin())
	page := &shortener.LinkPage{}
	if bad == nil {
		var err error
		if page, err = a.links.List(r.Context(), user, q); err != nil {
			a.failPage(w, r, err)
			return
		}
	} else if status == http.StatusOK {
		// The API would refuse these filters: the bar says why next to
		// them, and nothing is listed rather than everything.
		status = http.StatusUnprocessableEntity
	}
	now := a.clock()
	v.Rows = make([]linkRow, len(page.Links))
	for i, l := range page.Links {
		v.Rows[i] = a.linkRow(l, now)
	}
	v.All, v.Return = q.AllOwners, listURL(q, q.Page)
	v.Filter = a.filterView(r, user, q)
	if bad != nil {
		v.Filter.Errors, v.Filter.Export, v.Return = bad, "", "/app"
	}
	v.Empty = page.Total == 0 && !v.Filter.Active
	v.PastEnd = len(page.Links) == 0 && page.Total > 0
	v.Pager = makePager(q, page.Total, len(page.Links))
	v.Title, v.Nav = "My links", "links"
	if v.All {
		v.Title = "All links"
	}
	v.Domains = a.domainHosts(r)
	v.OptionsOpen = v.Form.touched("custom_alias", "title", "expires_at")
	v.RulesOpen = rulesTouched(v.Form)
	a.render(w, r, status, "links", v)
}

func makePager(q ListQuery, total, shown int) pager {
	pages := max(1, (total+q.Size-1)/q.Size)
	from := (q.Page-1)*q.Size + 1
	p := pager{
		From: thousands(int64(from)), To: thousands(int64(from + shown - 1)), Total: plural(int64(total), "link", "links"),
		Page: q.Page, Pages: pages,
	}
	if q.Page > 1 {
		p.Prev = listURL(q, min(q.Page-1, pages))
	}
	if q.Page < pages {
		p.Next = listURL(q, q.Page+1)
	}
	return p
}
