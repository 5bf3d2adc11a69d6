package httpapi_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/shortener-dev/shortener"
)

// scopeCall is one call of an operation and the scope an API key needs
// for it: a shortener scope, "access-token" (no key may) or "" (any
// caller may).
type scopeCall struct {
	operation, method, target, body string
	scope                           shortener.Scope
}

// allScopeCalls names a call of every operation of the API.
func allScopeCalls() []scopeCall { return append(slices.Clone(scopeCalls), webhookScopeCalls...) }

// webhookScopeCalls are the calls of the webhook operations.
var webhookScopeCalls = []scopeCall{
	{"create-webhook", "POST", "/api/v1/webhooks", `{"url":"https://hooks.example.com/in","events":["link.created"]}`, shortener.ScopeWebhooksWrite},
	{"list-webhooks", "GET", "/api/v1/webhooks", "", shortener.ScopeWebhooksWrite},
	{"get-webhook", "GET", "/api/v1/webhooks/" + hookID, "", shortener.ScopeWebhooksWrite},
	{"update-webhook", "PATCH", "/api/v1/webhooks/" + hookID, `{"is_active":false}`, shortener.ScopeWebhooksWrite},
	{"delete-webhook", "DELETE", "/api/v1/webhooks/" + hookID, "", shortener.ScopeWebhooksWrite},
	{"webhook-deliveries", "GET", "/api/v1/webhooks/" + hookID + "/deliveries", "", shortener.ScopeWebhooksWrite},
	{"ping-webhook", "POST", "/api/v1/webhooks/" + hookID + "/test", "", shortener.ScopeWebhooksWrite},
}

// scopeCalls are the calls of the operations on links, accounts and keys.
var scopeCalls = []scopeCall{
	{"register", "POST", "/api/v1/auth/register", `{"email":"b@example.com","password":"Correct7Horse"}`, "access-token"},
	{"login", "POST", "/api/v1/auth/login", `{"email":"b@example.com","password":"x"}`, "access-token"},
	{"refresh", "POST", "/api/v1/auth/refresh", `{"refresh_token":"r"}`, "access-token"},
	{"logout", "POST", "/api/v1/auth/logout", `{"refresh_token":"r"}`, "access-token"},
	{"me", "GET", "/api/v1/auth/me", "", "access-token"},
	{"update-me", "PATCH", "/api/v1/auth/me", `{"full_name":"x"}`, "access-token"},
	{"create-key", "POST", "/api/v1/keys", `{"name":"CI","scopes":["links:read"]}`, "access-token"},
	{"list-keys", "GET", "/api/v1/keys", "", "access-token"},
	{"revoke-key", "DELETE", "/api/v1/keys/0190a0f4-0000-7000-8000-0000000000aa", "", "access-token"},
	{"create-link", "POST", "/api/v1/urls", `{"original_url":"https://example.com"}`, shortener.ScopeLinksWrite},
	{"list-links", "GET", "/api/v1/urls", "", shortener.ScopeLinksRead},
	{"get-link", "GET", linkPath, "", shortener.ScopeLinksRead},
	{"update-link", "PATCH", linkPath, `{"title":"t"}`, shortener.ScopeLinksWrite},
	{"delete-link", "DELETE", linkPath, "", shortener.ScopeLinksWrite},
	{"analytics-summary", "GET", "/api/v1/analytics/abc/summary", "", shortener.ScopeAnalyticsRead},
	{"qr-code", "GET", "/api/v1/qr/abc", "", shortener.ScopeLinksRead},
	{"health", "GET", "/api/v1/health", "", ""},
	// The routes outside huma, in the document for its readers.
	{"redirect", "GET", "/abc", "", ""},
	{"redirect-head", "HEAD", "/abc", "", ""},
	{"redirect-password", "POST", "/abc", "password=x", ""},
	{"liveness", "GET", "/healthz", "", ""},
	{"metrics", "GET", "/metrics", "", ""},
}

