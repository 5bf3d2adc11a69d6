package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/links"
	"github.com/shortener-dev/shortener/qr"
)

// TestE2EOpenAPILimitsAreTheRules: the limits and defaults the API's schema
// states (huma checks a request against them before any service sees it)
// are the numbers of the rules themselves, so that a rule changed in one
// place cannot leave the API refusing at the old number.
func TestE2EOpenAPILimitsAreTheRules(t *testing.T) {
	t.Parallel()
	srv := startServer(t, "embedded", nil)
	r := srv.do(t, "GET", "/openapi.json", nil)
	expectStatus(t, r, http.StatusOK)
	var doc map[string]any
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		t.Fatal(err)
	}
	// at follows a path of keys (and $refs) through the document.
	at := func(path ...string) any {
		var v any = doc
		for i, k := range path {
			m, ok := v.(map[string]any)
			if ref, isRef := m["$ref"].(string); ok && isRef {
				v = doc["components"].(map[string]any)["schemas"].(map[string]any)[strings.TrimPrefix(ref, "#/components/schemas/")]
				m, ok = v.(map[string]any)
			}
			if !ok || m[k] == nil {
				t.Fatalf("no %s in the document", strings.Join(path[:i+1], "."))
			}
			v = m[k]
		}
		return v
	}
	param := func(path, method, name string) map[string]any {
		for _, p := range at("paths", path, method, "parameters").([]any) {
			if p := p.(map[string]any); p["name"] == name {
				return p["schema"].(map[string]any)
			}
		}
		t.Fatalf("%s %s has no parameter %s", method, path, name)
		return nil
	}
	body := func(path, method string) []string {
		return []string{"paths", path, method, "requestBody", "content", "application/json", "schema"}
	}
	create := body("/api/v1/urls", "post")
	for _, c := range []struct {
		name string
		got  any
		want any
	}{
		{"qr size minimum", param("/api/v1/qr/{short_code}", "get", "size")["minimum"], qr.MinSize},
		{"qr size maximum", param("/api/v1/qr/{short_code}", "get", "size")["maximum"], qr.MaxSize},
		{"qr size default", param("/api/v1/qr/{short_code}", "get", "size")["default"], qr.DefaultSize},
		{"qr margin minimum", param("/api/v1/qr/{short_code}", "get", "margin")["minimum"], qr.MinMargin},
		{"qr margin maximum", param("/api/v1/qr/{short_code}", "get", "margin")["maximum"], qr.MaxMargin},
		{"qr margin default", param("/api/v1/qr/{short_code}", "get", "margin")["default"], qr.DefaultMargin},
		{"qr ecc default", param("/api/v1/qr/{short_code}", "get", "ecc")["default"], qr.DefaultECC},
		{"qr format default", param("/api/v1/qr/{short_code}", "get", "format")["default"], qr.DefaultFormat},
		{"list q maxLength", param("/api/v1/urls", "get", "q")["maxLength"], shortener.MaxSearchLength},
		{"rules maxItems", at(append(create, "properties", "rules", "maxItems")...), shortener.MaxRules},
		{"rule url maxLength", at(append(create, "properties", "rules", "items", "properties", "url", "maxLength")...), shortener.MaxURLLength},
		{"rule country maxItems", at(append(create, "properties", "rules", "items", "properties", "country", "maxItems")...), shortener.MaxRuleConditions},
		{"variants minItems", at(append(create, "properties", "variants", "minItems")...), shortener.MinVariants},
		{"variants maxItems", at(append(create, "properties", "variants", "maxItems")...), shortener.MaxVariants},
		{"variant url maxLength", at(append(create, "properties", "variants", "items", "properties", "url", "maxLength")...), shortener.MaxURLLength},
		{"variant weight minimum", at(append(create, "properties", "variants", "items", "properties", "weight", "minimum")...), shortener.MinVariantWeight},
		{"variant weight maximum", at(append(create, "properties", "variants", "items", "properties", "weight", "maximum")...), shortener.MaxVariantWeight},
		{"bulk items maxItems", at(append(body("/api/v1/urls/bulk", "post"), "properties", "items", "maxItems")...), links.MaxBulkItems},
	} {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s: the document says %v, the rule %v", c.name, c.got, c.want)
		}
	}
}
