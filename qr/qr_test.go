package qr_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/qr"
)

const shortURL = "http://localhost:8000/AbC123x"

// longURL is a realistic 100-character URL.
var longURL = "https://example.com/campaigns/2025/spring-sale/landing?utm_source=newsletter&utm_medium=email&ref=ab"

func TestLongURLLength(t *testing.T) {
	if len(longURL) != 100 {
		t.Fatalf("longURL has %d characters, want 100", len(longURL))
	}
}

// modulesPerSide is the module count of a QR code's version for the given
// content and level, measured from the rendered SVG so the test does not
// depend on the encoder's version table.
func modulesPerSide(t *testing.T, content, ecc string) int {
	t.Helper()
	data, _, err := qr.Render(content, qr.Options{Format: qr.FormatSVG, Size: qr.MaxSize, ECC: ecc})
	if err != nil {
		t.Fatalf("render svg: %v", err)
	}
	return parseSVG(t, data).total
}

func TestRenderPNGDecodes(t *testing.T) {
	for _, content := range []string{shortURL, longURL} {
		for _, ecc := range []string{"L", "M", "Q", "H"} {
			n := modulesPerSide(t, content, ecc)
			for _, margin := range []int{0, 4, 16} {
				for _, size := range []int{64, 128, 256, 1024} {
					name := fmt.Sprintf("len%d/%s/margin%d/size%d", len(content), ecc, margin, size)
					t.Run(name, func(t *testing.T) {
						o := qr.Options{Format: qr.FormatPNG, Size: size, Margin: margin, ECC: ecc}
						data, ct, err := qr.Render(content, o)
						if size < n {
							assertInvalid(t, err, "query.size")
							return
						}
						// Below n + 2*margin the margin is narrowed to fit.
						if err != nil {
							t.Fatalf("Render: %v", err)
						}
						if ct != "image/png" {
							t.Errorf("content type = %q, want image/png", ct)
						}
						img := decodePNG(t, data)
						if b := img.Bounds(); b.Dx() != size || b.Dy() != size {
							t.Fatalf("bounds = %v, want %dx%d", b, size, size)
						}
						text, level := scan(t, img)
						if text != content {
							t.Errorf("decoded %q, want %q", text, content)
						}
						if level != ecc {
							t.Errorf("decoded ECC level %q, want %q", level, ecc)
						}
					})
				}
			}
		}
	}
}

// The smallest size with the widest margin, each in its range, renders: the
// quiet zone is narrowed to what 64 px hold, and the code still decodes.
func TestRenderMarginNarrowedToFit(t *testing.T) {
	for _, format := range []qr.Format{qr.FormatPNG, qr.FormatSVG} {
		data, _, err := qr.Render(shortURL, qr.Options{Format: format, Size: qr.MinSize, Margin: qr.MaxMargin, ECC: "H"})
		if err != nil {
			t.Fatalf("%s: Render: %v", format, err)
		}
		if format == qr.FormatPNG {
			img := decodePNG(t, data)
			if b := img.Bounds(); b.Dx() != qr.MinSize {
				t.Errorf("bounds %v, want %d px", b, qr.MinSize)
			}
			if text, _ := scan(t, img); text != shortURL {
				t.Errorf("decoded %q, want %q", text, shortURL)
			}
		}
	}
}

// TestRenderSmallestFits checks the 64 px case is really exercised: the short
// URL with the default margin must fit and decode at the minimum size.
func TestRenderSmallestFits(t *testing.T) {
	data, _, err := qr.Render(shortURL, qr.Options{Format: qr.FormatPNG, Size: qr.MinSize, Margin: 4, ECC: "M"})
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	if text, _ := scan(t, decodePNG(t, data)); text != shortURL {
		t.Errorf("decoded %q, want %q", text, shortURL)
	}
}

// TestRenderPNGDecodesEverySize decodes every size from 64 to about three
// pixels per module for the densest realistic code. Low, non-integer pixel
// ratios are where a renderer that stretched modules unevenly failed.
func TestRenderPNGDecodesEverySize(t *testing.T) {
	const ecc, margin = "H", 1
	n := modulesPerSide(t, longURL, ecc)
	for size := qr.MinSize; size <= 3*(n+2*margin); size++ {
		o := qr.Options{Format: qr.FormatPNG, Size: size, Margin: margin, ECC: ecc}
		data, _, err := qr.Render(longURL, o)
		if size < n {
			assertInvalid(t, err, "query.size")
			continue
		}
		if err != nil {
			t.Fatalf("size %d: Render: %v", size, err)
		}
		if text, _ := scan(t, decodePNG(t, data)); text != longURL {
			t.Errorf("size %d: decoded %q, want %q", size, text, longURL)
		}
	}
}