// TestEachScopeAllowsExactlyItsOperations: a key with one scope gets past
// the operations of that scope and is 403 everywhere else (also where an
// anonymous call would be allowed); no key may make the account and key
// calls; anyone may ask for health. An access token is never 403.
func TestEachScopeAllowsExactlyItsOperations(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range allScopeCalls() {
		covered[c.operation] = true
		for _, key := range append(slices.Clone(shortener.AllScopes), "all") {
			cred := keyWith(key)
			if key == "all" {
				cred = allKeys
			}
			allowed := c.scope == "" || c.scope == key || (key == "all" && c.scope != "access-token")
			for _, header := range [][]string{bearer(cred), {"X-API-Key", cred}} {
				f := withAnswers(newFakes())
				w := serve(t, f.server(), c.method, c.target, c.body, header...)
				if got := w.Code == http.StatusForbidden; got == allowed {
					t.Errorf("%s with a %s key (%s): status %d, want allowed=%v; %s", c.operation, key, header[0], w.Code, allowed, w.Body)
				}
				if !allowed {
					p := decodeProblem(t, w, http.StatusForbidden)
					if p.Detail == "" || (c.scope != "access-token" && !strings.Contains(p.Detail, string(c.scope))) {
						t.Errorf("%s: 403 detail %q does not name the scope %s", c.operation, p.Detail, c.scope)
					}
				}
			}
		}
		f := withAnswers(newFakes())
		if w := serve(t, f.server(), c.method, c.target, c.body, bearer(adaToken)...); w.Code == http.StatusForbidden {
			t.Errorf("%s with an access token: 403", c.operation)
		}
	}
	for _, op := range operationIDs(t) {
		if !covered[op] {
			t.Errorf("operation %s has no scope case", op)
		}
	}
}

// TestOpenAPIDeclaresScopes: both security schemes are in the document,
// and each operation's security requirement names the scope the server
// enforces.
func TestOpenAPIDeclaresScopes(t *testing.T) {
	var doc struct {
		Components struct {
			SecuritySchemes map[string]struct {
				Type, Scheme, In, Name string
			} `json:"securitySchemes"`
		} `json:"components"`
		Paths map[string]map[string]struct {
			OperationID string                `json:"operationId"`
			Security    []map[string][]string `json:"security"`
		} `json:"paths"`
	}
	openAPIDocument(t, newFakes().server(), &doc)
	schemes := doc.Components.SecuritySchemes
	if b := schemes["bearer"]; b.Type != "http" || b.Scheme != "bearer" {
		t.Errorf("bearer scheme = %+v", b)
	}
	if k := schemes["apiKey"]; k.Type != "apiKey" || k.In != "header" || k.Name != "X-API-Key" {
		t.Errorf("apiKey scheme = %+v", k)
	}
	want := map[string]shortener.Scope{}
	for _, c := range allScopeCalls() {
		want[c.operation] = c.scope
	}
	for path, methods := range doc.Paths {
		for method, op := range methods {
			scope, ok := want[op.OperationID]
			if !ok {
				t.Errorf("%s %s (%s) has no scope case", method, path, op.OperationID)
				continue
			}
			var keyScopes []string
			for _, req := range op.Security {
				if s, ok := req["apiKey"]; ok {
					keyScopes = s
				}
			}
			switch scope {
			case "", "access-token":
				if keyScopes != nil {
					t.Errorf("%s takes API keys in the document (%v), but no key may call it", op.OperationID, keyScopes)
				}
			default:
				if !slices.Equal(keyScopes, []string{string(scope)}) {
					t.Errorf("%s: the document's API key scopes %v, want [%s]", op.OperationID, keyScopes, scope)
				}
			}
		}
	}
}

func TestAPIKeyHeaders(t *testing.T) {
	f := withAnswers(newFakes())
	srv := f.server()
	for _, header := range [][]string{bearer(allKeys), {"X-API-Key", allKeys}, {"X-API-Key", " " + allKeys + " "}} {
		w := serve(t, srv, "GET", "/api/v1/urls", "", header...)
		if w.Code != http.StatusOK || f.links.caller != ada {
			t.Errorf("%q: status %d, caller %v; want 200 acting as ada", header, w.Code, f.links.caller)
		}
	}
	for _, header := range [][]string{bearer("shk_revoked"), {"X-API-Key", "shk_revoked"}} {
		w := serve(t, srv, "GET", "/api/v1/urls", "", header...)
		decodeProblem(t, w, http.StatusUnauthorized)
		if w.Header().Get("WWW-Authenticate") != "Bearer" {
			t.Errorf("%q: WWW-Authenticate %q", header, w.Header().Get("WWW-Authenticate"))
		}
	}
	// A bad key fails also where no credential is needed: it was sent.
	decodeProblem(t, serve(t, srv, "GET", linkPath, "", "X-API-Key", "shk_revoked"), http.StatusUnauthorized)
}

