package httpapi

import (
	"reflect"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/shortener-dev/shortener"
)

// documentWebhooks describes in the document's webhooks section (OpenAPI
// 3.1) the POST an endpoint receives for each event: the envelope, each
// event's data and the Standard Webhooks headers.
func documentWebhooks(api huma.API) {
	doc := api.OpenAPI()
	reg := doc.Components.Schemas
	link := reg.Schema(reflect.TypeFor[LinkBody](), true, "")
	data := map[string]*huma.Schema{
		shortener.EventLinkCreated: link,
		shortener.EventLinkUpdated: link,
		shortener.EventLinkDeleted: link,
		shortener.EventLinkClicked: reg.Schema(reflect.TypeFor[shortener.ClickedData](), true, ""),
		shortener.EventPing:        reg.Schema(reflect.TypeFor[shortener.PingData](), true, ""),
	}
	about := map[string]string{
		shortener.EventLinkCreated: "A link of the endpoint's user was created; data is the Link object.",
		shortener.EventLinkUpdated: "A link of the endpoint's user was changed; data is the Link object after the change.",
		shortener.EventLinkDeleted: "A link of the endpoint's user was deleted; data is the Link object as it was.",
		shortener.EventLinkClicked: "Clicks on a link of the endpoint's user, at most 100 per delivery, sent at least every " +
			"10 s while clicks come in; each click as a row of the clicks export.",
		shortener.EventPing: "Sent by POST /api/v1/webhooks/{id}/test, to any endpoint.",
	}
	text := &huma.Schema{Type: huma.TypeString}
	headers := []*huma.Param{
		{Name: "webhook-id", In: "header", Required: true, Schema: text,
			Description: "The delivery's ID, the same on every attempt: receivers deduplicate on it (delivery is at least once)."},
		{Name: "webhook-timestamp", In: "header", Required: true, Schema: &huma.Schema{Type: huma.TypeInteger},
			Description: "The attempt's time, Unix seconds."},
		{Name: "webhook-signature", In: "header", Required: true, Schema: text,
			Description: "v1, then the base64 HMAC-SHA256 of \"{webhook-id}.{webhook-timestamp}.{body}\" keyed with the " +
				"secret's bytes (the base64 after whsec_, decoded)."},
	}
	if doc.Webhooks == nil {
		doc.Webhooks = map[string]*huma.PathItem{}
	}
	for _, event := range slices.Concat(shortener.WebhookEvents, []string{shortener.EventPing}) {
		envelope := &huma.Schema{Type: huma.TypeObject, Required: []string{"type", "timestamp", "data"},
			Properties: map[string]*huma.Schema{
				"type":      {Type: huma.TypeString, Enum: []any{event}},
				"timestamp": {Type: huma.TypeString, Format: "date-time", Description: "When the event happened."},
				"data":      data[event],
			}}
		doc.Webhooks[event] = &huma.PathItem{Post: &huma.Operation{
			OperationID: "webhook-" + strings.ReplaceAll(event, ".", "-"), Tags: []string{"webhooks"},
			Summary: event, Description: about[event], Parameters: headers,
			RequestBody: &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{"application/json": {Schema: envelope}}},
			Responses: map[string]*huma.Response{
				"2XX": {Description: "Delivered. Anything else, a redirect or no answer within 10 s is retried about 5 s, " +
					"5 min, 30 min, 2 h, 5 h, 10 h and 10 h later."},
			},
		}}
	}
}
