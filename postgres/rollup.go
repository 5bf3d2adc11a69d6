package postgres

import (
	"slices"
	"strings"

	"github.com/shortener-dev/shortener"
)

// clickRollup is what a batch of newly stored clicks adds to the counters,
// aggregated in Go so that each table gets one multi-row statement instead
// of one statement per click. Unique visitors are not here: they are known
// only once the database says which visitor hashes are new.
type clickRollup struct {
	linkClicks map[string]int64     // link -> human clicks, for click_count
	days       map[dayKey]*dayCount // (link, day) -> clicks and bot clicks
	dims       map[dimKey]int64     // (link, day, dimension, value) -> human clicks
}

type dayKey struct{ link, day string }

type dayCount struct{ clicks, bots int64 }

type dimKey struct{ link, day, dim, value string }

func newClickRollup(clicks []shortener.ClickEvent) *clickRollup {
	r := &clickRollup{
		linkClicks: map[string]int64{},
		days:       map[dayKey]*dayCount{},
		dims:       map[dimKey]int64{},
	}
	for i := range clicks {
		c := &clicks[i]
		day := dayOf(c.OccurredAt)
		dk := dayKey{c.LinkID, day}
		dc := r.days[dk]
		if dc == nil {
			dc = &dayCount{}
			r.days[dk] = dc
		}
		if c.IsBot {
			dc.bots++
			continue
		}
		dc.clicks++
		r.linkClicks[c.LinkID]++
		for _, dim := range shortener.Dimensions {
			r.dims[dimKey{c.LinkID, day, dim, dimensionValue(c, dim)}]++
		}
	}
	return r
}

func dimensionValue(c *shortener.ClickEvent, dim string) string {
	switch dim {
	case shortener.DimReferrer:
		return c.Referrer
	case shortener.DimCountry:
		return c.Country
	case shortener.DimBrowser:
		return c.Browser
	case shortener.DimOS:
		return c.OS
	case shortener.DimDevice:
		return c.Device
	}
	return ""
}

// The sorted views below write rows in key order, so concurrent writers
// always lock rows in the same order.

func (r *clickRollup) sortedLinks() []string {
	out := make([]string, 0, len(r.linkClicks))
	for k := range r.linkClicks {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func (r *clickRollup) sortedDays() []dayKey {
	out := make([]dayKey, 0, len(r.days))
	for k := range r.days {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b dayKey) int {
		return cmpStrings(a.link, b.link, a.day, b.day)
	})
	return out
}

func (r *clickRollup) sortedDims() []dimKey {
	out := make([]dimKey, 0, len(r.dims))
	for k := range r.dims {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b dimKey) int {
		return cmpStrings(a.link, b.link, a.day, b.day, a.dim, b.dim, a.value, b.value)
	})
	return out
}

// cmpStrings compares pairs (a0, b0), (a1, b1), ... lexicographically.
func cmpStrings(pairs ...string) int {
	for i := 0; i+1 < len(pairs); i += 2 {
		if c := strings.Compare(pairs[i], pairs[i+1]); c != 0 {
			return c
		}
	}
	return 0
}
