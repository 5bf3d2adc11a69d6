package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

var pngMagic = []byte("\x89PNG\r\n\x1a\n")

// decodeQR decodes a PNG QR code and returns its text and edge length.
func decodeQR(t *testing.T, data []byte) (string, int) {
	t.Helper()
	if !bytes.HasPrefix(data, pngMagic) {
		t.Fatalf("not a PNG: % x", data[:min(8, len(data))])
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decode PNG: %v", err)
	}
	b := img.Bounds()
	if b.Dx() != b.Dy() {
		t.Errorf("image %dx%d is not square", b.Dx(), b.Dy())
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatalf("bitmap: %v", err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		// The detector looks for finder patterns as a camera would, and
		// misses them in some codes (12 of 2,000 random short URLs at 256 px,
		// each of which the pure reading decoded right; one failed CI). Ours
		// are pure barcodes with their quiet zone: read the module grid
		// directly, as a second, independent reading; a code neither
		// reading decodes still fails.
		var pureErr error
		res, pureErr = qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
		if pureErr != nil {
			t.Fatalf("decode QR: %v; as a pure barcode: %v", err, pureErr)
		}
	}
	return res.GetText(), b.Dx()
}

// checkSVG checks a well-formed SVG document.
func checkSVG(t *testing.T, data []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	root := ""
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" {
		t.Errorf("SVG root element %q, want svg", root)
	}
}

