package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"
)

// QR image sizes, fixed: the page shows the SVG, the PNG is for print.
// Fixed sizes keep every request a hit in the QR service's cache, which
// matters as this route needs no session and counts against no bucket
// (QR codes are public in the API too, and a page would otherwise spend
// its user's requests on its own images).
var qrSizes = map[string]int{"svg": 256, "png": 1024}

const qrCacheControl = "public, max-age=86400"

// qrImage answers GET /app/qr/{code}.{png|svg}, with ?domain=host for a
// link on an added domain.
func (a *App) qrImage(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	dot := strings.LastIndexByte(file, '.')
	if dot <= 0 {
		a.notFound(w, r)
		return
	}
	code, format := file[:dot], file[dot+1:]
	size, ok := qrSizes[format]
	if !ok || len(code) > 64 || strings.ContainsFunc(code, func(r rune) bool { return !isCodeRune(r) }) {
		a.notFound(w, r)
		return
	}
	data, contentType, err := a.qr.QRCode(r.Context(), r.URL.Query().Get("domain"), code, format, size)
	if err != nil {
		a.failPage(w, r, err)
		return
	}
	sum := sha256.Sum256(data)
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Cache-Control", qrCacheControl)
	h.Set("ETag", `"`+hex.EncodeToString(sum[:8])+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}
