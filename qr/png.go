package qr

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
)

// Palette indices of the two-colour image.
const (
	lightIndex = 0
	darkIndex  = 1
)

// renderPNG draws m on a size x size two-colour paletted image. Paletted
// keeps both the drawing (one byte per pixel) and the PNG (1-bit depth)
// small; best-speed compression loses little on such flat images.
func renderPNG(m *matrix, o Options) ([]byte, error) {
	palette := color.Palette{lightIndex: o.Background, darkIndex: o.Foreground}
	img := image.NewPaletted(image.Rect(0, 0, o.Size, o.Size), palette)
	moduleOf := m.moduleOf(o.Size)
	prevRow := -1
	for y := range o.Size {
		row := img.Pix[y*img.Stride : y*img.Stride+o.Size]
		r := moduleOf[y]
		if r < 0 {
			continue // quiet zone: NewPaletted zeroed it to lightIndex
		}
		if r == prevRow {
			// Pixel rows of the same module row are identical.
			copy(row, img.Pix[(y-1)*img.Stride:])
			continue
		}
		prevRow = r
		dark := m.dark[r]
		for x, c := range moduleOf {
			if c >= 0 && dark[c] {
				row[x] = darkIndex
			}
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
