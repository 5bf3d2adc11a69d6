package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

var allowPrivateHooks = map[string]string{"WEBHOOK_ALLOW_PRIVATE": "true"}

// TestE2EWebhooksDeliverEveryEvent: every kind of event reaches a local
// receiver, signed so that a verifier written from the specification
// accepts it; link events carry the Link object the API answers.
func TestE2EWebhooksDeliverEveryEvent(t *testing.T) {
	forEachBackendEnv(t, allowPrivateHooks, func(t *testing.T, srv *testServer) {
		acct := srv.newAccount(t)
		recv := newHookReceiver(t)
		hookID := srv.addWebhook(t, acct, recv)

		list := srv.do(t, "GET", "/api/v1/webhooks", nil, withToken(acct.access))
		expectJSON(t, list, http.StatusOK)
		if strings.Contains(string(list.Body), "whsec_") || strings.Contains(string(list.Body), `"secret"`) {
			t.Errorf("the list shows the secret: %s", list.Body)
		}

		created := srv.createLink(t, acct.access, map[string]any{"original_url": "https://example.com/hooked", "title": "Hooked"})
		id, code := str(created["id"]), str(created["short_code"])
		upd := srv.do(t, "PATCH", "/api/v1/urls/"+id, map[string]any{"title": "Renamed"}, withToken(acct.access))
		expectJSON(t, upd, http.StatusOK)
		for range 3 {
			expectRedirect(t, srv.redirect(t, code, withHeader("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"),
				withHeader("Referer", "https://news.example.com/item")), "https://example.com/hooked")
		}
		expectStatus(t, srv.do(t, "POST", "/api/v1/webhooks/"+hookID+"/test", nil, withToken(acct.access)), http.StatusAccepted)
		waitLong(t, 20*time.Second, "link.created, link.updated, ping and 3 clicks", func() bool {
			return len(recv.received("link.created")) > 0 && len(recv.received("link.updated")) > 0 &&
				len(recv.received("ping")) > 0 && clickCountOf(recv) >= 3
		})
		expectStatus(t, srv.do(t, "DELETE", "/api/v1/urls/"+id, nil, withToken(acct.access)), http.StatusNoContent)
		waitLong(t, 10*time.Second, "link.deleted", func() bool { return len(recv.received("link.deleted")) > 0 })

		for _, e := range recv.received("") {
			if e.Verified != nil {
				t.Errorf("%s (%s): signature does not verify: %v", e.Type, e.ID, e.Verified)
			}
			if e.ID == "" || e.Timestamp == "" {
				t.Errorf("%s: webhook-id %q, timestamp %q", e.Type, e.ID, e.Timestamp)
			}
		}
		// The link events' data is the Link object: exactly what the API answered.
		sameObject(t, "link.created", recv.received("link.created")[0].Data, created)
		sameObject(t, "link.updated", recv.received("link.updated")[0].Data, upd.object(t))
		if d := recv.received("link.deleted")[0].Data; d["id"] != id || d["title"] != "Renamed" {
			t.Errorf("link.deleted data %v", d)
		}
		if d := recv.received("ping")[0].Data; d["webhook_id"] != hookID {
			t.Errorf("ping data %v", d)
		}
		for _, e := range recv.received("link.clicked") {
			link, _ := e.Data["link"].(map[string]any)
			if link["id"] != id || link["short_code"] != code {
				t.Errorf("link.clicked link %v", link)
			}
			for _, c := range e.Data["clicks"].([]any) {
				row := c.(map[string]any)
				if row["referrer_host"] != "news.example.com" || row["browser"] != "Firefox" || row["target"] != "https://example.com/hooked" {
					t.Errorf("click row %v", row)
				}
			}
			if strings.Contains(e.Body, "127.0.0.1") || strings.Contains(e.Body, "visitor") {
				t.Errorf("link.clicked shows an IP or a visitor hash: %s", e.Body)
			}
		}

		var log struct {
			Items []map[string]any `json:"items"`
		}
		res := srv.do(t, "GET", "/api/v1/webhooks/"+hookID+"/deliveries", nil, withToken(acct.access))
		expectJSON(t, res, http.StatusOK)
		res.decode(t, &log)
		if len(log.Items) < 5 {
			t.Fatalf("deliveries log has %d attempts, want every event's", len(log.Items))
		}
		for _, a := range log.Items {
			if a["delivered_at"] == nil || jsonInt(a["status_code"]) != 204 || a["error"] != nil || jsonInt(a["attempt"]) != 1 {
				t.Errorf("attempt %v, want a first attempt delivered with 204", a)
			}
			keys := slices.Sorted(maps.Keys(a))
			if want := []string{"attempt", "created_at", "delivered_at", "error", "event", "id", "status_code"}; !slices.Equal(keys, want) {
				t.Errorf("attempt has the fields %v, want exactly API.md's %v", keys, want)
			}
		}
	})
}

