package shortener

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// LinkQuery selects links for a list or an export (API.md, "Organising
// links"). Zero values select everything and sort newest first.
type LinkQuery struct {
	OwnerID   string // the owner whose links to list
	AllOwners bool   // every link instead (an admin's view); OwnerID is ignored
	DomainID  string // only the links of this domain; "" for every domain
	Offset    int
	Limit     int

	Search  string    // case-insensitive substring of the code, title or original URL; "" for any
	Tags    []string  // normalised tags a link must all carry
	Active  *bool     // is_active equal to this; nil for either
	Expired *bool     // expired at Now (true) or not (false); nil for either
	Now     time.Time // the time Expired is judged at
	Sort    LinkSort  // "" is SortNewest
}

// LinkSort is the order of a link list. Ties are always broken by
// created_at, newest first.
type LinkSort string

// The orders of a link list; a leading "-" is descending.
const (
	SortNewest      LinkSort = "-created_at"
	SortOldest      LinkSort = "created_at"
	SortClicks      LinkSort = "click_count"
	SortClicksDesc  LinkSort = "-click_count"
	SortTitle       LinkSort = "title"
	SortTitleDesc   LinkSort = "-title"
	defaultLinkSort          = SortNewest
)

// LinkSorts lists every LinkSort, as the API accepts them.
var LinkSorts = []LinkSort{SortOldest, SortNewest, SortClicks, SortClicksDesc, SortTitle, SortTitleDesc}

// Order returns s, or the default order for "".
func (s LinkSort) Order() LinkSort {
	if s == "" {
		return defaultLinkSort
	}
	return s
}

// CheckLinkSort returns EINVALID at location unless s is one of LinkSorts.
func CheckLinkSort(location, s string) error {
	if slices.Contains(LinkSorts, LinkSort(s)) {
		return nil
	}
	names := make([]string, len(LinkSorts))
	for i, v := range LinkSorts {
		names[i] = string(v)
	}
	return Invalid(location, "sort must be one of "+strings.Join(names, ", "), s)
}

// TagCount is a tag and how many of a user's links carry it.
type TagCount struct {
	Tag   string
	Links int
}

// Tag limits (API.md, "Link options").
const (
	MaxTags      = 20
	MaxTagLength = 50
)

// MaxSearchLength is the longest search text: a whole original_url, so
// that pasting a long target finds its link.
const MaxSearchLength = MaxURLLength

// NormalizeTags checks the tags of a link and returns them lower-cased,
// sorted and without duplicates (the limit counts what is left): 1-50
// characters of [a-z0-9_-] each, at most 20. Each bad one is EINVALID at
// location[i]; the list's length at location.
func NormalizeTags(location string, tags []string) ([]string, error) {
	out := make([]string, 0, len(tags))
	var errs []error
	for i, t := range tags {
		// Checked before lower-casing: Go lower-cases the Kelvin sign to
		// "k" and "İ" to "i", letters a tag may not hold.
		lt := strings.ToLower(t)
		if len(t) < 1 || len(t) > MaxTagLength || strings.IndexFunc(t, func(r rune) bool { return !isTagRune(r) }) >= 0 {
			errs = append(errs, Invalid(fmt.Sprintf("%s[%d]", location, i), MsgTagForm, t))
			continue
		}
		out = append(out, lt)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) > MaxTags {
		errs = append(errs, Invalid(location, fmt.Sprintf("a link has at most %d tags", MaxTags), len(out)))
	}
	if err := JoinInvalid(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// MsgTagForm is the message of a malformed tag.
var MsgTagForm = fmt.Sprintf("a tag is 1 to %d characters of a-z, 0-9, '_' and '-'", MaxTagLength)

// isTagRune reports whether r may be in a tag as written (upper case is
// stored lower-cased).
func isTagRune(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_' || r == '-'
}

// CheckSearch returns EINVALID at location for a search text longer than
// MaxSearchLength characters or that cannot be stored (CheckText).
func CheckSearch(location, q string) error {
	if err := CheckText(location, "q", q); err != nil {
		return err
	}
	if utf8.RuneCountInString(q) > MaxSearchLength {
		return Invalid(location, fmt.Sprintf("q is at most %d characters", MaxSearchLength), q)
	}
	return nil
}

// LikePattern returns the LIKE pattern of a substring search for s: s
// between two %, with \, % and _ escaped by a backslash (the stores' ESCAPE
// character).
func LikePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}
