package shortener

// ClickSummary is what a link's clicks over a period of UTC days add up to,
// built from the daily rollups. Totals and top lists count human clicks only;
// bots have their own total.
type ClickSummary struct {
	ShortCode  string
	PeriodDays int
	// TotalClicks counts the human clicks of the period.
	TotalClicks int64
	// UniqueVisitors is the sum of the days' unique visitors: the visitor
	// hash changes every UTC day, so a period's visitors cannot be told
	// apart across days.
	UniqueVisitors int64
	BotClicks      int64
	// DailyStats has one row per day of the period, zeros included, oldest
	// first.
	DailyStats []DailyStat
	// Each top list has at most ten rows, largest first.
	TopReferrers []TopItem
	TopCountries []TopItem
	TopBrowsers  []TopItem
	TopOS        []TopItem
	TopDevices   []TopItem
	TopTargets   []TopItem // the URLs redirected to, before query forwarding
}

// DailyStat is one UTC day of a ClickSummary.
type DailyStat struct {
	Date           string // 2006-01-02
	Clicks         int64  // human clicks
	UniqueVisitors int64
}

// TopItem is one value of a top list: its label, its human clicks and their
// share of the period's total in percent, rounded to one decimal.
type TopItem struct {
	Label      string
	Count      int64
	Percentage float64
}
