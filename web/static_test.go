package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func TestStaticAssets(t *testing.T) {
	e := newEnv(t)
	home := e.browser().get("/")
	for _, name := range []string{"app.css", "app.js", "icon.svg"} {
		u, err := e.app.assets.url(name)
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`^/static/[a-z]+\.[0-9a-f]{10}\.(css|js|svg)$`).MatchString(u) {
			t.Errorf("%s served as %s, want a fingerprinted name", name, u)
		}
		if !strings.Contains(home.Body, `"`+u+`"`) {
			t.Errorf("the home page does not use %s", u)
		}
		p := e.browser().get(u)
		wantStatus(t, p, http.StatusOK)
		if got := p.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
			t.Errorf("%s Cache-Control %q", u, got)
		}
		// Revalidation by ETag answers 304.
		req := httptest.NewRequest(http.MethodGet, u, nil)
		req.Header.Set("If-None-Match", p.Header.Get("ETag"))
		rec := httptest.NewRecorder()
		e.app.ServeHTTP(rec, req)
		if rec.Code != http.StatusNotModified {
			t.Errorf("%s with its ETag: %d, want 304", u, rec.Code)
		}
	}
	css, _ := e.app.assets.url("app.css")
	if p := e.browser().get(css); !strings.HasPrefix(p.Header.Get("Content-Type"), "text/css") {
		t.Errorf("css served as %q", p.Header.Get("Content-Type"))
	}
	// Another fingerprint is not served, nor cached.
	p := e.browser().get("/static/app.0000000000.css")
	wantStatus(t, p, http.StatusNotFound)
	if p.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("stale asset Cache-Control %q", p.Header.Get("Cache-Control"))
	}
	var problem struct {
		Status int    `json:"status"`
		Detail string `json:"detail"`
	}
	if p.Header.Get("Content-Type") != "application/problem+json" || json.Unmarshal([]byte(p.Body), &problem) != nil ||
		problem.Status != http.StatusNotFound || problem.Detail == "" {
		t.Errorf("stale asset: %q %s, want a 404 problem", p.Header.Get("Content-Type"), p.Body)
	}
	if _, err := e.app.assets.url("nope.css"); err == nil {
		t.Error("an unknown asset has a URL")
	}
}

func TestQRCodes(t *testing.T) {
	e := newEnv(t)
	p := e.browser().get("/app/qr/abc.svg")
	wantStatus(t, p, http.StatusOK)
	if p.Header.Get("Content-Type") != "image/svg+xml" || p.Header.Get("Cache-Control") != qrCacheControl {
		t.Errorf("headers %v", p.Header)
	}
	if !strings.Contains(p.Body, `width="256"`) {
		t.Errorf("svg %q", p.Body)
	}
	wantStatus(t, e.browser().get("/app/qr/abc.png"), http.StatusOK)
	for _, bad := range []string{"/app/qr/abc.gif", "/app/qr/abc", "/app/qr/a%20b.svg", "/app/qr/missing.svg"} {
		wantStatus(t, e.browser().get(bad), http.StatusNotFound)
	}
	if n := e.qr.count("QRCode"); n != 3 {
		t.Errorf("QRCode called %d times, want 3 (bad names never reach it)", n)
	}
}

// Mount puts the app beside the API and the redirect on one mux without
// a pattern conflict (ServeMux panics on one).
func TestMount(t *testing.T) {
	e := newEnv(t)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{code}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusFound) })
	mux.HandleFunc("POST /{code}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusSeeOther) })
	mux.HandleFunc("/api/v1/", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	e.app.Mount(mux)
	for target, want := range map[string]int{
		"/": http.StatusOK, "/app": http.StatusSeeOther, "/app/login": http.StatusOK,
		"/abc": http.StatusFound, "/api/v1/urls": http.StatusTeapot,
	} {
		rec := httptestRecorder(mux, target)
		if rec != want {
			t.Errorf("GET %s: %d, want %d", target, rec, want)
		}
	}
}
