package httpapi_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestWebhookHandlers(t *testing.T) {
	f := newFakes()
	srv := f.server()
	w := serve(t, srv, "POST", "/api/v1/webhooks", `{"url":"https://hooks.example.com/crm","events":["link.created","link.clicked"],"description":"CRM"}`, bearer(allKeys)...)
	if w.Code != http.StatusCreated || w.Header().Get("Location") != "/api/v1/webhooks/"+hookID {
		t.Fatalf("create: %d %s (Location %q)", w.Code, w.Body, w.Header().Get("Location"))
	}
	var created map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &created)
	for _, k := range []string{"id", "url", "events", "description", "is_active", "created_at", "secret"} {
		if _, ok := created[k]; !ok {
			t.Errorf("created webhook lacks %q", k)
		}
	}
	if s, _ := created["secret"].(string); !strings.HasPrefix(s, "whsec_") {
		t.Errorf("secret %v", created["secret"])
	}
	if f.webhooks.created.Description != "CRM" || len(f.webhooks.created.Events) != 2 || f.webhooks.caller != ada {
		t.Errorf("service got %+v from %v", f.webhooks.created, f.webhooks.caller)
	}

	for _, target := range []string{"/api/v1/webhooks", "/api/v1/webhooks/" + hookID} {
		w = serve(t, srv, "GET", target, "", bearer(adaToken)...)
		if w.Code != http.StatusOK || strings.Contains(w.Body.String(), "secret") || strings.Contains(w.Body.String(), "whsec_") {
			t.Errorf("GET %s: %d %s; want 200 without the secret", target, w.Code, w.Body)
		}
	}

	w = serve(t, srv, "PATCH", "/api/v1/webhooks/"+hookID, `{"is_active":false,"events":["link.deleted"]}`, bearer(adaToken)...)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"is_active":false`) {
		t.Errorf("PATCH: %d %s", w.Code, w.Body)
	}
	if u := f.webhooks.updated; u == nil || u.IsActive == nil || *u.IsActive || u.Events == nil || (*u.Events)[0] != "link.deleted" || u.URL != nil {
		t.Errorf("update got %+v", u)
	}
	if u := f.webhooks.updated; u.Description != nil {
		t.Errorf("a PATCH without description changed it to %q", *u.Description)
	}
	decodeProblem(t, serve(t, srv, "PATCH", "/api/v1/webhooks/"+hookID, `{"url":null}`, bearer(adaToken)...), http.StatusUnprocessableEntity)
	// null clears the description, as it means none on create.
	w = serve(t, srv, "PATCH", "/api/v1/webhooks/"+hookID, `{"description":null}`, bearer(adaToken)...)
	if u := f.webhooks.updated; w.Code != http.StatusOK || u.Description == nil || *u.Description != "" {
		t.Errorf("PATCH description null: %d %s, update got %+v", w.Code, w.Body, u)
	}

	var log struct {
		Items []map[string]any `json:"items"`
	}
	decodeJSON(t, serve(t, srv, "GET", "/api/v1/webhooks/"+hookID+"/deliveries", "", bearer(adaToken)...), &log)
	if len(log.Items) != 2 {
		t.Fatalf("deliveries %v", log.Items)
	}
	ok, failed := log.Items[0], log.Items[1]
	if keys := slices.Sorted(maps.Keys(ok)); !slices.Equal(keys, []string{"attempt", "created_at", "delivered_at", "error", "event", "id", "status_code"}) {
		t.Errorf("delivery has the fields %v, want exactly API.md's", keys)
	}
	if ok["status_code"] != float64(204) || ok["error"] != nil || ok["delivered_at"] == nil ||
		failed["status_code"] != nil || failed["error"] != "timed out" || failed["delivered_at"] != nil {
		t.Errorf("deliveries: %v, %v", ok, failed)
	}

	if w := serve(t, srv, "POST", "/api/v1/webhooks/"+hookID+"/test", "", bearer(adaToken)...); w.Code != http.StatusAccepted || f.webhooks.pinged != hookID {
		t.Errorf("ping: %d %s", w.Code, w.Body)
	}
	if w := serve(t, srv, "DELETE", "/api/v1/webhooks/"+hookID, "", bearer(adaToken)...); w.Code != http.StatusNoContent {
		t.Errorf("delete: %d %s", w.Code, w.Body)
	}
	other := "/api/v1/webhooks/0190a0f4-0000-7000-8000-0000000000ff"
	for _, c := range [][2]string{{"GET", other}, {"DELETE", other}, {"POST", other + "/test"}, {"GET", other + "/deliveries"}} {
		decodeProblem(t, serve(t, srv, c[0], c[1], "", bearer(adaToken)...), http.StatusNotFound)
	}
	decodeProblem(t, serve(t, srv, "GET", "/api/v1/webhooks", ""), http.StatusUnauthorized)
	decodeProblem(t, serve(t, srv, "GET", "/api/v1/webhooks", "", bearer(keyWith("links:write"))...), http.StatusForbidden)
}
