package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/links"
)

// LinkBody is the Link object of the API.
type LinkBody struct {
	ID          string     `json:"id" format:"uuid"`
	ShortCode   string     `json:"short_code"`
	ShortURL    string     `json:"short_url"`
	Domain      string     `json:"domain" doc:"The host of the link's domain; the code is unique on it."`
	OriginalURL string     `json:"original_url"`
	CustomAlias *string    `json:"custom_alias"`
	Title       *string    `json:"title"`
	OwnerID     *string    `json:"owner_id"`
	IsActive    bool       `json:"is_active"`
	IsPublic    bool       `json:"is_public"`
	ExpiresAt   *time.Time `json:"expires_at"`
	ClickCount  int64      `json:"click_count" doc:"Human clicks flushed so far."`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	LinkOptions
}

func (s *Server) linkBody(l *shortener.Link) LinkBody {
	return LinkObject(l, s.links.ShortURL(l))
}

// LinkObject is the API's Link object of l, whose short URL is shortURL:
// what the link calls answer, and the data of the webhooks' link events.
func LinkObject(l *shortener.Link, shortURL string) LinkBody {
	b := LinkBody{
		ID: l.ID, ShortCode: l.ShortCode, ShortURL: shortURL, Domain: l.Domain, OriginalURL: l.OriginalURL,
		CustomAlias: l.CustomAlias, Title: l.Title, OwnerID: l.OwnerID, IsActive: l.IsActive, IsPublic: l.IsPublic,
		ClickCount: l.ClickCount, CreatedAt: l.CreatedAt.UTC(), UpdatedAt: l.UpdatedAt.UTC(),
		LinkOptions: optionsBody(l),
	}
	if l.ExpiresAt != nil {
		t := l.ExpiresAt.UTC()
		b.ExpiresAt = &t
	}
	return b
}

// createLinkInput is the body of a create. The fields a Link shows as null
// may be sent as null, meaning "none"; null for the others is 422.
type createLinkInput struct {
	Body struct {
		OriginalURL string     `json:"original_url" doc:"Absolute http(s) URL, at most 2048 characters, not pointing to private or reserved addresses."`
		CustomAlias *string    `json:"custom_alias,omitempty" nullable:"true" doc:"3-50 characters of A-Z a-z 0-9 _ -; becomes the short code. null: a generated code."`
		Title       *string    `json:"title,omitempty" nullable:"true" doc:"At most 255 characters. null: no title."`
		ExpiresAt   *Timestamp `json:"expires_at,omitempty" nullable:"true" doc:"Must be in the future. null: never expires."`
		IsPublic    *bool      `json:"is_public,omitempty" doc:"Readable through the API by anyone (default true). Private links still redirect."`
		Domain      *string    `json:"domain,omitempty" nullable:"false" doc:"Host of one of the domains (GET /api/v1/domains); default: the default domain."`
		CreateOptions
	}
}

// input is the links service's input of the create.
func (in *createLinkInput) input() links.CreateInput {
	input := links.CreateInput{OriginalURL: in.Body.OriginalURL, CustomAlias: in.Body.CustomAlias, Title: in.Body.Title,
		IsPublic: in.Body.IsPublic, Domain: in.Body.Domain, Options: in.Body.CreateOptions.input()}
	if in.Body.ExpiresAt != nil {
		input.ExpiresAt = &in.Body.ExpiresAt.Time
	}
	return input
}

type linkOutput struct {
	Location string `header:"Location"`
	Body     LinkBody
}

type listLinksInput struct {
	PageParams
	LinkFilter
}

// PageParams is the page of a list.
type PageParams struct {
	Page int `query:"page" minimum:"1" default:"1"`
	Size int `query:"size" minimum:"1" maximum:"100" default:"20"`
}

// Resolve refuses ?page= and ?size= without a value.
func (in *PageParams) Resolve(ctx huma.Context) []error {
	return emptyParams(ctx, "page", "size")
}

// LinkList is a page of links.
type LinkList struct {
	Items []LinkBody `json:"items"`
	Total int        `json:"total"`
	Page  int        `json:"page"`
	Size  int        `json:"size"`
	Pages int        `json:"pages"`
}

type linkIDInput struct {
	ID string `path:"id" doc:"The link's UUID."`
}

type updateLinkInput struct {
	ID   string `path:"id"`
	Body struct {
		OriginalURL *string             `json:"original_url,omitempty" nullable:"false"`
		Title       Nullable[string]    `json:"title,omitempty" doc:"null clears the title."`
		ExpiresAt   Nullable[Timestamp] `json:"expires_at,omitempty" doc:"null clears the expiry."`
		IsActive    *bool               `json:"is_active,omitempty" nullable:"false"`
		IsPublic    *bool               `json:"is_public,omitempty" nullable:"false"`
		Domain      *string             `json:"domain,omitempty" nullable:"false" doc:"Moves the link to this domain, where its code must be free (else 409)."`
		UpdateOptions
	}
}

