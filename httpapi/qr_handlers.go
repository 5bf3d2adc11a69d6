package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/shortener-dev/shortener"
)

type qrInput struct {
	Code        string `path:"short_code"`
	Domain      string `query:"domain" doc:"Host of the link's domain; default: the default domain."`
	Format      string `query:"format" enum:"png,svg" default:"png"`
	Size        int    `query:"size" minimum:"64" maximum:"2048" default:"256" doc:"Edge of the square image in pixels, quiet zone included."`
	Margin      int    `query:"margin" minimum:"0" maximum:"16" default:"4" doc:"Quiet zone in modules; narrowed to what fits when size cannot hold the code with all of it."`
	ECC         string `query:"ecc" enum:"L,M,Q,H" default:"M" doc:"Error correction level."`
	FG          string `query:"fg" pattern:"^[0-9A-Fa-f]{6}$" doc:"Foreground colour, 6 hex digits rrggbb without # (default 000000)."`
	BG          string `query:"bg" pattern:"^[0-9A-Fa-f]{6}$" doc:"Background colour, 6 hex digits rrggbb without # (default ffffff)."`
	IfNoneMatch string `header:"If-None-Match"`
}

// Resolve refuses a parameter given without a value (?size=).
func (in *qrInput) Resolve(ctx huma.Context) []error {
	return emptyParams(ctx, "domain", "format", "size", "margin", "ecc", "fg", "bg")
}

type qrOutput struct {
	Status       int
	ContentType  string `header:"Content-Type"`
	CacheControl string `header:"Cache-Control"`
	ETag         string `header:"ETag"`
	Body         []byte
}

func (s *Server) registerQR(api huma.API) {
	registerOp(api, shortener.RateGeneral, shortener.ScopeLinksRead, huma.Operation{
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
		Errors: []int{401, 404, 422, 429},
	}, func(ctx context.Context, in *qrInput) (*qrOutput, error) {
		// Anyone may ask; a credential that fails is 401 all the same.
		if _, err := s.caller(ctx, false); err != nil {
			return nil, s.fail(ctx, err)
		}
		if err := checkCode(in.Code); err != nil {
			return nil, s.fail(ctx, err)
		}
		d, err := s.domainParam(in.Domain)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		img, err := s.qr.QRCode(ctx, shortener.QRRequest{
			Code: in.Code, DomainID: d.ID, DomainHost: d.Host, Format: in.Format, Size: in.Size, Margin: in.Margin, ECC: in.ECC,
			Foreground: in.FG, Background: in.BG, IfNoneMatch: in.IfNoneMatch,
		})
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		if img.NotModified {
			return &qrOutput{Status: http.StatusNotModified, CacheControl: qrCacheControl, ETag: img.ETag}, nil
		}
		return &qrOutput{Status: http.StatusOK, ContentType: img.ContentType, CacheControl: qrCacheControl, ETag: img.ETag, Body: img.Data}, nil
	})
}

// qrCacheControl lets browsers and CDNs keep an image for a day: rendering
// is deterministic, so the same URL always gets the same image.
const qrCacheControl = "public, max-age=86400"
