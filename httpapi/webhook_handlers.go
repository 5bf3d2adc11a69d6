package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/shortener-dev/shortener"
)

// WebhookBody is a webhook endpoint as listed: never its secret.
type WebhookBody struct {
	ID          string    `json:"id" format:"uuid"`
	URL         string    `json:"url"`
	Events      []string  `json:"events"`
	Description string    `json:"description"`
	IsActive    bool      `json:"is_active" doc:"False when disabled by you, or after failing every delivery for 24 hours."`
	CreatedAt   time.Time `json:"created_at"`
}

// NewWebhookBody is the answer of a create: the only time the secret is
// shown.
type NewWebhookBody struct {
	WebhookBody
	Secret string `json:"secret" doc:"whsec_ and the base64 of 32 random bytes: the key of the webhook-signature HMAC. Shown this once."`
}

// WebhookList is the caller's endpoints.
type WebhookList struct {
	Items []WebhookBody `json:"items"`
}

// DeliveryBody is one attempt of the deliveries log.
type DeliveryBody struct {
	ID          string     `json:"id" format:"uuid"`
	Event       string     `json:"event"`
	Attempt     int        `json:"attempt" doc:"1 for the first attempt."`
	StatusCode  *int       `json:"status_code" doc:"The receiver's status; null when none came (timeout, refused)."`
	Error       *string    `json:"error" doc:"Why the attempt failed; null when it succeeded."`
	CreatedAt   time.Time  `json:"created_at"`
	DeliveredAt *time.Time `json:"delivered_at" doc:"When the receiver answered 2xx; null for a failed attempt."`
}

// DeliveryList is an endpoint's last 100 attempts, newest first.
type DeliveryList struct {
	Items []DeliveryBody `json:"items"`
}

func webhookBody(w *shortener.Webhook) WebhookBody {
	return WebhookBody{ID: w.ID, URL: w.URL, Events: append([]string{}, w.Events...), Description: w.Description,
		IsActive: w.IsActive, CreatedAt: w.CreatedAt.UTC()}
}

func deliveryBody(a *shortener.DeliveryAttempt) DeliveryBody {
	b := DeliveryBody{ID: a.ID, Event: a.Event, Attempt: a.Attempt, CreatedAt: a.CreatedAt.UTC(),
		DeliveredAt: utcTime(a.DeliveredAt)}
	if a.StatusCode != 0 {
		b.StatusCode = &a.StatusCode
	}
	if a.Error != "" {
		b.Error = &a.Error
	}
	return b
}

type createWebhookInput struct {
	Body struct {
		URL         string   `json:"url" doc:"Absolute http(s) URL that passes the original_url checks; its address must be globally routable when delivered to."`
		Events      []string `json:"events" nullable:"false" minItems:"1" enum:"link.created,link.updated,link.deleted,link.clicked" doc:"At least one of link.created, link.updated, link.deleted, link.clicked."`
		Description *string  `json:"description,omitempty" nullable:"true" doc:"At most 500 characters; null or absent: none."`
	}
}

type webhookIDInput struct {
	ID string `path:"id" doc:"The webhook's UUID."`
}

type updateWebhookInput struct {
	ID   string `path:"id"`
	Body struct {
		URL         *string          `json:"url,omitempty" nullable:"false"`
		Events      *[]string        `json:"events,omitempty" nullable:"false" enum:"link.created,link.updated,link.deleted,link.clicked"`
		Description Nullable[string] `json:"description,omitempty" doc:"null clears it, as on create."`
		IsActive    *bool            `json:"is_active,omitempty" nullable:"false" doc:"true enables a disabled endpoint again, with its failures forgotten."`
	}
}

type webhookOutput struct {
	Location string `header:"Location"`
	Body     NewWebhookBody
}

