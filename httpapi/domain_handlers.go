package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/domains"
)

// DomainBody is a short domain as the API shows it.
type DomainBody struct {
	ID          string    `json:"id" format:"uuid"`
	Host        string    `json:"host"`
	NotFoundURL *string   `json:"not_found_url" doc:"An unknown code on this domain redirects (302) here instead of 404."`
	RootURL     *string   `json:"root_url" doc:"GET / on this domain redirects (302) here."`
	IsDefault   bool      `json:"is_default" doc:"BASE_URL's host: only its URLs can change, and it cannot be deleted."`
	CreatedAt   time.Time `json:"created_at"`
}

func domainBody(d *shortener.Domain) DomainBody {
	return DomainBody{ID: d.ID, Host: d.Host, NotFoundURL: d.NotFoundURL, RootURL: d.RootURL, IsDefault: d.IsDefault(),
		CreatedAt: d.CreatedAt.UTC()}
}

// DomainList is every domain, the default first.
type DomainList struct {
	Items []DomainBody `json:"items"`
}

type createDomainInput struct {
	Body struct {
		Host        string  `json:"host" doc:"A host name: no scheme, port or path. Stored lower-case, without a trailing dot."`
		NotFoundURL *string `json:"not_found_url,omitempty" nullable:"true" doc:"Checked as original_url is; not this domain's own host."`
		RootURL     *string `json:"root_url,omitempty" nullable:"true" doc:"Checked as original_url is; not this domain's own host."`
	}
}

// domainOutput is a created domain and where it can be read.
type domainOutput struct {
	Location string `header:"Location"`
	Body     DomainBody
}

type updateDomainInput struct {
	ID   string `path:"id"`
	Body struct {
		Host        *string          `json:"host,omitempty" nullable:"false" doc:"Not for the default domain (409)."`
		NotFoundURL Nullable[string] `json:"not_found_url,omitempty" doc:"null removes it."`
		RootURL     Nullable[string] `json:"root_url,omitempty" doc:"null removes it."`
	}
}

type domainIDInput struct {
	ID string `path:"id" doc:"The domain's UUID."`
}

const domainWriteDescription = "Needs an admin's access token: an API key or another user is 403."

