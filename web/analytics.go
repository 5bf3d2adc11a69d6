package web

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/shortener-dev/shortener"
)

// statsView is the analytics part of the link page.
type statsView struct {
	Days        int
	Periods     []periodLink
	ClicksCSV   string // the period's clicks as CSV; "" when the app has no clicks export
	Unavailable bool   // the summary failed; the rest of the page still works
	Empty       string // "No clicks yet" and the like; "" when there are clicks
	Totals      []totalView
	Narrow      template.HTML // the chart for narrow containers
	Wide        template.HTML // and for wide ones; app.css shows one
	Table       []dayRow      // the chart's data as a table
	Tops        []topList
}

type periodLink struct {
	Label   string
	Href    string
	Current bool
}

type totalView struct{ Label, Value string }

type dayRow struct{ Date, Clicks, Visitors string }

// periods are the lengths the period switch offers, in days.
var periods = []int{7, 30, 90}

const defaultPeriod = 30

// periodDays reads ?days=; anything but a period offered is the default.
func periodDays(s string) int {
	d, _ := strconv.Atoi(s)
	for _, p := range periods {
		if d == p {
			return d
		}
	}
	return defaultPeriod
}

// linkURL is the link page for a period.
func linkURL(id string, days int) string {
	u := "/app/links/" + id
	if days != defaultPeriod {
		u += "?days=" + strconv.Itoa(days)
	}
	return u
}

// stats loads and lays out the summary of l. ENOTFOUND is returned (the
// caller may not see it); any other failure is logged and the view says
// the analytics are unavailable.
func (a *App) stats(r *http.Request, l *shortener.Link, days int) (*statsView, error) {
	v := &statsView{Days: days}
	if a.clicksCSV != nil {
		v.ClicksCSV = "/app/links/" + l.ID + "/clicks.csv?days=" + strconv.Itoa(days)
	}
	for _, p := range periods {
		v.Periods = append(v.Periods, periodLink{Label: strconv.Itoa(p) + " days", Href: linkURL(l.ID, p), Current: p == days})
	}
	s, err := a.summaries.Summary(r.Context(), visitOf(r).user, l.DomainID, l.ShortCode, days)
	if shortener.ErrorCode(err) == shortener.ENOTFOUND {
		return nil, err
	} else if err != nil {
		a.logError(r, "load the click summary", err)
		v.Unavailable = true
		return v, nil
	}
	if s.TotalClicks == 0 && s.BotClicks == 0 {
		v.Empty = "No clicks yet"
		if l.ClickCount > 0 {
			v.Empty = "No clicks in the last " + strconv.Itoa(days) + " days"
		}
		return v, nil
	}
	cd := chartDays(s.DailyStats)
	var today int64
	if n := len(cd); n > 0 && cd[n-1].Day.Format("2006-01-02") == a.clock().UTC().Format("2006-01-02") {
		today = cd[n-1].Clicks
	}
	v.Totals = []totalView{
		{"Clicks", thousands(s.TotalClicks)}, {"Unique visitors", thousands(s.UniqueVisitors)},
		{"Bots", thousands(s.BotClicks)}, {"Clicks today", thousands(today)},
	}
	v.Narrow, v.Wide = dailyChart(cd, narrowChart), dailyChart(cd, wideChart)
	v.Table = make([]dayRow, len(cd))
	for i, d := range cd {
		v.Table[i] = dayRow{formatDay(d.Day), thousands(d.Clicks), thousands(d.Visitors)}
	}
	v.Tops = topLists(s)
	return v, nil
}

// topList is one top list: label, count and percentage per row, over a
// bar as long as the row's share of the largest.
type topList struct {
	ID, Title string
	Rows      []topRow
}

type topRow struct {
	Label, Count, Pct string
	Full              string // the whole label when Label is shortened, for its title
	Width             string // of 100: the bar's length
}

func topLists(s *ClickSummary) []topList {
	return []topList{
		makeTop("referrers", "Referrers", s.TopReferrers, referrerLabel),
		makeTop("countries", "Countries", s.TopCountries, countryName),
		makeTop("browsers", "Browsers", s.TopBrowsers, unknownLabel),
		makeTop("os", "Operating systems", s.TopOS, unknownLabel),
		makeTop("devices", "Devices", s.TopDevices, deviceLabel),
		makeTop("targets", "Targets", s.TopTargets, targetLabel),
	}
}

// topTargetLength is how much of a target URL a top list row shows.
const topTargetLength = 40

// targetLabel shortens a target URL in the middle, as the link list does;
// "" is a click from before targets were recorded.
func targetLabel(s string) string {
	if s == "" || s == "unknown" {
		return "Unknown"
	}
	return middleEllipsis(s, topTargetLength)
}

func makeTop(id, title string, items []TopItem, label func(string) string) topList {
	t := topList{ID: id, Title: title, Rows: make([]topRow, len(items))}
	var most int64 = 1
	for _, it := range items {
		most = max(most, it.Count)
	}
	for i, it := range items {
		t.Rows[i] = topRow{
			Label: label(it.Label), Count: thousands(it.Count), Pct: percent(it.Percentage),
			Width: num(100 * float64(it.Count) / float64(most)),
		}
		if r := &t.Rows[i]; strings.Contains(r.Label, "…") && r.Label != it.Label {
			r.Full = it.Label
		}
	}
	return t
}

// referrerLabel names the summary's "(direct)", a click without
// referrer; other referrers are host names and stay as they are.
func referrerLabel(s string) string {
	if s == "(direct)" {
		return "Direct or no referrer"
	}
	return unknownLabel(s)
}

// unknownLabel says the summary's "unknown" as a word; browsers and
// systems already come with their names.
func unknownLabel(s string) string {
	if s == "unknown" || s == "" {
		return "Unknown"
	}
	return s
}

// deviceLabel capitalises the summary's device classes (desktop, mobile).
func deviceLabel(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return unknownLabel(s)
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