func (s *Server) registerWebhooks(api huma.API) {
	if s.webhooks == nil {
		return
	}
	op := func(id, method, path, summary, description string, status int, errs ...int) huma.Operation {
		return huma.Operation{OperationID: id, Method: method, Path: path, Tags: []string{"webhooks"}, Summary: summary,
			Description: description, DefaultStatus: status, Security: bearerSecurity, MaxBodyBytes: s.humaMaxBody,
			Errors: append([]int{401, 403, 429}, errs...)}
	}
	registerOp(api, shortener.RateGeneral, shortener.ScopeWebhooksWrite, op("create-webhook", http.MethodPost, "/api/v1/webhooks",
		"Add a webhook endpoint", "The secret is in this answer only.", http.StatusCreated, 422),
		func(ctx context.Context, in *createWebhookInput) (*webhookOutput, error) {
			caller, err := s.caller(ctx, true)
			if err != nil {
				return nil, s.fail(ctx, err)
			}
			req := shortener.WebhookInput{URL: in.Body.URL, Events: in.Body.Events}
			if in.Body.Description != nil {
				req.Description = *in.Body.Description
			}
			w, err := s.webhooks.Create(ctx, caller, req)
			if err != nil {
				return nil, s.fail(ctx, err)
			}
			return &webhookOutput{Location: "/api/v1/webhooks/" + w.ID, Body: NewWebhookBody{WebhookBody: webhookBody(w), Secret: w.Secret}}, nil
		})

	registerOp(api, shortener.RateGeneral, shortener.ScopeWebhooksWrite, op("list-webhooks", http.MethodGet, "/api/v1/webhooks",
		"List your webhook endpoints", "Newest first, without secrets.", 0),
		func(ctx context.Context, _ *struct{}) (*struct{ Body WebhookList }, error) {
			caller, err := s.caller(ctx, true)
			if err != nil {
				return nil, s.fail(ctx, err)
			}
			ws, err := s.webhooks.List(ctx, caller)
			if err != nil {
				return nil, s.fail(ctx, err)
			}
			out := WebhookList{Items: make([]WebhookBody, len(ws))}
			for i, w := range ws {
				out.Items[i] = webhookBody(w)
			}
			return &struct{ Body WebhookList }{out}, nil
		})

	registerOp(api, shortener.RateGeneral, shortener.ScopeWebhooksWrite, op("get-webhook", http.MethodGet, "/api/v1/webhooks/{id}",
		"Read a webhook endpoint", "Without its secret.", 0, 404),
		func(ctx context.Context, in *webhookIDInput) (*struct{ Body WebhookBody }, error) {
			caller, err := s.caller(ctx, true)
			if err != nil {
				return nil, s.fail(ctx, err)
			}
			w, err := s.webhooks.Get(ctx, caller, in.ID)
			if err != nil {
				return nil, s.fail(ctx, err)
			}
			return &struct{ Body WebhookBody }{webhookBody(w)}, nil
		})

	registerOp(api, shortener.RateGeneral, shortener.ScopeWebhooksWrite, op("update-webhook", http.MethodPatch, "/api/v1/webhooks/{id}",
		"Change a webhook endpoint", "", 0, 404, 422),
		func(ctx context.Context, in *updateWebhookInput) (*struct{ Body WebhookBody }, error) {
			caller, err := s.caller(ctx, true)
			if err != nil {
				return nil, s.fail(ctx, err)
			}
			b := in.Body
			var description *string
			if b.Description.Set {
				d := b.Description.Value // "" when null: none
				description = &d
			}
			w, err := s.webhooks.Update(ctx, caller, in.ID, shortener.WebhookUpdate{URL: b.URL, Events: b.Events,
				Description: description, IsActive: b.IsActive})
			if err != nil {
				return nil, s.fail(ctx, err)
			}
			return &struct{ Body WebhookBody }{webhookBody(w)}, nil
		})

	registerOp(api, shortener.RateGeneral, shortener.ScopeWebhooksWrite, op("delete-webhook", http.MethodDelete, "/api/v1/webhooks/{id}",
		"Delete a webhook endpoint", "Its pending deliveries and its log go with it.", http.StatusNoContent, 404),
		func(ctx context.Context, in *webhookIDInput) (*struct{}, error) {
			caller, err := s.caller(ctx, true)
			if err == nil {
				err = s.webhooks.Delete(ctx, caller, in.ID)
			}
			if err != nil {
				return nil, s.fail(ctx, err)
			}
			return nil, nil
		})

	registerOp(api, shortener.RateGeneral, shortener.ScopeWebhooksWrite, op("webhook-deliveries", http.MethodGet, "/api/v1/webhooks/{id}/deliveries",
		"The endpoint's delivery attempts", "The last 100 attempts, newest first.", 0, 404),
		func(ctx context.Context, in *webhookIDInput) (*struct{ Body DeliveryList }, error) {
			caller, err := s.caller(ctx, true)
			if err != nil {
				return nil, s.fail(ctx, err)
			}
			as, err := s.webhooks.Deliveries(ctx, caller, in.ID)
			if err != nil {
				return nil, s.fail(ctx, err)
			}
			out := DeliveryList{Items: make([]DeliveryBody, len(as))}
			for i, a := range as {
				out.Items[i] = deliveryBody(a)
			}
			return &struct{ Body DeliveryList }{out}, nil
		})

	registerOp(api, shortener.RateGeneral, shortener.ScopeWebhooksWrite, op("ping-webhook", http.MethodPost, "/api/v1/webhooks/{id}/test",
		"Send a test ping", "Queues a ping event, delivered like any other (also to a disabled endpoint).", http.StatusAccepted, 404),
		func(ctx context.Context, in *webhookIDInput) (*struct{}, error) {
			caller, err := s.caller(ctx, true)
			if err == nil {
				err = s.webhooks.Ping(ctx, caller, in.ID)
			}
			if err != nil {
				return nil, s.fail(ctx, err)
			}
			return nil, nil
		})
}
