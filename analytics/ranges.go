package analytics

import (
	"context"
	"fmt"
	"time"

	"github.com/shortener-dev/shortener"
)

// MaxRangeDays is the longest range of a summary or a clicks export
// (API.md, "Organising links").
const MaxRangeDays = 366

// DefaultExportDays is the range of a clicks export that names none.
const DefaultExportDays = 30

// CheckDayRange returns EINVALID unless first and last are UTC midnights
// with first <= last and at most MaxRangeDays days from first to last,
// both included.
func CheckDayRange(first, last time.Time) error {
	// Timestamps lie in years 1-9999 (API.md), days too.
	if err := shortener.CheckTimestamp("query.from", "from", first); err != nil {
		return err
	}
	if err := shortener.CheckTimestamp("query.to", "to", last); err != nil {
		return err
	}
	switch n := dayNumber(last) - dayNumber(first) + 1; {
	case n < 1:
		return shortener.Invalid("query.from", "from must not be after to", shortener.UTCDay(first))
	case n > MaxRangeDays:
		return shortener.Invalid("query.to", fmt.Sprintf("the range is at most %d days", MaxRangeDays), shortener.UTCDay(last))
	}
	return nil
}

// ExportClicks calls fn with the raw clicks of the link with the given
// code on the domain with ID domainID that occurred in [from, to), oldest first, for its owner or an
// admin. A zero to is now; a zero from is DefaultExportDays before to.
// Returns ENOTFOUND for anyone else, as for an unknown code, and EINVALID
// for a range that is empty or longer than MaxRangeDays, before fn is
// first called.
func (s *Service) ExportClicks(ctx context.Context, caller *shortener.User, domainID, code string, from, to time.Time, fn func(shortener.ClickEvent) error) error {
	if to.IsZero() {
		to = s.clock()
	}
	if from.IsZero() {
		from = to.AddDate(0, 0, -DefaultExportDays)
	}
	switch {
	case !from.Before(to):
		return shortener.Invalid("query.from", "from must be before to", from.UTC().Format(time.RFC3339))
	case to.Sub(from) > MaxRangeDays*24*time.Hour:
		return shortener.Invalid("query.to", fmt.Sprintf("the range is at most %d days", MaxRangeDays), to.UTC().Format(time.RFC3339))
	}
	l, err := s.manageable(ctx, caller, domainID, code)
	if err != nil {
		return err
	}
	return s.clicks.EachClick(ctx, l.ID, from, to, fn)
}