func (s *Server) registerLinks(api huma.API) {
	registerOp(api, shortener.RateGeneral, shortener.ScopeLinksWrite, huma.Operation{
		OperationID: "create-link", Method: http.MethodPost, Path: "/api/v1/urls", Tags: []string{"links"},
		Summary: "Shorten a URL", Description: "Without a token the link has no owner.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: s.humaMaxBody, Errors: []int{401, 409, 422, 429},
	}, func(ctx context.Context, in *createLinkInput) (*linkOutput, error) {
		caller, err := s.caller(ctx, false)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		l, err := s.links.Create(ctx, caller, in.input())
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &linkOutput{Location: "/api/v1/urls/" + l.ID, Body: s.linkBody(l)}, nil
	})

	registerOp(api, shortener.RateGeneral, shortener.ScopeLinksRead, huma.Operation{
		OperationID: "list-links", Method: http.MethodGet, Path: "/api/v1/urls", Tags: []string{"links"},
		Summary: "List your links, filtered and sorted", Security: bearerSecurity, Errors: []int{401, 403, 422, 429},
	}, func(ctx context.Context, in *listLinksInput) (*struct{ Body LinkList }, error) {
		caller, err := s.caller(ctx, true)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		q := in.query()
		q.Page, q.Size = in.Page, in.Size
		page, err := s.links.List(ctx, caller, q)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		out := LinkList{Items: make([]LinkBody, 0, len(page.Links)), Total: page.Total, Page: in.Page, Size: in.Size,
			Pages: (page.Total + in.Size - 1) / in.Size}
		for _, l := range page.Links {
			out.Items = append(out.Items, s.linkBody(l))
		}
		return &struct{ Body LinkList }{out}, nil
	})

	registerOp(api, shortener.RateGeneral, shortener.ScopeLinksRead, huma.Operation{
		OperationID: "get-link", Method: http.MethodGet, Path: "/api/v1/urls/{id}", Tags: []string{"links"},
		Summary: "Read a link", Description: "Public links, your own, or any for an admin; 404 otherwise.",
		Errors: []int{401, 404, 429},
	}, func(ctx context.Context, in *linkIDInput) (*struct{ Body LinkBody }, error) {
		caller, err := s.caller(ctx, false)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		l, err := s.links.Get(ctx, caller, in.ID)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct{ Body LinkBody }{s.linkBody(l)}, nil
	})

	registerOp(api, shortener.RateGeneral, shortener.ScopeLinksWrite, huma.Operation{
		OperationID: "update-link", Method: http.MethodPatch, Path: "/api/v1/urls/{id}", Tags: []string{"links"},
		Summary: "Change a link", Description: "Owner or admin. The redirect reflects the change at once on every instance.",
		Security: bearerSecurity, MaxBodyBytes: s.humaMaxBody, Errors: []int{401, 404, 409, 422, 429},
	}, func(ctx context.Context, in *updateLinkInput) (*struct{ Body LinkBody }, error) {
		caller, err := s.caller(ctx, true)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		b := in.Body
		u := links.UpdateInput{OriginalURL: b.OriginalURL, IsActive: b.IsActive, IsPublic: b.IsPublic, Domain: b.Domain}
		if b.Title.Set {
			u.Title = &b.Title.Value // null clears to an empty title
			if b.Title.Null {
				u.ClearTitle = true
			}
		}
		if b.ExpiresAt.Set {
			if b.ExpiresAt.Null {
				u.ClearExpiry = true
			} else {
				u.ExpiresAt = &b.ExpiresAt.Value.Time
			}
		}
		b.UpdateOptions.apply(&u)
		l, err := s.links.Update(ctx, caller, in.ID, u)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct{ Body LinkBody }{s.linkBody(l)}, nil
	})

	registerOp(api, shortener.RateGeneral, shortener.ScopeLinksWrite, huma.Operation{
		OperationID: "delete-link", Method: http.MethodDelete, Path: "/api/v1/urls/{id}", Tags: []string{"links"},
		Summary: "Delete a link", Description: "Owner or admin. The code answers 404 at once on every instance.",
		DefaultStatus: http.StatusNoContent, Security: bearerSecurity, Errors: []int{401, 404, 429},
	}, func(ctx context.Context, in *linkIDInput) (*struct{}, error) {
		caller, err := s.caller(ctx, true)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		if err := s.links.Delete(ctx, caller, in.ID); err != nil {
			return nil, s.fail(ctx, err)
		}
		return nil, nil
	})
}
