package httpapi

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/links"
)

// The organising calls of API.md: tags, bulk create, CSV import and export.

// TagList is the body of GET /api/v1/tags.
type TagList struct {
	Items []TagItem `json:"items"`
}

// TagItem is one tag and how many of the caller's links carry it.
type TagItem struct {
	Tag   string `json:"tag"`
	Links int    `json:"links"`
}

type bulkInput struct {
	Body struct {
		Items []json.RawMessage `json:"items" nullable:"false" minItems:"1" maxItems:"1000" doc:"1-1000 create bodies, as for POST /api/v1/urls (schema CreateLinkInputBody); each is checked on its own, so the schema here takes any object."`
	}
}

// BulkResult is the body of a bulk create or an import.
type BulkResult struct {
	Created int        `json:"created"`
	Failed  int        `json:"failed"`
	Items   []BulkItem `json:"items"`
}

// BulkItem is the outcome of one item (or CSV record) of a bulk create or
// an import.
type BulkItem struct {
	Index  int             `json:"index" doc:"The item's index in items; for an import the CSV record's number, the header being 0."`
	Status int             `json:"status" doc:"The status a single create would have answered: 201, 409 or 422 (or 500, 503)."`
	Link   *LinkBody       `json:"link,omitempty"`
	Errors []ProblemDetail `json:"errors,omitempty" doc:"As a single create's problem lists them (body.original_url, ...)."`
}

type importInput struct {
	Codes   string `query:"codes" enum:"keep,new" default:"keep" doc:"keep: an alias column (custom_alias, short_code, keyword) becomes the code; new: it is ignored and every link gets a generated code (to import an export into the same service)."`
	RawBody []byte `contentType:"text/csv" doc:"CSV with a header row; UTF-8, a byte order mark and CRLF line ends accepted."`
}

// Resolve refuses ?codes= without a value.
func (in *importInput) Resolve(ctx huma.Context) []error {
	return emptyParams(ctx, "codes")
}

func (s *Server) registerOrganising(api huma.API) {
	if s.organiser == nil {
		return
	}
	registerOp(api, shortener.RateGeneral, shortener.ScopeLinksRead, huma.Operation{
		OperationID: "list-tags", Method: http.MethodGet, Path: "/api/v1/tags", Tags: []string{"links"},
		Summary: "Your tags with their link counts", Security: bearerSecurity, Errors: []int{401, 429},
	}, func(ctx context.Context, _ *struct{}) (*struct{ Body TagList }, error) {
		caller, err := s.caller(ctx, true)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		tags, err := s.organiser.Tags(ctx, caller)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		out := TagList{Items: make([]TagItem, len(tags))}
		for i, t := range tags {
			out.Items[i] = TagItem(t)
		}
		return &struct{ Body TagList }{out}, nil
	})

	createSchema := api.OpenAPI().Paths["/api/v1/urls"]
	registerOp(api, shortener.RateGeneral, shortener.ScopeLinksWrite, longRunning(huma.Operation{
		OperationID: "bulk-create-links", Method: http.MethodPost, Path: "/api/v1/urls/bulk", Tags: []string{"links"},
		Summary: "Create up to 1000 links",
		Description: "Each item is checked and created on its own; one bad item never stops the others. " +
			"Counts as one request against the rate limit; the body may be up to MAX_IMPORT_BYTES.",
		Security: bearerSecurity, MaxBodyBytes: s.humaMaxImport, Errors: []int{401, 413, 422, 429},
	}), func(ctx context.Context, in *bulkInput) (*struct{ Body BulkResult }, error) {
		caller, err := s.caller(ctx, true)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		checker := newItemChecker(api, createSchema)
		inputs, bad := make([]links.CreateInput, 0, len(in.Body.Items)), map[int]*Problem{}
		var at []int
		for i, raw := range in.Body.Items {
			create, p := checker.check(raw)
			if p != nil {
				bad[i] = p
				continue
			}
			inputs, at = append(inputs, create.input()), append(at, i)
		}
		results := s.organiser.CreateMany(ctx, caller, inputs)
		out := BulkResult{Items: make([]BulkItem, len(in.Body.Items))}
		for i, p := range bad {
			out.Items[i] = BulkItem{Index: i, Status: p.Status, Errors: p.Errors}
		}
		for k, r := range results {
			out.Items[at[k]] = s.bulkItem(ctx, at[k], r)
		}
		out.count()
		return &struct{ Body BulkResult }{out}, nil
	})

	registerOp(api, shortener.RateGeneral, shortener.ScopeLinksWrite, longRunning(huma.Operation{
		OperationID: "import-links", Method: http.MethodPost, Path: "/api/v1/urls/import", Tags: []string{"links"},
		Summary: "Import links from CSV",
		Description: "Columns: original_url (or url, long_url), custom_alias (or short_code, keyword), title, " +
			"tags (|-separated), expires_at (RFC 3339), domain (a host of this service's domains), is_public and " +
			"is_active (true or false, as the export writes them); header names match ignoring case, spaces and camelCase " +
			"(Long URL, longUrl); other columns are ignored. Cells are trimmed, titles not. One leading ' before =, +, -, @, " +
			"tab or CR is removed. One item per CSV record, as for bulk; a record with more or fewer fields than the " +
			"header is a 422 of its own. Body up to MAX_IMPORT_BYTES.",
		Security: bearerSecurity, MaxBodyBytes: s.humaMaxImport, Errors: []int{401, 413, 415, 422, 429},
	}), func(ctx context.Context, in *importInput) (*struct{ Body BulkResult }, error) {
		caller, err := s.caller(ctx, true)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		results, err := s.organiser.Import(ctx, caller, bytesReader(in.RawBody), in.Codes != "new")
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		out := BulkResult{Items: make([]BulkItem, len(results))}
		for i, r := range results {
			out.Items[i] = s.bulkItem(ctx, r.Record, r.BulkResult)
		}
		out.count()
		return &struct{ Body BulkResult }{out}, nil
	})

	s.registerExport(api)
}

// bulkItem is the item of one result.
func (s *Server) bulkItem(ctx context.Context, index int, r links.BulkResult) BulkItem {
	if r.Err != nil {
		p := problemOf(ctx, s.logger, r.Err)
		return BulkItem{Index: index, Status: p.Status, Errors: p.Errors}
	}
	b := s.linkBody(r.Link)
	return BulkItem{Index: index, Status: http.StatusCreated, Link: &b}
}

// count sets Created and Failed from the items.
func (b *BulkResult) count() {
	for _, it := range b.Items {
		if it.Status == http.StatusCreated {
			b.Created++
		} else {
			b.Failed++
		}
	}
}
