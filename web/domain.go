package web

import (
	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/auth"
	"github.com/shortener-dev/shortener/links"
)

// The domain types the pages show and the services take, under the names
// the web package uses.
type (
	// ClickSummary is the analytics of one short link over a period of UTC
	// days.
	ClickSummary = shortener.ClickSummary
	// DailyStat is one UTC day of a summary.
	DailyStat = shortener.DailyStat
	// TopItem is one value of a top list.
	TopItem = shortener.TopItem
	// ProfileUpdate names what a user changes about themselves.
	ProfileUpdate = auth.ProfileUpdate
	// ListQuery selects one page of links.
	ListQuery = links.ListQuery
)
