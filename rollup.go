package shortener

import (
	"cmp"
	"encoding/json"
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

// UnboundedDimension is the dimension whose values have no bound (any
// referring page). The stores count its values in rows of their own; the
// other dimensions, a few hundred values at most, are counted together in
// one JSON object per link and day, {"dimension:value": clicks}: a click
// spread over many links is then one object key instead of five rows,
// while a popular link's thousands of referrers are not rewritten as one
// object by every batch.
const UnboundedDimension = DimReferrer

// SplitDims returns the dimension counts as the stores keep them: the
// unbounded dimension's as rows, in key order, and the others as each
// (link, day)'s object of counts, "{}" for a day of r without any.
func (r *ClickRollup) SplitDims() (rows []DimKey, objects map[DayKey]string) {
	counts := map[DayKey]map[string]int64{}
	for _, k := range r.SortedDims() {
		if k.Dim == UnboundedDimension {
			rows = append(rows, k)
			continue
		}
		day := DayKey{Link: k.Link, Day: k.Day}
		if counts[day] == nil {
			counts[day] = map[string]int64{}
		}
		counts[day][k.Dim+":"+k.Value] = r.Dims[k]
	}
	objects = make(map[DayKey]string, len(r.Days))
	for day := range r.Days {
		objects[day] = "{}"
	}
	for day, c := range counts {
		b, _ := json.Marshal(c) // a map of strings to integers always encodes
		objects[day] = string(b)
	}
	return rows, objects
}
