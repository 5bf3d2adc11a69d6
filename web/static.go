package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed static
var staticFS embed.FS

// asset is one embedded static file under its fingerprinted name.
type asset struct {
	body        []byte
	contentType string
	etag        string
}

// assets serves the embedded files as /static/{name}.{hash}.{ext}, the
// hash being the first 10 hex digits of the SHA-256 of the content. A new
// build changes the names of the files that changed, so browsers may keep
// every one for a year without asking again.
type assets struct {
	byFile map[string]*asset // "app.1a2b3c4d5e.css"
	urls   map[string]string // "app.css" → "/static/app.1a2b3c4d5e.css"
}

var assetTypes = map[string]string{
	".css": "text/css; charset=utf-8",
	".js":  "text/javascript; charset=utf-8",
	".svg": "image/svg+xml",
}

// loadAssets fingerprints every embedded static file.
func loadAssets() (*assets, error) {
	entries, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		return nil, err
	}
	s := &assets{byFile: map[string]*asset{}, urls: map[string]string{}}
	for _, e := range entries {
		name := e.Name()
		body, err := staticFS.ReadFile("static/" + name)
		if err != nil {
			return nil, err
		}
		ext := path.Ext(name)
		ct, ok := assetTypes[ext]
		if !ok {
			return nil, fmt.Errorf("static file %s: no content type for %q", name, ext)
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])[:10]
		file := strings.TrimSuffix(name, ext) + "." + hash + ext
		s.byFile[file] = &asset{body: body, contentType: ct, etag: `"` + hash + `"`}
		s.urls[name] = "/static/" + file
	}
	return s, nil
}

// url returns the fingerprinted path of a static file for templates. An
// unknown name is an error, which fails the page's rendering in tests
// rather than shipping a broken link.
func (s *assets) url(name string) (string, error) {
	u, ok := s.urls[name]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return u, nil
}

// Stylesheet returns the path of the app's one stylesheet, for the pages
// that the redirect answers itself (the password form, the 404 and 410
// pages): they look like the app's own.
func (a *App) Stylesheet() string {
	u, _ := a.assets.url("app.css")
	return u
}

// assetNotFound is the problem of a file that is not (or no longer) served.
const assetNotFound = `{"type":"about:blank","title":"Not Found","status":404,"detail":"There is no such file.","errors":[]}`

const immutable = "public, max-age=31536000, immutable"

// serve answers GET /static/{file}. Only the current fingerprints exist:
// an old or future one is a 404 that nobody caches, so that during a
// rolling deploy a page from a newer instance never gets an older file
// stored for a year under the newer name.
func (s *assets) serve(w http.ResponseWriter, r *http.Request) {
	a, ok := s.byFile[r.PathValue("file")]
	if !ok {
		// A stylesheet or script loader, not a reader: the API's problem.
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, assetNotFound)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", immutable)
	h.Set("ETag", a.etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.body))
}