// TestE2EQR covers GET /api/v1/qr/{short_code}.
func TestE2EQR(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *testServer) {
		acct := srv.newAccount(t)
		l := srv.link(t, acct.access, "https://example.com/qr")
		code := str(l["short_code"])
		qr := func(t *testing.T, query string, opts ...reqOpt) *result {
			t.Helper()
			return srv.do(t, "GET", "/api/v1/qr/"+code+query, nil, opts...)
		}
		checkImage := func(t *testing.T, r *result, ct string) {
			t.Helper()
			expectStatus(t, r, http.StatusOK)
			if got := r.Header.Get("Content-Type"); got != ct {
				t.Errorf("%s: Content-Type %q, want %s", r, got, ct)
			}
			if cc := r.Header.Get("Cache-Control"); cc != "public, max-age=86400" {
				t.Errorf("%s: Cache-Control %q, want \"public, max-age=86400\"", r, cc)
			}
			if r.Header.Get("ETag") == "" {
				t.Errorf("%s: no ETag", r)
			}
		}

		t.Run("PNG by default, encoding short_url", func(t *testing.T) {
			r := qr(t, "")
			checkImage(t, r, "image/png")
			text, edge := decodeQR(t, r.Body)
			if text != str(l["short_url"]) {
				t.Errorf("QR encodes %q, want %q", text, l["short_url"])
			}
			if edge != 256 {
				t.Errorf("default edge %d px, want 256", edge)
			}
			r = qr(t, "?size=512&margin=0&ecc=H&format=png")
			checkImage(t, r, "image/png")
			text, edge = decodeQR(t, r.Body)
			if text != str(l["short_url"]) || edge != 512 {
				t.Errorf("size=512: %q, %d px", text, edge)
			}
			// The limits themselves are allowed; anonymous callers too.
			for _, q := range []string{"?size=64", "?size=2048&margin=16", "?ecc=L", "?ecc=Q"} {
				checkImage(t, qr(t, q), "image/png")
			}
			// Each in its range, together too wide for the pixels: the quiet
			// zone narrows, the image keeps its size and still scans.
			r = qr(t, "?size=64&margin=16&ecc=H")
			checkImage(t, r, "image/png")
			if text, edge := decodeQR(t, r.Body); text != str(l["short_url"]) || edge != 64 {
				t.Errorf("size=64&margin=16&ecc=H: %q, %d px", text, edge)
			}
			// size is the edge of the square image, quiet zone included.
			for _, size := range []int{64, 300, 1000} {
				r := qr(t, "?ecc=L&size="+strconv.Itoa(size))
				img, err := png.Decode(bytes.NewReader(r.Body))
				if err != nil {
					t.Fatalf("size=%d: %v", size, err)
				}
				if b := img.Bounds(); b.Dx() != size || b.Dy() != size {
					t.Errorf("size=%d: image is %dx%d", size, b.Dx(), b.Dy())
				}
			}
		})
		t.Run("SVG", func(t *testing.T) {
			r := qr(t, "?format=svg")
			checkImage(t, r, "image/svg+xml")
			checkSVG(t, r.Body)
		})
		t.Run("ETag per rendering and 304", func(t *testing.T) {
			seen := map[string]string{}
			for _, q := range []string{"", "?size=300", "?format=svg", "?ecc=H", "?margin=1"} {
				r := qr(t, q)
				expectStatus(t, r, http.StatusOK)
				etag := r.Header.Get("ETag")
				if prev, dup := seen[etag]; dup {
					t.Errorf("renderings %q and %q share the ETag %s", prev, q, etag)
				}
				seen[etag] = q
				again := qr(t, q)
				if again.Header.Get("ETag") != etag || !bytes.Equal(again.Body, r.Body) {
					t.Errorf("rendering %q is not stable", q)
				}
				nm := qr(t, q, withHeader("If-None-Match", etag))
				expectStatus(t, nm, http.StatusNotModified)
				if len(nm.Body) != 0 {
					t.Errorf("%s: 304 with a body", nm)
				}
				// RFC 9110 section 15.4.5: a 304 repeats ETag and Cache-Control.
				if nm.Header.Get("ETag") != etag {
					t.Errorf("304 ETag %q, want %q", nm.Header.Get("ETag"), etag)
				}
				if cc := nm.Header.Get("Cache-Control"); cc != "public, max-age=86400" {
					t.Errorf("304 Cache-Control %q, want \"public, max-age=86400\"", cc)
				}
				// Another rendering's ETag does not match.
				expectStatus(t, qr(t, q, withHeader("If-None-Match", `"not-it"`)), http.StatusOK)
			}
		})
		t.Run("bad parameters are 422", func(t *testing.T) {
			for _, q := range []string{"?size=63", "?size=2049", "?size=abc", "?margin=17", "?margin=-1", "?ecc=X", "?format=gif"} {
				expectProblem(t, qr(t, q), http.StatusUnprocessableEntity)
			}
		})
		t.Run("unknown code is 404", func(t *testing.T) {
			expectProblem(t, srv.do(t, "GET", "/api/v1/qr/NoSuchCode9", nil), http.StatusNotFound)
		})
		t.Run("disabled link keeps its QR", func(t *testing.T) {
			d := srv.link(t, acct.access, "https://example.com/qr-off")
			expectJSON(t, srv.do(t, "PATCH", "/api/v1/urls/"+str(d["id"]), map[string]any{"is_active": false}, withToken(acct.access)), http.StatusOK)
			r := srv.do(t, "GET", "/api/v1/qr/"+str(d["short_code"]), nil)
			expectStatus(t, r, http.StatusOK)
			if text, _ := decodeQR(t, r.Body); text != str(d["short_url"]) {
				t.Errorf("QR encodes %q", text)
			}
		})
		t.Run("expired link keeps its QR", func(t *testing.T) {
			exp := time.Now().Add(2 * time.Second).UTC().Truncate(time.Second)
			d := srv.createLink(t, acct.access, map[string]any{"original_url": "https://example.com/qr-exp", "expires_at": exp.Format(time.RFC3339)})
			time.Sleep(time.Until(exp) + 300*time.Millisecond)
			expectProblem(t, srv.redirect(t, str(d["short_code"])), http.StatusGone)
			r := srv.do(t, "GET", "/api/v1/qr/"+str(d["short_code"]), nil)
			expectStatus(t, r, http.StatusOK)
			if text, _ := decodeQR(t, r.Body); text != str(d["short_url"]) {
				t.Errorf("QR encodes %q", text)
			}
		})
		t.Run("deleted code is 404 at once", func(t *testing.T) {
			d := srv.link(t, acct.access, "https://example.com/qr-del")
			path := "/api/v1/qr/" + str(d["short_code"])
			first := srv.do(t, "GET", path, nil)
			expectStatus(t, first, http.StatusOK)
			expectStatus(t, srv.do(t, "GET", path+"?format=svg", nil), http.StatusOK)
			expectStatus(t, srv.do(t, "DELETE", "/api/v1/urls/"+str(d["id"]), nil, withToken(acct.access)), http.StatusNoContent)
			expectProblem(t, srv.do(t, "GET", path, nil), http.StatusNotFound)
			expectProblem(t, srv.do(t, "GET", path+"?format=svg", nil), http.StatusNotFound)
			// A revalidation does not resurrect it either.
			expectProblem(t, srv.do(t, "GET", path, nil, withHeader("If-None-Match", first.Header.Get("ETag"))), http.StatusNotFound)
		})
	})
}
