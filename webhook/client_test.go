package webhook_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shortener-dev/shortener/webhook"
)

func TestClientRefusesNonGlobalAddressesAfterResolution(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(204) }))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	strict := webhook.NewClient(webhook.ClientOptions{})
	// An IP literal, and a name that resolves to loopback (as a rebound
	// DNS name would): both refused at connect time.
	for _, target := range []string{srv.URL, "http://localhost" + port + "/"} {
		_, err := strict.Post(target, "application/json", strings.NewReader("{}"))
		if !errors.Is(err, webhook.ErrNotGlobal) {
			t.Errorf("POST %s: %v, want ErrNotGlobal", target, err)
		}
	}
	loose := webhook.NewClient(webhook.ClientOptions{AllowPrivate: true})
	resp, err := loose.Post(srv.URL, "application/json", strings.NewReader("{}"))
	if err != nil || resp.StatusCode != 204 {
		t.Fatalf("with AllowPrivate: %v, %v", resp, err)
	}
	resp.Body.Close()
}

func TestClientFollowsNoRedirectsAndNoProxy(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		if r.URL.Path == "/elsewhere" {
			t.Error("the redirect was followed")
		}
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	}))
	defer srv.Close()
	t.Setenv("HTTP_PROXY", "http://192.0.2.1:9") // unreachable: used, it would fail
	t.Setenv("http_proxy", "http://192.0.2.1:9")
	c := webhook.NewClient(webhook.ClientOptions{AllowPrivate: true})
	resp, err := c.Post(srv.URL+"/hook", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || hits != 1 {
		t.Errorf("status %d after %d hits, want the 302 itself", resp.StatusCode, hits)
	}
}
