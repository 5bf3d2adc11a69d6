package analytics

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/shortener-dev/shortener"
)

// Service answers analytics summaries: from the daily rollups, never the
// raw clicks, and cached for a while.
type Service struct {
	links  shortener.LinkStore
	clicks shortener.ClickStore
	cache  shortener.BlobCache // nil disables caching
	ttl    time.Duration
	clock  shortener.Clock
}

// NewService returns a Service; a ttl of 0 turns the cache off.
func NewService(links shortener.LinkStore, clicks shortener.ClickStore, cache shortener.BlobCache, ttl time.Duration, clock shortener.Clock) *Service {
	if ttl <= 0 {
		cache = nil
	}
	if clock == nil {
		clock = shortener.SystemClock
	}
	return &Service{links: links, clicks: clicks, cache: cache, ttl: ttl, clock: clock}
}

// summaryKeyVersion starts the cache key of a summary. Bump it whenever
// the entry's shape or the rollups it is computed from change: during a
// rolling upgrade the old instances still compute summaries the old way,
// and the new ones must not answer theirs from the shared cache. v4: the
// daily rows count the bounded dimensions (PostgreSQL 00052, SQLite
// 00054), which instances from before read as empty top lists; v3: the key
// names the first and last day instead of a number of days; v2: the entry
// is shortener.ClickSummary encoded with Go's field names; v1 (no version
// in the key) had the API's snake_case names.
const summaryKeyVersion = "analytics:summary:v4:"

// Summary returns the summary of the link with the given code on the
// domain with ID domainID over the last days UTC days, for its owner or an admin. Returns ENOTFOUND for
// anyone else, as for an unknown code.
func (s *Service) Summary(ctx context.Context, caller *shortener.User, domainID, code string, days int) (*shortener.ClickSummary, error) {
	first, last := Period(s.clock(), days)
	return s.SummaryBetween(ctx, caller, domainID, code, first, last)
}

// SummaryBetween returns the summary of the link with the given code on
// the domain with ID domainID over the UTC days from first to last
// (midnights, both included), for its owner or an admin. Returns ENOTFOUND
// for anyone else, as for an unknown code, and EINVALID for a range that
// is empty or longer than MaxRangeDays.
func (s *Service) SummaryBetween(ctx context.Context, caller *shortener.User, domainID, code string, first, last time.Time) (*shortener.ClickSummary, error) {
	if err := CheckDayRange(first, last); err != nil {
		return nil, err
	}
	l, err := s.manageable(ctx, caller, domainID, code)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	// The key names the link (not only the code, which may be reused after
	// a delete), the range and the day, so a cached summary never spans a
	// midnight, and the link's click count, so newly flushed clicks show at
	// once. Its version names the encoding of the entry, so that instances
	// of another version sharing the cache never misread it.
	key := summaryKeyVersion + "{" + code + "}:" + l.ID + ":" + shortener.UTCDay(first) + ":" + shortener.UTCDay(last) + ":" +
		shortener.UTCDay(now) + ":" + strconv.FormatInt(l.ClickCount, 10)
	if s.cache != nil {
		if b, ok, err := s.cache.Get(ctx, key); err == nil && ok {
			var sum shortener.ClickSummary
			if json.Unmarshal(b, &sum) == nil {
				return &sum, nil
			}
		}
	}
	stats, err := s.clicks.ClickStats(ctx, l.ID, first, last, TopLimit)
	if err != nil {
		return nil, err
	}
	sum := BuildRangeSummary(code, first, last, stats)
	if s.cache != nil {
		if b, err := json.Marshal(sum); err == nil {
			_ = s.cache.Set(ctx, key, b, s.ttl)
		}
	}
	return &sum, nil
}

// manageable returns the link of code on the domain with ID domainID if
// caller may read its analytics; ENOTFOUND otherwise, as for an unknown
// code.
func (s *Service) manageable(ctx context.Context, caller *shortener.User, domainID, code string) (*shortener.Link, error) {
	l, err := s.links.LinkByCode(ctx, domainID, code)
	if shortener.ErrorCode(err) == shortener.ENOTFOUND {
		return nil, shortener.ErrLinkNotFound
	} else if err != nil {
		return nil, err
	}
	if !l.ManageableBy(caller) {
		return nil, shortener.ErrLinkNotFound
	}
	return l, nil
}
