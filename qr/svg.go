package qr

import (
	"strconv"
	"strings"
)

// renderSVG draws m as an SVG whose user units are modules (viewBox 0 0 T T)
// and whose width and height are o.Size pixels. Dark modules are one path of
// per-row runs, which keeps the file a few kilobytes where one <rect> per
// module would be tens; crispEdges stops anti-aliased seams between runs.
func renderSVG(m *matrix, o Options) []byte {
	var b strings.Builder
	total := strconv.Itoa(m.total)
	size := strconv.Itoa(o.Size)
	b.Grow(1024 + m.total*m.total)
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" width="`)
	b.WriteString(size)
	b.WriteString(`" height="`)
	b.WriteString(size)
	b.WriteString(`" viewBox="0 0 `)
	b.WriteString(total + " " + total)
	b.WriteString(`" shape-rendering="crispEdges">`)
	b.WriteString(`<rect width="` + total + `" height="` + total + `" fill="` + hexColor(o.Background) + `"/>`)
	b.WriteString(`<path fill="` + hexColor(o.Foreground) + `" d="`)
	writeRuns(&b, m)
	b.WriteString(`"/></svg>`)
	b.WriteString("\n")
	return []byte(b.String())
}

// writeRuns writes one closed rectangle "M{x},{y}h{w}v1h-{w}z" per horizontal
// run of dark modules.
func writeRuns(b *strings.Builder, m *matrix) {
	for y, row := range m.dark {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			w := strconv.Itoa(x - start)
			b.WriteString("M" + strconv.Itoa(start) + "," + strconv.Itoa(y) + "h" + w + "v1h-" + w + "z")
		}
	}
}