func (s *Server) registerDomains(api huma.API) {
	if s.domains == nil {
		return
	}
	registerOp(api, shortener.RateGeneral, shortener.ScopeLinksRead, huma.Operation{
		OperationID: "list-domains", Method: http.MethodGet, Path: "/api/v1/domains", Tags: []string{"domains"},
		Summary: "List the short domains", Description: "Any signed-in user, to choose a link's domain. The default domain comes first.",
		Security: bearerSecurity, Errors: []int{401, 403, 429},
	}, func(ctx context.Context, _ *struct{}) (*struct{ Body DomainList }, error) {
		if _, err := s.caller(ctx, true); err != nil {
			return nil, s.fail(ctx, err)
		}
		list, err := s.domains.List(ctx)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		out := DomainList{Items: make([]DomainBody, len(list))}
		for i, d := range list {
			out.Items[i] = domainBody(d)
		}
		return &struct{ Body DomainList }{out}, nil
	})

	registerOp(api, shortener.RateGeneral, shortener.ScopeLinksRead, huma.Operation{
		OperationID: "get-domain", Method: http.MethodGet, Path: "/api/v1/domains/{id}", Tags: []string{"domains"},
		Summary: "Read a short domain", Description: "Any signed-in user, as the list.",
		Security: bearerSecurity, Errors: []int{401, 403, 404, 429},
	}, func(ctx context.Context, in *domainIDInput) (*struct{ Body DomainBody }, error) {
		if _, err := s.caller(ctx, true); err != nil {
			return nil, s.fail(ctx, err)
		}
		d, err := s.domains.Get(ctx, in.ID)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct{ Body DomainBody }{domainBody(d)}, nil
	})

	registerOp(api, shortener.RateGeneral, accessTokenOnly, huma.Operation{
		OperationID: "create-domain", Method: http.MethodPost, Path: "/api/v1/domains", Tags: []string{"domains"},
		Summary: "Add a short domain", Description: "Serves on every instance at once. " + domainWriteDescription,
		DefaultStatus: http.StatusCreated, Security: bearerSecurity, MaxBodyBytes: s.humaMaxBody, Errors: []int{401, 403, 409, 422, 429},
	}, func(ctx context.Context, in *createDomainInput) (*domainOutput, error) {
		caller, err := s.caller(ctx, true)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		d, err := s.domains.Create(ctx, caller, domains.Input{Host: in.Body.Host, NotFoundURL: in.Body.NotFoundURL, RootURL: in.Body.RootURL})
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &domainOutput{Location: "/api/v1/domains/" + d.ID, Body: domainBody(d)}, nil
	})

	registerOp(api, shortener.RateGeneral, accessTokenOnly, huma.Operation{
		OperationID: "update-domain", Method: http.MethodPatch, Path: "/api/v1/domains/{id}", Tags: []string{"domains"},
		Summary: "Change a short domain", Description: "The default domain's host is BASE_URL's and cannot change (409). " + domainWriteDescription,
		Security: bearerSecurity, MaxBodyBytes: s.humaMaxBody, Errors: []int{401, 403, 404, 409, 422, 429},
	}, func(ctx context.Context, in *updateDomainInput) (*struct{ Body DomainBody }, error) {
		caller, err := s.caller(ctx, true)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		b := in.Body
		p := domains.Patch{Host: b.Host}
		p.NotFoundURL, p.ClearNotFoundURL = nullableString(b.NotFoundURL)
		p.RootURL, p.ClearRootURL = nullableString(b.RootURL)
		d, err := s.domains.Update(ctx, caller, in.ID, p)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct{ Body DomainBody }{domainBody(d)}, nil
	})

	registerOp(api, shortener.RateGeneral, accessTokenOnly, huma.Operation{
		OperationID: "delete-domain", Method: http.MethodDelete, Path: "/api/v1/domains/{id}", Tags: []string{"domains"},
		Summary: "Delete a short domain", Description: "409 while links use it, and for the default domain. " + domainWriteDescription,
		DefaultStatus: http.StatusNoContent, Security: bearerSecurity, Errors: []int{401, 403, 404, 409, 429},
	}, func(ctx context.Context, in *domainIDInput) (*struct{}, error) {
		caller, err := s.caller(ctx, true)
		if err == nil {
			err = s.domains.Delete(ctx, caller, in.ID)
		}
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return nil, nil
	})
}

// nullableString is a PATCH field as a value to set or a clear.
func nullableString(n Nullable[string]) (*string, bool) {
	if !n.Set {
		return nil, false
	}
	if n.Null {
		return nil, true
	}
	return &n.Value, false
}

// defaultDomain stands for the default domain when the Server has no
// HostDomains (tests).
var defaultDomain = &shortener.Domain{ID: shortener.DefaultDomainID}

// domainFor returns the domain of a request's Host header.
func (s *Server) domainFor(r *http.Request) *shortener.Domain {
	if s.hosts == nil {
		return defaultDomain
	}
	return s.hosts.ForHost(r.Host)
}

// domainParam returns the domain a ?domain= parameter names (the default
// without one), or ENOTFOUND for a host that is no domain: the link it
// names does not exist.
func (s *Server) domainParam(host string) (*shortener.Domain, error) {
	if s.hosts == nil {
		if host == "" {
			return defaultDomain, nil
		}
		return nil, shortener.ErrLinkNotFound
	}
	if host == "" {
		return s.hosts.ForHost(""), nil
	}
	if d, ok := s.hosts.ByHost(host); ok {
		return d, nil
	}
	return nil, shortener.ErrLinkNotFound
}