// jsonInt is a decoded JSON number as an int; -1 for anything else.
func jsonInt(v any) int {
	n, err := strconv.Atoi(fmt.Sprint(v))
	if err != nil {
		return -1
	}
	return n
}

func clickCountOf(r *hookReceiver) int {
	n := 0
	for _, e := range r.received("link.clicked") {
		clicks, _ := e.Data["clicks"].([]any)
		n += len(clicks)
	}
	return n
}

// sameObject compares an event's data with the API's answer, field by
// field, through JSON.
func sameObject(t *testing.T, what string, got, want map[string]any) {
	t.Helper()
	norm := func(m map[string]any) map[string]any {
		b, _ := json.Marshal(m)
		var out map[string]any
		_ = json.Unmarshal(b, &out)
		return out
	}
	if g, w := norm(got), norm(want); !reflect.DeepEqual(g, w) {
		t.Errorf("%s data differs from the API's Link object:\n got %v\nwant %v", what, g, w)
	}
}

// TestE2EWebhookRetriesAndRecovers: a receiver that answers 500, then one
// that times out, gets the event again about 5 s later (the first retry
// of the schedule) with the same webhook-id; the deliveries log shows the
// failures and the success.
func TestE2EWebhookRetriesAndRecovers(t *testing.T) {
	forEachBackendEnv(t, allowPrivateHooks, func(t *testing.T, srv *testServer) {
		acct := srv.newAccount(t)
		recv := newHookReceiver(t)
		hookID := srv.addWebhook(t, acct, recv)
		recv.setMode(func(e hookEvent) string {
			n := 0
			for _, x := range recv.events {
				if x.ID == e.ID {
					n++
				}
			}
			switch {
			case n > 1:
				return answerOK
			case e.Type == "link.created":
				return answer500
			default:
				return answerHang
			}
		})
		l := srv.createLink(t, acct.access, map[string]any{"original_url": "https://example.com/retry"})
		expectJSON(t, srv.do(t, "PATCH", "/api/v1/urls/"+str(l["id"]), map[string]any{"title": "t"}, withToken(acct.access)), http.StatusOK)
		// While the receiver holds a delivery, the redirect and the API
		// answer as ever (a functional check: the hang lasts 10 s).
		waitLong(t, 10*time.Second, "the held delivery", func() bool { return len(recv.received("link.updated")) > 0 })
		start := time.Now()
		expectRedirect(t, srv.redirect(t, str(l["short_code"])), "https://example.com/retry")
		expectJSON(t, srv.do(t, "GET", "/api/v1/urls/"+str(l["id"]), nil, withToken(acct.access)), http.StatusOK)
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("a redirect and an API call took %v while a receiver hung", d)
		}
		waitLong(t, 30*time.Second, "both events delivered on their second attempt", func() bool {
			return len(recv.received("link.created")) >= 2 && len(recv.received("link.updated")) >= 2
		})
		for _, typ := range []string{"link.created", "link.updated"} {
			got := recv.received(typ)
			if got[0].ID != got[1].ID {
				t.Errorf("%s: webhook-id changed between attempts: %q, %q", typ, got[0].ID, got[1].ID)
			}
			gap := got[1].At.Sub(got[0].At)
			if typ == "link.updated" {
				gap -= 10 * time.Second // the first attempt waited for its timeout
			}
			if gap < 3*time.Second || gap > 9*time.Second {
				t.Errorf("%s: retry came %v after the failure, want about 5 s (±20%%, plus polling)", typ, gap)
			}
		}
		var log struct {
			Items []map[string]any `json:"items"`
		}
		res := srv.do(t, "GET", "/api/v1/webhooks/"+hookID+"/deliveries", nil, withToken(acct.access))
		expectJSON(t, res, http.StatusOK)
		res.decode(t, &log)
		kinds := map[string]bool{}
		for _, a := range log.Items {
			switch {
			case jsonInt(a["status_code"]) == 500 && strings.HasPrefix(str(a["error"]), "HTTP 500") && jsonInt(a["attempt"]) == 1:
				kinds["500"] = true
			case a["status_code"] == nil && a["error"] == "timed out" && jsonInt(a["attempt"]) == 1:
				kinds["timeout"] = true
			case a["delivered_at"] != nil && jsonInt(a["attempt"]) == 2:
				kinds["recovered"] = true
			}
		}
		if len(kinds) != 3 {
			t.Errorf("deliveries log %v, want a 500, a timeout and second attempts that succeeded", log.Items)
		}
	})
}

