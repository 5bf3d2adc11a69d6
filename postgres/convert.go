package postgres

import (
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/shortener-dev/shortener"
)

// Conversions between Go values and the column types of this engine.

// Time handling: pgx sends microseconds (truncating nanoseconds) and
// returns times in the local zone; the stores return UTC.

func utcPtr(v pgtype.Timestamptz) *time.Time {
	if !v.Valid {
		return nil
	}
	t := v.Time.UTC()
	return &t
}

// dayTime returns a day as midnight UTC, the value pgx sends for a date.
func dayTime(day string) time.Time {
	t, _ := time.Parse(shortener.DayLayout, day) // days come from shortener.UTCDay
	return t
}
