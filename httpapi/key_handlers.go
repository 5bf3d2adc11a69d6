package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/auth"
)

// KeyBody is an API key as listed: never the key itself.
type KeyBody struct {
	ID         string     `json:"id" format:"uuid"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix" doc:"The key's first 12 characters, to recognise it by."`
	Scopes     []string   `json:"scopes"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at" doc:"Updated at most once a minute."`
}

// NewKeyBody is the answer of a create: the only time the key is shown.
type NewKeyBody struct {
	KeyBody
	Key string `json:"key" doc:"The API key: shk_ and 40 base62 characters. Shown this once; only its hash is kept."`
}

// KeyList is the list of the caller's keys.
type KeyList struct {
	Items []KeyBody `json:"items"`
}

func keyBody(k *shortener.APIKey) KeyBody {
	b := KeyBody{ID: k.ID, Name: k.Name, Prefix: k.Prefix, Scopes: make([]string, len(k.Scopes)),
		CreatedAt: k.CreatedAt.UTC(), ExpiresAt: utcTime(k.ExpiresAt), LastUsedAt: utcTime(k.LastUsedAt)}
	for i, s := range k.Scopes {
		b.Scopes[i] = string(s)
	}
	return b
}

func utcTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

type createKeyInput struct {
	Body struct {
		Name      string     `json:"name" doc:"What the key is for, 1-100 characters."`
		Scopes    []string   `json:"scopes" nullable:"false" minItems:"1" enum:"links:read,links:write,analytics:read,webhooks:write" doc:"At least one of links:read, links:write, analytics:read, webhooks:write."`
		ExpiresAt *Timestamp `json:"expires_at,omitempty" nullable:"true" doc:"Must be in the future. null: never expires."`
	}
}

type keyIDInput struct {
	ID string `path:"id" doc:"The key's UUID."`
}

const keysDescription = "Needs an access token: API keys may not manage keys (403)."

func (s *Server) registerKeys(api huma.API) {
	if s.keys == nil {
		return
	}
	registerOp(api, shortener.RateGeneral, accessTokenOnly, huma.Operation{
		OperationID: "create-key", Method: http.MethodPost, Path: "/api/v1/keys", Tags: []string{"keys"},
		Summary: "Create an API key", Description: "The key is in this answer only; it is stored as a hash. " + keysDescription,
		DefaultStatus: http.StatusCreated, Security: bearerSecurity, MaxBodyBytes: s.humaMaxBody, Errors: []int{401, 403, 422, 429},
	}, func(ctx context.Context, in *createKeyInput) (*struct{ Body NewKeyBody }, error) {
		caller, err := s.callerOf(ctx)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		req := auth.KeyInput{Name: in.Body.Name, Scopes: in.Body.Scopes}
		if in.Body.ExpiresAt != nil {
			req.ExpiresAt = &in.Body.ExpiresAt.Time
		}
		k, raw, err := s.keys.CreateKey(ctx, caller, req)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct{ Body NewKeyBody }{NewKeyBody{KeyBody: keyBody(k), Key: raw}}, nil
	})

	registerOp(api, shortener.RateGeneral, accessTokenOnly, huma.Operation{
		OperationID: "list-keys", Method: http.MethodGet, Path: "/api/v1/keys", Tags: []string{"keys"},
		Summary: "List your API keys", Description: "Without the keys themselves. " + keysDescription,
		Security: bearerSecurity, Errors: []int{401, 403, 429},
	}, func(ctx context.Context, _ *struct{}) (*struct{ Body KeyList }, error) {
		caller, err := s.callerOf(ctx)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		keys, err := s.keys.ListKeys(ctx, caller)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		out := KeyList{Items: make([]KeyBody, len(keys))}
		for i, k := range keys {
			out.Items[i] = keyBody(k)
		}
		return &struct{ Body KeyList }{out}, nil
	})

	registerOp(api, shortener.RateGeneral, accessTokenOnly, huma.Operation{
		OperationID: "revoke-key", Method: http.MethodDelete, Path: "/api/v1/keys/{id}", Tags: []string{"keys"},
		Summary: "Revoke an API key", Description: "It stops working at once, on every instance. " + keysDescription,
		DefaultStatus: http.StatusNoContent, Security: bearerSecurity, Errors: []int{401, 403, 404, 429},
	}, func(ctx context.Context, in *keyIDInput) (*struct{}, error) {
		caller, err := s.callerOf(ctx)
		if err == nil {
			err = s.keys.RevokeKey(ctx, caller, in.ID)
		}
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return nil, nil
	})
}