// TestRenderNoQuietZone renders sizes that are exact multiples of the module
// count, so a margin of 0 leaves no light border at all.
func TestRenderNoQuietZone(t *testing.T) {
	n := modulesPerSide(t, shortURL, "M")
	for _, size := range []int{4 * n, 9 * n} {
		data, _, err := qr.Render(shortURL, qr.Options{Format: qr.FormatPNG, Size: size, ECC: "M"})
		if err != nil {
			t.Fatalf("size %d: Render: %v", size, err)
		}
		img := decodePNG(t, data)
		// The finder patterns put dark modules in three corners.
		for _, p := range []image.Point{{0, 0}, {size - 1, 0}, {0, size - 1}} {
			if r, _, _, _ := img.At(p.X, p.Y).RGBA(); r != 0 {
				t.Errorf("size %d: corner %v is light, want the finder pattern", size, p)
			}
		}
		if text, _ := scan(t, img); text != shortURL {
			t.Errorf("size %d: decoded %q, want %q", size, text, shortURL)
		}
	}
}

func TestRenderPNGBoundsAndPalette(t *testing.T) {
	for _, size := range []int{64, 100, 255, 256, 777, 2048} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			data, _, err := qr.Render(shortURL, qr.Options{Format: qr.FormatPNG, Size: size, Margin: 2, ECC: "L"})
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			img := decodePNG(t, data)
			if got := img.Bounds(); got != image.Rect(0, 0, size, size) {
				t.Errorf("bounds = %v, want %dx%d", got, size, size)
			}
			p, ok := img.(*image.Paletted)
			if !ok {
				t.Fatalf("decoded %T, want *image.Paletted", img)
			}
			want := color.Palette{opaque(0xff, 0xff, 0xff), opaque(0, 0, 0)}
			if !samePalette(p.Palette, want) {
				t.Errorf("palette = %v, want white and black", p.Palette)
			}
		})
	}
}

func TestRenderCustomColours(t *testing.T) {
	fg, err := qr.ParseHexColor("#1a2b3c")
	if err != nil {
		t.Fatal(err)
	}
	bg, err := qr.ParseHexColor("F0E0D0")
	if err != nil {
		t.Fatal(err)
	}
	o := qr.Options{Format: qr.FormatPNG, Size: 256, Margin: 4, ECC: "Q", Foreground: fg, Background: bg}

	data, _, err := qr.Render(shortURL, o)
	if err != nil {
		t.Fatalf("Render png: %v", err)
	}
	img := decodePNG(t, data)
	p, ok := img.(*image.Paletted)
	if !ok {
		t.Fatalf("decoded %T, want *image.Paletted", img)
	}
	if !samePalette(p.Palette, color.Palette{opaque(0xf0, 0xe0, 0xd0), opaque(0x1a, 0x2b, 0x3c)}) {
		t.Errorf("palette = %v, want #f0e0d0 and #1a2b3c", p.Palette)
	}
	if text, _ := scan(t, img); text != shortURL {
		t.Errorf("decoded %q, want %q", text, shortURL)
	}

	o.Format = qr.FormatSVG
	data, _, err = qr.Render(shortURL, o)
	if err != nil {
		t.Fatalf("Render svg: %v", err)
	}
	s := parseSVG(t, data)
	if s.rectFill != "#f0e0d0" || s.pathFill != "#1a2b3c" {
		t.Errorf("svg fills: rect %q path %q, want #f0e0d0 and #1a2b3c", s.rectFill, s.pathFill)
	}
}

func TestRenderBadOptions(t *testing.T) {
	valid := qr.Options{Format: qr.FormatPNG, Size: 256, Margin: 4, ECC: "M"}
	red := color.RGBA{R: 0xff, A: 0xff}
	tests := []struct {
		name     string
		edit     func(*qr.Options)
		location string
	}{
		{"size 63", func(o *qr.Options) { o.Size = 63 }, "query.size"},
		{"size 2049", func(o *qr.Options) { o.Size = 2049 }, "query.size"},
		{"size 0", func(o *qr.Options) { o.Size = 0 }, "query.size"},
		{"margin 17", func(o *qr.Options) { o.Margin = 17 }, "query.margin"},
		{"margin -1", func(o *qr.Options) { o.Margin = -1 }, "query.margin"},
		{"ecc X", func(o *qr.Options) { o.ECC = "X" }, "query.ecc"},
		{"ecc lower case", func(o *qr.Options) { o.ECC = "m" }, "query.ecc"},
		{"ecc empty", func(o *qr.Options) { o.ECC = "" }, "query.ecc"},
		{"format gif", func(o *qr.Options) { o.Format = "gif" }, "query.format"},
		{"format empty", func(o *qr.Options) { o.Format = "" }, "query.format"},
		{"same colours", func(o *qr.Options) { o.Foreground, o.Background = red, red }, "query.fg"},
		{"translucent fg", func(o *qr.Options) { o.Foreground = color.RGBA{R: 0x80, A: 0x80} }, "query.fg"},
		{"translucent bg", func(o *qr.Options) { o.Background = color.RGBA{A: 0x01} }, "query.bg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := valid
			tt.edit(&o)
			data, ct, err := qr.Render(shortURL, o)
			assertInvalid(t, err, tt.location)
			if data != nil || ct != "" {
				t.Errorf("got %d bytes of %q with an error", len(data), ct)
			}
		})
	}
	if _, _, err := qr.Render(shortURL, valid); err != nil {
		t.Fatalf("the valid base options fail: %v", err)
	}
	// The refused colour is echoed as the API's fg is written.
	same := valid
	same.Foreground, same.Background = red, red
	_, _, err := qr.Render(shortURL, same)
	var e *shortener.Error
	if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Value != "ff0000" {
		t.Errorf("same colours: %v, want the value ff0000", err)
	}
}

