package httpapi

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/shortener-dev/shortener"
)

// documentServerRoutes adds to the OpenAPI document the routes that the
// server answers outside huma (the redirect, its password form, /healthz,
// /metrics), so that the document covers every call of API.md. They are
// described only: their handlers are the mux's.
func documentServerRoutes(doc *huma.OpenAPI) {
	problem := &huma.Schema{Ref: "#/components/schemas/ErrorModel"}
	text := &huma.Schema{Type: huma.TypeString}
	code := &huma.Param{Name: "short_code", In: "path", Required: true, Schema: text,
		Description: "The link's code on the domain the Host header names."}
	location := map[string]*huma.Param{"Location": {Description: "The target.", Schema: text}}
	redirect := func(status string) *huma.Response {
		return &huma.Response{Description: "Redirect to the target, with the link's redirect_type (" + status + ").", Headers: location}
	}
	problemOrPage := func(description string) *huma.Response {
		return &huma.Response{Description: description, Content: map[string]*huma.MediaType{
			"application/problem+json": {Schema: problem}, "text/html": {Schema: text}}}
	}
	page := func(description string) *huma.Response {
		return &huma.Response{Description: description, Content: map[string]*huma.MediaType{"text/html": {Schema: text}}}
	}
	form := &huma.Schema{Type: huma.TypeObject, Properties: map[string]*huma.Schema{"password": text, "csrf": text}}
	unavailable := problemOrPage("The link could not be looked up: a dependency is down (Retry-After).")
	visit := func(method, id, summary string) *huma.Operation {
		return &huma.Operation{
			OperationID: id, Method: method, Path: "/{short_code}", Tags: []string{"redirect"}, Summary: summary,
			Description: "Not rate limited unless REDIRECT_RATE_LIMIT_REQUESTS is set. A browser (Accept: text/html) " +
				"gets HTML pages where an API client gets problem+json: HTML when Accept gives text/html (or text/*) " +
				"a quality above 0 and at least that of JSON; \"*/*\" alone is JSON.",
			Metadata: map[string]any{rateClassKey: shortener.RateNone},
			Parameters: []*huma.Param{code, {Name: "X-Link-Password", In: "header", Schema: text,
				Description: "The password of a password link (API clients)."}},
			Responses: map[string]*huma.Response{
				"200": page("The password form of a password link, for a browser."),
				"301": redirect("301"), "302": redirect("302"), "307": redirect("307"), "308": redirect("308"),
				"401": problemOrPage("A password link without the right password (WWW-Authenticate: Link-Password)."),
				"404": problemOrPage("Unknown, disabled, deleted or not yet valid; or the domain's not_found_url as a 302."),
				"410": problemOrPage("Expired, or its max_clicks used up."),
				"429": problemOrPage("Too many wrong passwords, or the redirect rate limit."),
				"503": unavailable,
			},
		}
	}
	doc.AddOperation(visit(http.MethodGet, "redirect", "Follow a short link"))
	doc.AddOperation(visit(http.MethodHead, "redirect-head", "Follow a short link, without a body or a click"))
	doc.AddOperation(&huma.Operation{
		OperationID: "redirect-password", Method: http.MethodPost, Path: "/{short_code}", Tags: []string{"redirect"},
		Summary:    "Post the password form of a password link",
		Metadata:   map[string]any{rateClassKey: shortener.RateNone},
		Parameters: []*huma.Param{code},
		RequestBody: &huma.RequestBody{Content: map[string]*huma.MediaType{
			"application/x-www-form-urlencoded": {Schema: form}, "multipart/form-data": {Schema: form}}},
		Responses: map[string]*huma.Response{
			"303": {Description: "The password is right: to the target, the click recorded.", Headers: location},
			"401": problemOrPage("The password is not right: the form again."),
			"403": problemOrPage("The form's CSRF token is missing or stale."),
			"404": problemOrPage("Unknown code."),
			"405": {Description: "The link has no password: it takes no form (Allow: GET, HEAD).", Content: map[string]*huma.MediaType{
				"application/problem+json": {Schema: problem}}},
			"410": problemOrPage("Expired, or its max_clicks used up."),
			"413": page("The form is larger than MAX_BODY_BYTES: the form again."),
			"415": page("The body is not a web form: the form again."),
			"429": problemOrPage("Too many wrong passwords."),
			"503": unavailable,
		},
	})
	doc.AddOperation(&huma.Operation{
		OperationID: "liveness", Method: http.MethodGet, Path: "/healthz", Tags: []string{"system"},
		Summary:  "Liveness: the process answers",
		Metadata: map[string]any{rateClassKey: shortener.RateNone},
		Responses: map[string]*huma.Response{"200": {Description: `{"status":"ok"}`, Content: map[string]*huma.MediaType{
			"application/json": {Schema: &huma.Schema{Type: huma.TypeObject, Properties: map[string]*huma.Schema{"status": text}}}}}},
	})
	doc.AddOperation(&huma.Operation{
		OperationID: "metrics", Method: http.MethodGet, Path: "/metrics", Tags: []string{"system"},
		Summary:  "Prometheus metrics",
		Metadata: map[string]any{rateClassKey: shortener.RateNone},
		Responses: map[string]*huma.Response{
			"200": {Description: "The Prometheus text format.", Content: map[string]*huma.MediaType{"text/plain": {Schema: text}}},
			"401": {Description: "METRICS_TOKEN is set and the bearer token is not it.", Content: map[string]*huma.MediaType{
				"application/problem+json": {Schema: problem}}},
		},
	})
}