// TestE2EWebhooksSurviveSIGKILL: a server killed with SIGKILL while an
// event is being sent (and with a click not yet delivered) loses nothing:
// after the restart, the event is sent again once its claim lapses (same
// webhook-id, so the receiver can drop the repeat) and the click arrives.
func TestE2EWebhooksSurviveSIGKILL(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			srv := startServer(t, backend, allowPrivateHooks)
			acct := srv.newAccount(t)
			recv := newHookReceiver(t)
			srv.addWebhook(t, acct, recv)
			srv.stop(t)

			recv.setMode(func(hookEvent) string { return answerHang })
			child := startChild(t, maps.Clone(srv.env))
			childSrv := &testServer{url: child.url, client: srv.client}
			l := childSrv.createLink(t, acct.access, map[string]any{"original_url": "https://example.com/crash"})
			code := str(l["short_code"])
			expectRedirect(t, childSrv.redirect(t, code, withHeader("User-Agent", "Mozilla/5.0 Firefox/120.0")), "https://example.com/crash")
			waitLong(t, 10*time.Second, "the link.created send in flight", func() bool { return len(recv.received("link.created")) > 0 })
			child.kill()

			recv.setMode(func(hookEvent) string { return answerOK })
			launch(t, backend, srv.env)
			// The send that died holds its claim for its lease (30 s).
			waitLong(t, 60*time.Second, "link.created again and the click", func() bool {
				return len(recv.received("link.created")) >= 2 && clickCountOf(recv) >= 1
			})
			first, second := recv.received("link.created")[0], recv.received("link.created")[1]
			if first.ID != second.ID || second.Verified != nil || second.Data["id"] != l["id"] {
				t.Errorf("after the restart: webhook-id %q (before %q), signature %v, data %v", second.ID, first.ID, second.Verified, second.Data)
			}
		})
	}
}

// TestE2EWebhookEndpointRules: endpoints on private addresses need
// WEBHOOK_ALLOW_PRIVATE; webhooks belong to their user; a key needs
// webhooks:write.
func TestE2EWebhookEndpointRules(t *testing.T) {
	srv := startServer(t, "embedded", nil)
	acct, other := srv.newAccount(t), srv.newAccount(t)
	for _, u := range []string{"http://127.0.0.1:9/hook", "http://localhost/hook", "http://10.0.0.1/", "ftp://example.com/"} {
		expectValidation(t, srv.do(t, "POST", "/api/v1/webhooks", map[string]any{"url": u, "events": []string{"link.created"}},
			withToken(acct.access)), "body.url")
	}
	expectValidation(t, srv.do(t, "POST", "/api/v1/webhooks", map[string]any{"url": "https://hooks.example.com/", "events": []string{"link.renamed"}},
		withToken(acct.access)), "body.events[0]")
	res := srv.do(t, "POST", "/api/v1/webhooks", map[string]any{"url": "https://hooks.example.com/", "events": []string{"link.created"}},
		withToken(acct.access))
	expectJSON(t, res, http.StatusCreated)
	id := str(res.object(t)["id"])
	if res.Header.Get("Location") != "/api/v1/webhooks/"+id {
		t.Errorf("Location %q", res.Header.Get("Location"))
	}
	for _, c := range [][2]string{{"GET", ""}, {"DELETE", ""}, {"GET", "/deliveries"}, {"POST", "/test"}} {
		expectProblem(t, srv.do(t, c[0], "/api/v1/webhooks/"+id+c[1], nil, withToken(other.access)), http.StatusNotFound)
	}
	key := srv.newKey(t, acct, "links:write")
	expectProblem(t, srv.do(t, "GET", "/api/v1/webhooks", nil, withToken(key)), http.StatusForbidden)
	res = srv.do(t, "PATCH", "/api/v1/webhooks/"+id, map[string]any{"is_active": false}, withToken(srv.newKey(t, acct, "webhooks:write")))
	expectJSON(t, res, http.StatusOK)
	if res.object(t)["is_active"] != false {
		t.Errorf("PATCH is_active false: %s", res)
	}
}