func TestRenderContentTooLong(t *testing.T) {
	_, _, err := qr.Render(strings.Repeat("x", 3000), qr.Options{Format: qr.FormatPNG, Size: 2048, ECC: "L"})
	if err == nil {
		t.Fatal("Render of 3000 bytes succeeded, want an error")
	}
	if code := shortener.ErrorCode(err); code != shortener.EINTERNAL {
		t.Errorf("error code = %q, want %q", code, shortener.EINTERNAL)
	}
}

func TestParseHexColor(t *testing.T) {
	tests := []struct {
		in   string
		want color.RGBA
		ok   bool
	}{
		{"1a2b3c", opaque(0x1a, 0x2b, 0x3c), true},
		{"#1a2b3c", opaque(0x1a, 0x2b, 0x3c), true},
		{"#FFFFFF", opaque(0xff, 0xff, 0xff), true},
		{"000000", opaque(0, 0, 0), true},
		{"12345g", color.RGBA{}, false},
		{"#12345", color.RGBA{}, false},
		{"1234567", color.RGBA{}, false},
		{"#abc", color.RGBA{}, false},
		{"", color.RGBA{}, false},
		{"#", color.RGBA{}, false},
		{"##123456", color.RGBA{}, false},
		{" 123456", color.RGBA{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := qr.ParseHexColor(tt.in)
			if !tt.ok {
				if code := shortener.ErrorCode(err); code != shortener.EINVALID {
					t.Fatalf("ParseHexColor(%q) = %v, %v; want an EINVALID error", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseHexColor(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func BenchmarkRenderPNG256(b *testing.B) {
	o := qr.Options{Format: qr.FormatPNG, Size: 256, Margin: 4, ECC: "M"}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := qr.Render(shortURL, o); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderSVG256(b *testing.B) {
	o := qr.Options{Format: qr.FormatSVG, Size: 256, Margin: 4, ECC: "M"}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := qr.Render(shortURL, o); err != nil {
			b.Fatal(err)
		}
	}
}

// assertInvalid fails unless err is an EINVALID *shortener.Error naming the
// given request location.
func assertInvalid(t *testing.T, err error, location string) {
	t.Helper()
	var e *shortener.Error
	if !errors.As(err, &e) || e.Code != shortener.EINVALID {
		t.Fatalf("err = %v, want an EINVALID *shortener.Error", err)
	}
	if len(e.Fields) != 1 || e.Fields[0].Location != location {
		t.Errorf("fields = %+v, want one at %q", e.Fields, location)
	}
	if e.Message == "" {
		t.Error("error has an empty message")
	}
}

func decodePNG(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("png.Decode: %v", err)
	}
	return img
}

// scan decodes the QR code in img and returns its text and ECC level.
// gozxing finds codes without a quiet zone too, so margin-0 images are
// scanned as they are.
func scan(t *testing.T, img image.Image) (text, level string) {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatalf("binary bitmap: %v", err)
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("decode qr: %v", err)
	}
	level, _ = res.GetResultMetadata()[gozxing.ResultMetadataType_ERROR_CORRECTION_LEVEL].(string)
	return res.GetText(), level
}

func opaque(r, g, b uint8) color.RGBA { return color.RGBA{R: r, G: g, B: b, A: 0xff} }

// samePalette compares palettes by their RGBA values, since the PNG decoder
// returns its own colour types.
func samePalette(got, want color.Palette) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if color.RGBAModel.Convert(got[i]) != color.RGBAModel.Convert(want[i]) {
			return false
		}
	}
	return true
}
