package qr

import (
	"fmt"

	"github.com/boombuler/barcode/qr"
)

// matrix is a QR code's modules with the quiet zone already added: dark[y][x]
// for 0 <= x, y < total.
type matrix struct {
	total int // modules per side, quiet zone included
	dark  [][]bool
}

// encode computes the module matrix of content at the given ECC letter and
// surrounds it with margin light modules on every side.
func encode(content, ecc string, margin int) (*matrix, error) {
	level, err := eccLevel(ecc)
	if err != nil {
		return nil, err
	}
	code, err := qr.Encode(content, level, qr.Auto)
	if err != nil {
		return nil, fmt.Errorf("qr encode: %w", err)
	}
	n := code.Bounds().Dx()
	m := &matrix{total: n + 2*margin}
	m.dark = make([][]bool, m.total)
	cells := make([]bool, m.total*m.total) // one allocation for all rows
	for y := range m.dark {
		m.dark[y] = cells[y*m.total : (y+1)*m.total]
	}
	for y := range n {
		for x := range n {
			// The encoder paints dark modules in its foreground, black.
			r, _, _, _ := code.At(x, y).RGBA()
			m.dark[y+margin][x+margin] = r < 0x8000
		}
	}
	return m, nil
}

// checkFits rejects an image edge that would leave some module without a
// pixel: such an image could not be decoded.
func (m *matrix) checkFits(size int) error {
	if size >= m.total {
		return nil
	}
	return invalid("size", fmt.Sprintf(
		"size %d px is too small for this code: it has %d modules per side with the margin, so size must be at least %d px",
		size, m.total, m.total), size)
}

// moduleOf returns, for each pixel coordinate 0..size-1, the module it falls
// in, or -1 for a light pixel outside the code.
//
// Every module gets the same whole number of pixels, floor(size/total), and
// the code is centred; the pixels left over widen the quiet zone so the
// image edge is still exactly size. Stretching modules to fill the edge
// exactly (some a pixel wider than others) was tried first and measured
// worse: for a 100-character URL at ECC H and margin 1 (59 modules),
// gozxing failed to decode 32 of the sizes 64-117 px and 16 larger ones up
// to 309 px, as uneven modules throw off its module-size estimate. Whole
// pixels per module decoded at every size tried.
func (m *matrix) moduleOf(size int) []int {
	scale := size / m.total
	offset := (size - scale*m.total) / 2
	idx := make([]int, size)
	for p := range idx {
		c := p - offset
		if c < 0 || c >= scale*m.total {
			idx[p] = -1
		} else {
			idx[p] = c / scale
		}
	}
	return idx
}
