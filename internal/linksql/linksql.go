// Package linksql holds the parts of the link list's SQL that both engines
// write alike: the ORDER BY of each sort (API.md, "Organising links"), so
// that the two cannot drift apart on ties or on links without a title.
package linksql

import "github.com/shortener-dev/shortener"

// OrderBy returns the ORDER BY terms of sort over the short_urls columns.
// titleKey is the engine's expression of a title (null as "", so that
// the two are one tie among the untitled) compared case-
// insensitively and bytewise; links without a title come last either way,
// and ties go to created_at, newest first, then the ID.
func OrderBy(sort shortener.LinkSort, titleKey string) string {
	const ties = "created_at DESC, id DESC"
	noTitle := "(coalesce(title, '') = ''), " + titleKey
	switch sort.Order() {
	case shortener.SortOldest:
		return "created_at, id"
	case shortener.SortClicks:
		return "click_count, " + ties
	case shortener.SortClicksDesc:
		return "click_count DESC, " + ties
	case shortener.SortTitle:
		return noTitle + ", " + ties
	case shortener.SortTitleDesc:
		return noTitle + " DESC, " + ties
	}
	return ties
}
