package main

import (
	"slices"
	"testing"
)

// TestE2EOpenAPIOrganising: the OpenAPI document declares the organising
// calls with their media types and the API-key scope each needs.
func TestE2EOpenAPIOrganising(t *testing.T) {
	t.Parallel()
	srv := startServer(t, "embedded", nil)
	doc := srv.openAPI(t)
	for _, c := range []struct {
		path, method, request, response, scope string
	}{
		{"/api/v1/urls/bulk", "post", "application/json", "application/json", "links:write"},
		{"/api/v1/urls/import", "post", "text/csv", "application/json", "links:write"},
		{"/api/v1/urls/export", "get", "", "text/csv; charset=utf-8", "links:read"},
		{"/api/v1/tags", "get", "", "application/json", "links:read"},
		{"/api/v1/analytics/{short_code}/clicks", "get", "", "text/csv; charset=utf-8", "analytics:read"},
		{"/api/v1/analytics/{short_code}/clicks", "get", "", "application/x-ndjson", "analytics:read"},
	} {
		op, ok := doc.Paths[c.path][c.method]
		if !ok {
			t.Errorf("%s %s is not in the document", c.method, c.path)
			continue
		}
		if c.request != "" && (op.RequestBody == nil || op.RequestBody.Content[c.request] == nil) {
			t.Errorf("%s %s: request body %v, want %s", c.method, c.path, op.RequestBody, c.request)
		}
		if op.Responses["200"].Content[c.response] == nil {
			t.Errorf("%s %s: 200 content %v, want %s", c.method, c.path, op.Responses["200"].Content, c.response)
		}
		found := false
		for _, s := range op.Security {
			for _, scopes := range s {
				found = found || slices.Contains(scopes, c.scope)
			}
		}
		if !found {
			t.Errorf("%s %s: security %v, want the scope %s", c.method, c.path, op.Security, c.scope)
		}
	}
}
