package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/shortener-dev/shortener"
)

func TestQRImage(t *testing.T) {
	f := newFakes()
	f.qr.img = &shortener.QRImage{ETag: `"abc123"`, ContentType: "image/svg+xml", Data: []byte("<svg/>")}
	w := serve(t, f.server(), "GET", "/api/v1/qr/abc?format=svg&size=512&margin=2&ecc=H&fg=112233&bg=FFFFFF", "",
		"If-None-Match", `"stale"`)
	if w.Code != http.StatusOK || w.Body.String() != "<svg/>" {
		t.Fatalf("status %d, body %q", w.Code, w.Body)
	}
	for name, want := range map[string]string{
		"Content-Type": "image/svg+xml", "Cache-Control": "public, max-age=86400", "ETag": `"abc123"`,
	} {
		if got := w.Header().Get(name); got != want {
			t.Errorf("%s %q, want %q", name, got, want)
		}
	}
	want := shortener.QRRequest{Code: "abc", DomainID: shortener.DefaultDomainID, Format: "svg", Size: 512, Margin: 2, ECC: "H",
		Foreground: "112233", Background: "FFFFFF", IfNoneMatch: `"stale"`}
	if f.qr.req != want {
		t.Errorf("request %+v, want %+v", f.qr.req, want)
	}
}

// The handler fills in the documented defaults before asking.
func TestQRDefaults(t *testing.T) {
	f := newFakes()
	f.qr.img = &shortener.QRImage{ETag: `"e"`, ContentType: "image/png", Data: []byte("png")}
	serve(t, f.server(), "GET", "/api/v1/qr/abc", "")
	want := shortener.QRRequest{Code: "abc", DomainID: shortener.DefaultDomainID, Format: "png", Size: 256, Margin: 4, ECC: "M"}
	if f.qr.req != want {
		t.Errorf("request %+v, want %+v", f.qr.req, want)
	}
}

func TestQRNotModified(t *testing.T) {
	f := newFakes()
	f.qr.img = &shortener.QRImage{NotModified: true, ETag: `"abc123"`}
	w := serve(t, f.server(), "GET", "/api/v1/qr/abc", "", "If-None-Match", `"abc123"`)
	if w.Code != http.StatusNotModified || w.Body.Len() != 0 {
		t.Fatalf("status %d with %d bytes, want 304 and none", w.Code, w.Body.Len())
	}
	if w.Header().Get("ETag") != `"abc123"` || w.Header().Get("Cache-Control") != "public, max-age=86400" {
		t.Errorf("headers %v", w.Header())
	}
}

func TestQRErrors(t *testing.T) {
	f := newFakes()
	f.qr.err = shortener.ErrLinkNotFound
	p := decodeProblem(t, serve(t, f.server(), "GET", "/api/v1/qr/gone", ""), http.StatusNotFound)
	if p.Detail != "Link not found." {
		t.Errorf("detail %q", p.Detail)
	}

	// API.md: colours are rrggbb; a parameter given without a value is
	// bad too, not the default.
	for _, query := range []string{"size=10", "size=4096", "margin=17", "format=gif", "ecc=X", "fg=red", "bg=%23abc",
		"fg=%23112233", "size=", "fg=", "format=", "ecc=", "margin="} {
		f := newFakes()
		p := decodeProblem(t, serve(t, f.server(), "GET", "/api/v1/qr/abc?"+query, ""), http.StatusUnprocessableEntity)
		if len(p.Errors) == 0 || f.qr.calls != 0 {
			t.Errorf("%s: %d errors after %d service calls, want some errors and no call", query, len(p.Errors), f.qr.calls)
		}
	}
}
