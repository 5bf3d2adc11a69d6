package web

import (
	"html/template"
	"strconv"
	"strings"
)

// chartGeometry places the plot inside the viewBox.
type chartGeometry struct {
	left, right, top, bottom float64 // plot edges in user units
	step, bar                float64 // column width and bar width
	max                      float64 // value at the top gridline
}

func (g chartGeometry) y(v int64) float64 {
	return g.bottom - (g.bottom-g.top)*float64(v)/g.max
}

// Bars of a day with clicks are at least this tall, so that one click on
// a busy chart is not mistaken for the zero tick (zeroTick tall).
const (
	minBar   = 3.0
	zeroTick = 1.5
)

func layoutChart(days []chartDay, ticks []int64, size chartSize) chartGeometry {
	widest := len(thousands(ticks[len(ticks)-1]))
	g := chartGeometry{
		// Right-aligned y labels, and room for half an x label either side.
		left:   max(float64(widest)*0.62*size.Font+10, labelWidth(size.Font)/2),
		right:  size.Width - labelWidth(size.Font)/2,
		top:    size.Font,
		bottom: size.Height - 2*size.Font,
		max:    float64(ticks[len(ticks)-1]),
	}
	g.step = (g.right - g.left) / float64(max(len(days), 1))
	g.bar = max(g.step*0.72, 1)
	return g
}

// dailyChart draws days as vertical bars, one per day, oldest on the left.
// Days without clicks are a short tick on the baseline. Each column is a
// group whose <title> is the browser's tooltip, over the whole column
// height so that a short bar is easy to point at.
func dailyChart(days []chartDay, size chartSize) template.HTML {
	var peak int64
	for _, d := range days {
		peak = max(peak, d.Clicks)
	}
	ticks := niceTicks(peak)
	g := layoutChart(days, ticks, size)
	id := size.Name
	var b strings.Builder
	b.Grow(400 + 260*len(days))
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="chart ` + id + `" viewBox="0 0 ` +
		num(size.Width) + " " + num(size.Height) + `" role="img" aria-labelledby="` + id + `-t ` + id + `-d">`)
	b.WriteString(`<title id="` + id + `-t">Clicks per day</title>`)
	b.WriteString(`<desc id="` + id + `-d">` + esc(chartSummary(days)) + `</desc>`)
	writeGrid(&b, g, ticks, size)
	for i, d := range days {
		writeBar(&b, g, i, d)
	}
	writeXLabels(&b, g, days, size)
	b.WriteString(`</svg>`)
	// Safe: every piece of text above is escaped or a number formatted here.
	return template.HTML(b.String())
}

func writeGrid(b *strings.Builder, g chartGeometry, ticks []int64, size chartSize) {
	for _, t := range ticks {
		y := num(g.y(t))
		class := "grid"
		if t == 0 {
			class = "axis"
		}
		b.WriteString(`<line class="` + class + `" x1="` + num(g.left) + `" x2="` + num(g.right) +
			`" y1="` + y + `" y2="` + y + `"/>`)
		b.WriteString(`<text class="ylabel" x="` + num(g.left-6) + `" y="` + num(g.y(t)+0.35*size.Font) +
			`" text-anchor="end">` + thousands(t) + `</text>`)
	}
}

func writeBar(b *strings.Builder, g chartGeometry, i int, d chartDay) {
	x := g.left + float64(i)*g.step
	b.WriteString(`<g class="day"><title>` + esc(dayTitle(d)) + `</title>`)
	b.WriteString(`<rect class="hit" x="` + num(x) + `" y="` + num(g.top) + `" width="` + num(g.step) +
		`" height="` + num(g.bottom-g.top) + `"/>`)
	h, class := zeroTick, "bar zero"
	if d.Clicks > 0 {
		h, class = max(g.bottom-g.y(d.Clicks), minBar), "bar"
	}
	b.WriteString(`<rect class="` + class + `" data-clicks="` + strconv.FormatInt(d.Clicks, 10) +
		`" x="` + num(x+(g.step-g.bar)/2) + `" y="` + num(g.bottom-h) + `" width="` + num(g.bar) +
		`" height="` + num(h) + `"/></g>`)
}

func writeXLabels(b *strings.Builder, g chartGeometry, days []chartDay, size chartSize) {
	labels := xLabels(days, size, g.step)
	for i, d := range days {
		month, ok := labels[i]
		if !ok {
			continue
		}
		class := "xlabel"
		if month {
			class += " month"
		}
		b.WriteString(`<text class="` + class + `" x="` + num(g.left+(float64(i)+0.5)*g.step) + `" y="` +
			num(g.bottom+1.4*size.Font) + `" text-anchor="middle">` + d.Day.Format("2 Jan") + `</text>`)
	}
}
