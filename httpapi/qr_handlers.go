package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/qr"
)

// QRService renders QR codes of short links and caches the images.
type QRService struct {
	Resolver shortener.Resolver
	BaseURL  string
	Cache    shortener.BlobCache // nil or TTL 0 disables caching
	TTL      time.Duration
}

type qrInput struct {
	Code        string `path:"short_code"`
	Format      string `query:"format" enum:"png,svg" default:"png"`
	Size        int    `query:"size" minimum:"64" maximum:"2048" default:"256" doc:"Edge of the square image in pixels, quiet zone included."`
	Margin      int    `query:"margin" minimum:"0" maximum:"16" default:"4" doc:"Quiet zone in modules."`
	ECC         string `query:"ecc" enum:"L,M,Q,H" default:"M" doc:"Error correction level."`
	FG          string `query:"fg" pattern:"^#?[0-9A-Fa-f]{6}$" doc:"Foreground colour, 6 hex digits (default 000000)."`
	BG          string `query:"bg" pattern:"^#?[0-9A-Fa-f]{6}$" doc:"Background colour, 6 hex digits (default ffffff)."`
	IfNoneMatch string `header:"If-None-Match"`
}

type qrOutput struct {
	Status       int
	ContentType  string `header:"Content-Type"`
	CacheControl string `header:"Cache-Control"`
	ETag         string `header:"ETag"`
	Body         []byte
}

func (s *Server) registerQR(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "qr-code", Method: http.MethodGet, Path: "/api/v1/qr/{short_code}", Tags: []string{"qr"},
		Summary: "QR code of a short link (PNG or SVG)",
		Description: "Encodes the link's short_url. Disabled or expired links still have their QR code. " +
			"Answers 304 to a matching If-None-Match.",
		Responses: map[string]*huma.Response{
			"200": {Description: "The image.", Content: map[string]*huma.MediaType{
				"image/png": {Schema: &huma.Schema{Type: "string", Format: "binary"}}, "image/svg+xml": {Schema: &huma.Schema{Type: "string"}},
			}},
			"304": {Description: "Not modified."},
		},
		Errors: []int{404, 422, 429},
	}, func(ctx context.Context, in *qrInput) (*qrOutput, error) {
		return s.qr.serve(ctx, s, in)
	})
}

const qrCacheControl = "public, max-age=86400"

// serve answers one QR request.
func (q *QRService) serve(ctx context.Context, s *Server, in *qrInput) (*qrOutput, error) {
	t, err := q.Resolver.Resolve(ctx, in.Code)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	if !t.Found {
		return nil, s.fail(ctx, shortener.ErrLinkNotFound)
	}
	opts := qr.Options{Format: qr.Format(in.Format), Size: in.Size, Margin: in.Margin, ECC: in.ECC}
	fg, bg := strings.ToLower(strings.TrimPrefix(in.FG, "#")), strings.ToLower(strings.TrimPrefix(in.BG, "#"))
	if fg == "" {
		fg = "000000"
	}
	if bg == "" {
		bg = "ffffff"
	}
	if opts.Foreground, err = qr.ParseHexColor(fg); err != nil {
		return nil, s.fail(ctx, shortener.Invalid("query.fg", "fg must be 6 hex digits", in.FG))
	}
	if opts.Background, err = qr.ParseHexColor(bg); err != nil {
		return nil, s.fail(ctx, shortener.Invalid("query.bg", "bg must be 6 hex digits", in.BG))
	}
	content := shortener.ShortURL(q.BaseURL, in.Code)
	// Rendering is deterministic, so the ETag follows from the inputs and a
	// revalidation needs no rendering at all.
	params := fmt.Sprintf("%s|%s|%d|%d|%s|%s|%s", content, in.Format, in.Size, in.Margin, in.ECC, fg, bg)
	sum := sha256.Sum256([]byte(params))
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	if etagMatches(in.IfNoneMatch, etag) {
		return &qrOutput{Status: http.StatusNotModified, CacheControl: qrCacheControl, ETag: etag}, nil
	}
	data, ctype, err := q.render(ctx, content, in.Code, etag, opts)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return &qrOutput{Status: http.StatusOK, ContentType: ctype, CacheControl: qrCacheControl, ETag: etag, Body: data}, nil
}

// render returns the image from the cache or renders and caches it.
func (q *QRService) render(ctx context.Context, content, code, etag string, opts qr.Options) ([]byte, string, error) {
	ctype := "image/png"
	if opts.Format == "svg" {
		ctype = "image/svg+xml"
	}
	key := "qr:{" + code + "}:" + strings.Trim(etag, `"`)
	if q.Cache != nil && q.TTL > 0 {
		if b, ok, err := q.Cache.Get(ctx, key); err == nil && ok {
			return b, ctype, nil
		}
	}
	data, ctype, err := qr.Render(content, opts)
	if err != nil {
		return nil, "", err
	}
	if q.Cache != nil && q.TTL > 0 {
		_ = q.Cache.Set(ctx, key, data, q.TTL)
	}
	return data, ctype, nil
}

// etagMatches reports whether an If-None-Match header names etag.
func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, v := range strings.Split(header, ",") {
		v = strings.TrimSpace(v)
		if v == "*" || strings.TrimPrefix(v, "W/") == etag {
			return true
		}
	}
	return false
}
