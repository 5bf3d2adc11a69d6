// Package qr renders a short link's QR code as a PNG or SVG image.
//
// The module matrix comes from github.com/boombuler/barcode/qr; this package
// draws it itself so that the image edge is exactly Options.Size pixels with
// the quiet zone included. A PNG gives every module the same whole number of
// pixels and centres the code, so sizes that are not a multiple of the module
// count get a slightly wider quiet zone than Options.Margin; an SVG scales
// its module grid to the size exactly.
package qr

import (
	"fmt"
)

// Content types returned by Render.
const (
	ContentTypePNG = "image/png"
	ContentTypeSVG = "image/svg+xml"
)

// Render encodes content as a QR code and draws it as o.Format describes.
// It returns the image bytes and their content type.
//
// A Margin that leaves a module without a pixel at Size is narrowed to
// what fits. Invalid options, and a Size too small to give every module of
// the code itself a pixel, return a *shortener.Error with code EINVALID (an
// HTTP 422). Content
// that does not fit in any QR version returns a plain wrapped error.
func Render(content string, o Options) (data []byte, contentType string, err error) {
	o, err = o.normalize()
	if err != nil {
		return nil, "", err
	}
	m, err := encode(content, o.ECC, o.Margin)
	if err != nil {
		return nil, "", err
	}
	if modules := m.total - 2*o.Margin; m.total > o.Size && modules <= o.Size {
		// Size and margin each in range, but together too many modules
		// for the pixels (64 px, margin 16): the quiet zone is as wide as
		// fits instead, every module keeping a pixel.
		if m, err = encode(content, o.ECC, (o.Size-modules)/2); err != nil {
			return nil, "", err
		}
	}
	if err := m.checkFits(o.Size); err != nil {
		return nil, "", err
	}
	switch o.Format {
	case FormatSVG:
		return renderSVG(m, o), ContentTypeSVG, nil
	default:
		data, err := renderPNG(m, o)
		if err != nil {
			return nil, "", fmt.Errorf("qr render png: %w", err)
		}
		return data, ContentTypePNG, nil
	}
}
