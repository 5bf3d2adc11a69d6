package httpapi

import (
	"embed"
	"io/fs"
	"net/http"

	swaggerui "github.com/swaggo/files/v2"
)

// The interactive docs are Swagger UI, served from the binary: they work
// without the internet, and no third-party script runs on this origin.
// The page and its initialiser are ours (docs/); the viewer's assets come
// from github.com/swaggo/files/v2, which embeds a Swagger UI release.

//go:embed docs/index.html docs/init.js
var docsFiles embed.FS

// docsAssets are the files under /docs/, by name, and where they are. The
// viewer module holds more (other bundles, source maps, its own index.html
// with an inline script); only what the page loads is served.
var docsAssets = map[string]fs.FS{
	"init.js":              mustSub(docsFiles, "docs"),
	"swagger-ui-bundle.js": swaggerui.FS,
	"swagger-ui.css":       swaggerui.FS,
	"favicon-32x32.png":    swaggerui.FS,
}

// docsPolicy is the Content-Security-Policy of the docs page: everything
// from this origin only, and scripts only from files. Swagger UI sets
// inline styles as it renders (swagger-api/swagger-ui#10655, #3370) and
// draws its icons as data: images in its stylesheet, hence style-src
// 'unsafe-inline' and img-src data:, on this page only.
const docsPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"object-src 'none'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"

// docsCacheControl lets browsers keep the viewer for an hour: it changes
// only with a release.
const docsCacheControl = "public, max-age=3600"

// docsPage serves GET /docs.
func docsPage(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", docsPolicy)
	h.Set("Referrer-Policy", referrerPolicy)
	h.Set("Cache-Control", docsCacheControl)
	http.ServeFileFS(w, r, docsFiles, "docs/index.html")
}

// docsAsset serves GET /docs/{file}: one of docsAssets, else a 404 problem.
func docsAsset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	fsys, ok := docsAssets[name]
	if !ok {
		writeProblem(w, noResource())
		return
	}
	w.Header().Set("Cache-Control", docsCacheControl)
	http.ServeFileFS(w, r, fsys, name)
}

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

// servedAsJSON serves h's answers as application/json: huma names its
// OpenAPI document application/openapi+json, which is no registered type,
// and API.md answers JSON as application/json.
func servedAsJSON(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(&jsonTyped{ResponseWriter: w}, r)
	})
}

// jsonTyped sets Content-Type application/json as the header is written.
type jsonTyped struct {
	http.ResponseWriter
	wrote bool
}

func (w *jsonTyped) WriteHeader(status int) {
	if !w.wrote {
		w.wrote = true
		if status == http.StatusOK {
			w.Header().Set("Content-Type", "application/json")
		}
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *jsonTyped) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}