func TestCORSAllowsAPIKeyHeader(t *testing.T) {
	f := newFakes()
	f.corsOrigins = []string{"https://app.example.com"}
	srv := f.server()
	w := serve(t, srv, "OPTIONS", "/api/v1/urls", "", "Origin", "https://app.example.com",
		"Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "X-API-Key")
	if !strings.Contains(w.Header().Get("Access-Control-Allow-Headers"), "X-API-Key") {
		t.Errorf("Access-Control-Allow-Headers %q lacks X-API-Key", w.Header().Get("Access-Control-Allow-Headers"))
	}
}

func TestKeyHandlers(t *testing.T) {
	f := newFakes()
	srv := f.server()
	w := serve(t, srv, "POST", "/api/v1/keys", `{"name":"CI","scopes":["links:write","links:read"],"expires_at":"2027-01-01T00:00:00Z"}`, bearer(adaToken)...)
	if w.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	var created map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &created); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "name", "prefix", "scopes", "created_at", "expires_at", "last_used_at", "key"} {
		if _, ok := created[k]; !ok {
			t.Errorf("created key lacks %q: %v", k, created)
		}
	}
	if key, _ := created["key"].(string); !strings.HasPrefix(key, "shk_") || created["prefix"] != key[:12] {
		t.Errorf("key %v, prefix %v", created["key"], created["prefix"])
	}
	if fmt := created["scopes"]; !slices.Equal(toStrings(fmt), []string{"links:read", "links:write"}) {
		t.Errorf("scopes %v", fmt)
	}
	if f.auth.keyCalls.created.ExpiresAt == nil || f.auth.keyCalls.caller.IsKey() {
		t.Errorf("create got %+v from %+v", f.auth.keyCalls.created, f.auth.keyCalls.caller)
	}

	w = serve(t, srv, "GET", "/api/v1/keys", "", bearer(adaToken)...)
	if w.Code != http.StatusOK || strings.Contains(w.Body.String(), `"key"`) || strings.Contains(w.Body.String(), "secret-hash") {
		t.Errorf("list: %d %s; want 200 without keys or hashes", w.Code, w.Body)
	}
	if w := serve(t, srv, "DELETE", "/api/v1/keys/0190a0f4-0000-7000-8000-0000000000aa", "", bearer(adaToken)...); w.Code != http.StatusNoContent {
		t.Errorf("revoke: %d %s", w.Code, w.Body)
	}
	decodeProblem(t, serve(t, srv, "DELETE", "/api/v1/keys/"+shortener.NewID(), "", bearer(adaToken)...), http.StatusNotFound)
	decodeProblem(t, serve(t, srv, "GET", "/api/v1/keys", ""), http.StatusUnauthorized)
	p := decodeProblem(t, serve(t, srv, "POST", "/api/v1/keys", `{"name":"CI","scopes":["nope"]}`, bearer(adaToken)...), http.StatusUnprocessableEntity)
	if len(p.Errors) != 1 || p.Errors[0].Location != "body.scopes[0]" {
		t.Errorf("422 errors %+v", p.Errors)
	}
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// TestOpenAPIDocuments503: every operation under /api/v1 can answer 503
// (a dependency down, or the call's deadline passed), and the document
// says so, with the Retry-After the answer carries.
func TestOpenAPIDocuments503(t *testing.T) {
	f := newFakes()
	f.organiser = slowImport{}
	f.clickExports = slowClicks{}
	var doc struct {
		Paths map[string]map[string]struct {
			Responses map[string]struct {
				Headers map[string]any `json:"headers"`
			} `json:"responses"`
		} `json:"paths"`
	}
	openAPIDocument(t, f.server(), &doc)
	checked := 0
	for path, methods := range doc.Paths {
		if !strings.HasPrefix(path, "/api/v1/") {
			continue
		}
		for method, op := range methods {
			checked++
			resp, ok := op.Responses["503"]
			if !ok {
				t.Errorf("%s %s: no 503 in the document", method, path)
			} else if resp.Headers["Retry-After"] == nil {
				t.Errorf("%s %s: its 503 has no Retry-After", method, path)
			}
		}
	}
	if checked < 25 {
		t.Errorf("only %d operations under /api/v1", checked)
	}
	// A download says its file name.
	for _, path := range []string{"/api/v1/urls/export", "/api/v1/analytics/{short_code}/clicks"} {
		if doc.Paths[path]["get"].Responses["200"].Headers["Content-Disposition"] == nil {
			t.Errorf("GET %s: its 200 has no Content-Disposition", path)
		}
	}
}

