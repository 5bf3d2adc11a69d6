package qr_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"io"
	"regexp"
	"strconv"
	"testing"

	"github.com/shortener-dev/shortener/qr"
)

// svgDoc is what the tests read back from a rendered SVG.
type svgDoc struct {
	width, height      int
	total              int // from the viewBox
	rectFill, pathFill string
	dark               [][]bool // rebuilt from the path's runs
}

type svgXML struct {
	XMLName xml.Name `xml:"http://www.w3.org/2000/svg svg"`
	Width   string   `xml:"width,attr"`
	Height  string   `xml:"height,attr"`
	ViewBox string   `xml:"viewBox,attr"`
	Shape   string   `xml:"shape-rendering,attr"`
	Rects   []struct {
		Width  string `xml:"width,attr"`
		Height string `xml:"height,attr"`
		Fill   string `xml:"fill,attr"`
	} `xml:"rect"`
	Paths []struct {
		Fill string `xml:"fill,attr"`
		D    string `xml:"d,attr"`
	} `xml:"path"`
}

var runRE = regexp.MustCompile(`^M(\d+),(\d+)h(\d+)v1h-(\d+)z`)

// parseSVG checks data is well-formed XML with the expected structure and
// rebuilds the dark module matrix from the path.
func parseSVG(t *testing.T, data []byte) svgDoc {
	t.Helper()
	// Walk every token first: Unmarshal alone stops at the root's end and
	// would not notice trailing garbage.
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("svg is not well-formed XML: %v", err)
		}
	}
	var x svgXML
	if err := xml.Unmarshal(data, &x); err != nil {
		t.Fatalf("unmarshal svg: %v", err)
	}
	var total int
	if _, err := fmt.Sscanf(x.ViewBox, "0 0 %d %d", &total, new(int)); err != nil {
		t.Fatalf("viewBox %q: %v", x.ViewBox, err)
	}
	if x.ViewBox != fmt.Sprintf("0 0 %d %d", total, total) {
		t.Fatalf("viewBox %q is not square", x.ViewBox)
	}
	if x.Shape != "crispEdges" {
		t.Errorf("shape-rendering = %q, want crispEdges", x.Shape)
	}
	if len(x.Rects) != 1 || len(x.Paths) != 1 {
		t.Fatalf("svg has %d rects and %d paths, want one of each", len(x.Rects), len(x.Paths))
	}
	if r := x.Rects[0]; r.Width != strconv.Itoa(total) || r.Height != strconv.Itoa(total) {
		t.Errorf("background rect is %sx%s, want %dx%d", r.Width, r.Height, total, total)
	}
	doc := svgDoc{total: total, rectFill: x.Rects[0].Fill, pathFill: x.Paths[0].Fill}
	doc.width, _ = strconv.Atoi(x.Width)
	doc.height, _ = strconv.Atoi(x.Height)
	doc.dark = runsToMatrix(t, x.Paths[0].D, total)
	return doc
}

func runsToMatrix(t *testing.T, d string, total int) [][]bool {
	t.Helper()
	dark := make([][]bool, total)
	for i := range dark {
		dark[i] = make([]bool, total)
	}
	for rest := d; rest != ""; {
		m := runRE.FindStringSubmatch(rest)
		if m == nil {
			t.Fatalf("path data has an unexpected command at %.30q", rest)
		}
		rest = rest[len(m[0]):]
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		w, _ := strconv.Atoi(m[3])
		if m[3] != m[4] || w == 0 || y >= total || x+w > total {
			t.Fatalf("bad run %q in a %d-module viewBox", m[0], total)
		}
		for i := x; i < x+w; i++ {
			if dark[y][i] {
				t.Fatalf("run %q overlaps another", m[0])
			}
			dark[y][i] = true
		}
	}
	return dark
}

// moduleSpan returns the first and last pixel of module i in a PNG of size
// pixels holding total modules: each module is floor(size/total) pixels and
// the code is centred, the leftover pixels widening the quiet zone.
func moduleSpan(i, total, size int) (first, last int) {
	scale := size / total
	offset := (size - scale*total) / 2
	return offset + i*scale, offset + (i+1)*scale - 1
}

func TestRenderSVGMatchesPNG(t *testing.T) {
	tests := []struct {
		content string
		size    int
		margin  int
		ecc     string
	}{
		{shortURL, 64, 4, "M"},
		{shortURL, 100, 0, "L"},
		{shortURL, 256, 4, "H"},
		{longURL, 256, 16, "Q"},
		{longURL, 1000, 3, "H"},
		{"", 128, 1, "M"},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("len%d/size%d/margin%d/%s", len(tt.content), tt.size, tt.margin, tt.ecc)
		t.Run(name, func(t *testing.T) {
			o := qr.Options{Format: qr.FormatSVG, Size: tt.size, Margin: tt.margin, ECC: tt.ecc}
			data, ct, err := qr.Render(tt.content, o)
			if err != nil {
				t.Fatalf("Render svg: %v", err)
			}
			if ct != "image/svg+xml" {
				t.Errorf("content type = %q, want image/svg+xml", ct)
			}
			svg := parseSVG(t, data)
			if svg.width != tt.size || svg.height != tt.size {
				t.Errorf("svg is %dx%d, want %dx%d", svg.width, svg.height, tt.size, tt.size)
			}
			if svg.rectFill != "#ffffff" || svg.pathFill != "#000000" {
				t.Errorf("default fills: rect %q path %q, want #ffffff and #000000", svg.rectFill, svg.pathFill)
			}

			o.Format = qr.FormatPNG
			data, _, err = qr.Render(tt.content, o)
			if err != nil {
				t.Fatalf("Render png: %v", err)
			}
			img := decodePNG(t, data)
			assertModulesMatch(t, img, svg.dark, tt.size)
		})
	}
}

// assertModulesMatch checks that each module of the PNG is a block of one
// colour, dark exactly where want says so, and that every pixel outside the
// code is light.
func assertModulesMatch(t *testing.T, img image.Image, want [][]bool, size int) {
	t.Helper()
	total := len(want)
	isDark := func(x, y int) bool {
		r, g, b, _ := img.At(x, y).RGBA()
		return r+g+b < 3*0x8000
	}
	first, _ := moduleSpan(0, total, size)
	_, last := moduleSpan(total-1, total, size)
	if first < 0 || last >= size || size-1-last-first > 1 || first-(size-1-last) > 0 {
		t.Fatalf("code spans pixels %d-%d of %d: not inside and centred", first, last, size)
	}
	darkCount := 0
	for my := range total {
		y0, y1 := moduleSpan(my, total, size)
		for mx := range total {
			x0, x1 := moduleSpan(mx, total, size)
			got := isDark((x0+x1)/2, (y0+y1)/2)
			if got != want[my][mx] {
				t.Fatalf("module (%d,%d): png dark=%v, svg dark=%v", mx, my, got, want[my][mx])
			}
			if got {
				darkCount++
			}
			for y := y0; y <= y1; y++ {
				for x := x0; x <= x1; x++ {
					if isDark(x, y) != got {
						t.Fatalf("module (%d,%d) is not uniform at pixel (%d,%d)", mx, my, x, y)
					}
				}
			}
		}
	}
	if darkCount == 0 {
		t.Fatal("no dark modules")
	}
	for y := range size {
		for x := range size {
			inside := x >= first && x <= last && y >= first && y <= last
			if !inside && isDark(x, y) {
				t.Fatalf("pixel (%d,%d) outside the code is dark", x, y)
			}
		}
	}
}
