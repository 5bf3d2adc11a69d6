package shortener

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// DayLayout is how a day of the rollups is spelled: a date that sorts as
// text. Rollups, visitor hashes and the stores agree on it.
const DayLayout = "2006-01-02"

// UTCDay returns the UTC day of t in DayLayout. Clicks are counted per UTC
// day everywhere, whatever the time zone of the server or of t.
func UTCDay(t time.Time) string {
	return string(AppendUTCDay(make([]byte, 0, len(DayLayout)), t))
}

// AppendUTCDay appends the UTC day of t in DayLayout to dst, for callers
// that build a larger value and would rather not allocate the day.
func AppendUTCDay(dst []byte, t time.Time) []byte {
	return t.UTC().AppendFormat(dst, DayLayout)
}

// ClickRollup is what a batch of newly stored clicks adds to the counters,
// aggregated in Go so that each table gets one multi-row statement instead
// of one statement per click. Unique visitors are not here: they are known
// only once the database says which visitor hashes are new.
type ClickRollup struct {
	LinkClicks map[string]int64     // link -> human clicks, for click_count
	Days       map[DayKey]*DayCount // (link, day) -> clicks and bot clicks
	Dims       map[DimKey]int64     // (link, day, dimension, value) -> human clicks
}

// DayKey names one link's UTC day (in DayLayout).
type DayKey struct{ Link, Day string }

// DayCount is a day's human and bot clicks.
type DayCount struct{ Clicks, Bots int64 }

// DimKey names one value of a dimension on a link's day.
type DimKey struct{ Link, Day, Dim, Value string }

// NewClickRollup aggregates a batch of newly stored clicks.
func NewClickRollup(clicks []ClickEvent) *ClickRollup {
	r := &ClickRollup{
		LinkClicks: map[string]int64{},
		Days:       map[DayKey]*DayCount{},
		Dims:       map[DimKey]int64{},
	}
	for i := range clicks {
		c := &clicks[i]
		day := UTCDay(c.OccurredAt)
		dk := DayKey{Link: c.LinkID, Day: day}
		dc := r.Days[dk]
		if dc == nil {
			dc = &DayCount{}
			r.Days[dk] = dc
		}
		if c.IsBot {
			dc.Bots++
			continue
		}
		dc.Clicks++
		r.LinkClicks[c.LinkID]++
		for _, dim := range Dimensions {
			r.Dims[DimKey{Link: c.LinkID, Day: day, Dim: dim, Value: DimensionValue(c, dim)}]++
		}
	}
	return r
}

// DimensionValue returns the value of dim in c.
func DimensionValue(c *ClickEvent, dim string) string {
	switch dim {
	case DimReferrer:
		return c.Referrer
	case DimCountry:
		return c.Country
	case DimBrowser:
		return c.Browser
	case DimOS:
		return c.OS
	case DimDevice:
		return c.Device
	case DimTarget:
		if c.Target == "" {
			return LabelUnknown
		}
		return c.Target
	}
	return ""
}

// The sorted views below write rows in key order, so concurrent writers
// always lock rows in the same order.

// SortedLinks returns the links with human clicks, sorted.
func (r *ClickRollup) SortedLinks() []string {
	out := make([]string, 0, len(r.LinkClicks))
	for k := range r.LinkClicks {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// SortedDays returns the day keys, sorted.
func (r *ClickRollup) SortedDays() []DayKey {
	out := make([]DayKey, 0, len(r.Days))
	for k := range r.Days {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b DayKey) int {
		return cmp.Or(strings.Compare(a.Link, b.Link), strings.Compare(a.Day, b.Day))
	})
	return out
}

// SortedDims returns the dimension keys, sorted.
func (r *ClickRollup) SortedDims() []DimKey {
	out := make([]DimKey, 0, len(r.Dims))
	for k := range r.Dims {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b DimKey) int {
		return cmp.Or(strings.Compare(a.Link, b.Link), strings.Compare(a.Day, b.Day),
			strings.Compare(a.Dim, b.Dim), strings.Compare(a.Value, b.Value))
	})
	return out
}
