package qr

import (
	"encoding/hex"
	"fmt"
	"image/color"
	"strings"

	"github.com/boombuler/barcode/qr"

	"github.com/shortener-dev/shortener"
)

// Format is the image format Render produces.
type Format string

// Supported formats.
const (
	FormatPNG Format = "png"
	FormatSVG Format = "svg"
)

// Limits and the API's defaults: Render enforces them, and the HTTP
// handler's schema states the same numbers (a test of cmd/shortener holds
// the OpenAPI document to them).
const (
	MinSize       = 64
	MaxSize       = 2048
	MinMargin     = 0
	MaxMargin     = 16
	DefaultFormat = FormatPNG
	DefaultSize   = 256
	DefaultMargin = 4
	DefaultECC    = "M"
)

// Options describe one rendering. Render applies no defaults except for the
// colours: Format, Size and ECC must be set (see the Default constants).
type Options struct {
	Format Format
	// Size is the edge of the square image in pixels, quiet zone included
	// (MinSize-MaxSize). It must also be at least the module count of the
	// code, so that every module gets a pixel; a margin that does not fit
	// beside the code is narrowed to what does. In a PNG the pixels left
	// over after whole pixels per module widen the margin.
	Size int
	// Margin is the quiet zone around the code, in modules (0-16).
	Margin int
	// ECC is the error correction level: "L", "M", "Q" or "H".
	ECC string
	// Foreground (dark modules) and Background must be opaque. A zero value
	// means black and white respectively, so an Options literal without
	// colours renders the classic black on white.
	Foreground, Background color.RGBA
}

// normalize fills in the default colours and validates o. Errors carry the
// name of the API query parameter the option comes from.
func (o Options) normalize() (Options, error) {
	if o.Foreground == (color.RGBA{}) {
		o.Foreground = color.RGBA{A: 0xff} // black
	}
	if o.Background == (color.RGBA{}) {
		o.Background = color.RGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff} // white
	}
	switch {
	case o.Format != FormatPNG && o.Format != FormatSVG:
		return o, invalid("format", `format must be "png" or "svg"`, string(o.Format))
	case o.Size < MinSize || o.Size > MaxSize:
		return o, invalid("size", fmt.Sprintf("size must be between %d and %d pixels", MinSize, MaxSize), o.Size)
	case o.Margin < MinMargin || o.Margin > MaxMargin:
		return o, invalid("margin", fmt.Sprintf("margin must be between %d and %d modules", MinMargin, MaxMargin), o.Margin)
	case o.Foreground.A != 0xff:
		return o, invalid("fg", "foreground colour must be opaque", hexColorAlpha(o.Foreground))
	case o.Background.A != 0xff:
		return o, invalid("bg", "background colour must be opaque", hexColorAlpha(o.Background))
	case o.Foreground == o.Background:
		// Identical colours would render a blank, undecodable square.
		return o, invalid("fg", "foreground and background colours must differ", hexColor(o.Foreground)[1:]) // as the API's fg is written
	}
	if _, err := eccLevel(o.ECC); err != nil {
		return o, err
	}
	return o, nil
}

// eccLevel maps the API's ECC letter to the encoder's level.
func eccLevel(s string) (qr.ErrorCorrectionLevel, error) {
	switch s {
	case "L":
		return qr.L, nil
	case "M":
		return qr.M, nil
	case "Q":
		return qr.Q, nil
	case "H":
		return qr.H, nil
	}
	return 0, invalid("ecc", `ecc must be one of "L", "M", "Q", "H"`, s)
}

// ParseHexColor parses an opaque colour written as six hex digits, with or
// without a leading '#' ("1a2b3c", "#1A2B3C"). It returns an EINVALID error
// otherwise; the shorthand "#abc" and an alpha channel are not accepted.
func ParseHexColor(s string) (color.RGBA, error) {
	digits := strings.TrimPrefix(s, "#")
	b, err := hex.DecodeString(digits)
	if err != nil || len(b) != 3 {
		return color.RGBA{}, shortener.Errorf(shortener.EINVALID,
			"invalid colour %q: want six hex digits such as 1a2b3c or #1a2b3c", s)
	}
	return color.RGBA{R: b[0], G: b[1], B: b[2], A: 0xff}, nil
}

// hexColor writes c as "#rrggbb", the form SVG and error messages use.
func hexColor(c color.RGBA) string {
	return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B)
}

// hexColorAlpha writes c as "#rrggbbaa" so a rejected alpha is visible.
func hexColorAlpha(c color.RGBA) string {
	return hexColor(c) + fmt.Sprintf("%02x", c.A)
}

// invalid returns an EINVALID error located at an API query parameter; "fg"
// and "bg" name colour parameters the API does not expose yet.
func invalid(param, message string, value any) error {
	return shortener.Invalid("query."+param, message, value)
}
