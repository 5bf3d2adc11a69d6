package web

// The types below mirror the domain's until the web app is wired in: the
// analytics summary lives in the analytics package today and will move to
// the root package as shortener.ClickSummary, at which point these become
// type aliases of it. Keep field names and types identical to the domain's.

// ClickSummary is the analytics of one short link over a period of UTC days.
type ClickSummary struct {
	ShortCode      string
	PeriodDays     int
	TotalClicks    int64 // human clicks in the period
	UniqueVisitors int64 // sum of the days' unique visitors
	BotClicks      int64
	DailyStats     []DailyStat // one per day, zeros included, oldest first
	TopReferrers   []TopItem   // each top list: at most 10, largest first
	TopCountries   []TopItem   // labels are ISO 3166 alpha-2 codes or "unknown"
	TopBrowsers    []TopItem
	TopOS          []TopItem
	TopDevices     []TopItem
}

// DailyStat is one UTC day of a summary.
type DailyStat struct {
	Date           string // 2006-01-02
	Clicks         int64
	UniqueVisitors int64
}

// TopItem is one value of a top list.
type TopItem struct {
	Label      string
	Count      int64
	Percentage float64 // of TotalClicks, one decimal
}

// ProfileUpdate names what a user changes about themselves; nil leaves a
// field as it is. A new Password needs CurrentPassword. It mirrors
// auth.ProfileUpdate, which does not exist yet; the wiring adapts it.
type ProfileUpdate struct {
	FullName        *string
	Password        *string
	CurrentPassword string
}

// ListQuery selects one page of links. AllOwners (admins only) lists
// every user's links instead of the caller's own. The wiring adapts it to
// the links service's parameters.
type ListQuery struct {
	Page      int // from 1
	Size      int // 1-100
	AllOwners bool
}