// TestOpenAPIEnumsAreTheRules: the document's lists of scopes and events
// are the ones the service checks (shortener.AllScopes, WebhookEvents).
func TestOpenAPIEnumsAreTheRules(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Items struct {
						Enum []string `json:"enum"`
					} `json:"items"`
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	openAPIDocument(t, newFakes().server(), &doc)
	var scopes []string
	for _, s := range shortener.AllScopes {
		scopes = append(scopes, string(s))
	}
	for _, c := range []struct {
		schema, field string
		want          []string
	}{
		{"CreateKeyInputBody", "scopes", scopes},
		{"CreateWebhookInputBody", "events", shortener.WebhookEvents},
		{"UpdateWebhookInputBody", "events", shortener.WebhookEvents},
	} {
		got := doc.Components.Schemas[c.schema].Properties[c.field].Items.Enum
		if !slices.Equal(got, c.want) {
			t.Errorf("%s.%s: enum %q, want %q", c.schema, c.field, got, c.want)
		}
	}
}

// openAPIDocument decodes the server's OpenAPI document into doc.
func openAPIDocument(t *testing.T, srv http.Handler, doc any) {
	t.Helper()
	w := serve(t, srv, "GET", "/openapi.json", "")
	if err := json.Unmarshal(w.Body.Bytes(), doc); err != nil {
		t.Fatal(err)
	}
}

// The document's webhooks section describes the POST of every event an
// endpoint may receive, with the Standard Webhooks headers.
func TestOpenAPIDocumentsWebhooks(t *testing.T) {
	var doc struct {
		Webhooks map[string]struct {
			Post struct {
				Parameters []struct {
					Name     string `json:"name"`
					Required bool   `json:"required"`
				} `json:"parameters"`
				RequestBody struct {
					Content map[string]struct {
						Schema struct {
							Properties map[string]struct {
								Enum []string `json:"enum"`
								Ref  string   `json:"$ref"`
							} `json:"properties"`
						} `json:"schema"`
					} `json:"content"`
				} `json:"requestBody"`
			} `json:"post"`
		} `json:"webhooks"`
	}
	openAPIDocument(t, newFakes().server(), &doc)
	wantData := map[string]string{
		shortener.EventLinkCreated: "#/components/schemas/LinkBody", shortener.EventLinkUpdated: "#/components/schemas/LinkBody",
		shortener.EventLinkDeleted: "#/components/schemas/LinkBody", shortener.EventLinkClicked: "#/components/schemas/ClickedData",
		shortener.EventPing: "#/components/schemas/PingData",
	}
	if len(doc.Webhooks) != len(shortener.WebhookEvents)+1 {
		t.Errorf("%d webhooks documented, want every event and ping", len(doc.Webhooks))
	}
	for event, ref := range wantData {
		post := doc.Webhooks[event].Post
		var headers []string
		for _, p := range post.Parameters {
			if p.Required {
				headers = append(headers, p.Name)
			}
		}
		if !slices.Equal(headers, []string{"webhook-id", "webhook-timestamp", "webhook-signature"}) {
			t.Errorf("%s: required headers %q", event, headers)
		}
		props := post.RequestBody.Content["application/json"].Schema.Properties
		if !slices.Equal(props["type"].Enum, []string{event}) || props["data"].Ref != ref {
			t.Errorf("%s: type %q, data %q; want %q, %q", event, props["type"].Enum, props["data"].Ref, event, ref)
		}
	}
}
