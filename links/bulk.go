package links

import (
	"context"
	"errors"
	"fmt"

	"github.com/shortener-dev/shortener"
)

// Limits of a bulk create (API.md, "Organising links").
const (
	MaxBulkItems = 1000
	// bulkChunk is how many links one transaction inserts: a whole bulk
	// request, and an import a thousand records at a time, so that no
	// transaction holds its locks (SQLite's single writer) for long. One
	// commit per 1,000 links, not four, doubled the links/s on PostgreSQL
	// (bench/organise).
	bulkChunk = 1000
)

// BulkResult is the outcome of one item of a bulk create: the link, or
// the error a single Create would have returned.
type BulkResult struct {
	Link *shortener.Link
	Err  error
}

// CreateMany creates a link for each input as Create would, each checked
// on its own, so that a bad item never stops the others; the links are
// inserted a chunk per transaction, each with its link.created event.
// Results are in the order of ins. caller must not be nil.
func (s *Service) CreateMany(ctx context.Context, caller *shortener.User, ins []CreateInput) []BulkResult {
	now := s.clock()
	results := make([]BulkResult, len(ins))
	var pending []int // indexes of checked items, waiting for a code
	for i, in := range ins {
		l, err := s.prepare(caller, in, now)
		if err != nil {
			results[i].Err = err
			continue
		}
		results[i].Link = l
		pending = append(pending, i)
	}
	for start := 0; start < len(pending); start += bulkChunk {
		s.insertChunk(ctx, results, pending[start:min(start+bulkChunk, len(pending))])
	}
	// The codes may sit in negative cache entries: drop them, in one
	// broadcast (one at a time, the round trips to Redis cost more than
	// inserting the links).
	keys := make([]string, 0, len(results))
	for _, r := range results {
		if r.Err == nil {
			keys = append(keys, r.Link.Key())
		}
	}
	s.invalidate(ctx, keys...)
	return results
}

// insertChunk inserts the links of results at idx in one transaction per
// round: an alias already taken is a conflict, a generated code that
// collided is drawn again for the next round.
func (s *Service) insertChunk(ctx context.Context, results []BulkResult, idx []int) {
	for attempt := 0; len(idx) > 0; attempt++ {
		batch := make([]*shortener.Link, 0, len(idx))
		for _, i := range idx {
			l := results[i].Link
			if l.CustomAlias != nil {
				l.ShortCode = *l.CustomAlias
			} else {
				l.ShortCode = s.freeCode()
			}
			batch = append(batch, l)
		}
		inserted, err := s.links.CreateLinks(ctx, batch)
		if errors.Is(err, shortener.ErrDomainGone) {
			// A domain of the chunk was deleted meanwhile: each link
			// alone, so that only those on that domain fail.
			for _, i := range idx {
				if err := s.insert(ctx, results[i].Link); err != nil {
					results[i] = BulkResult{Err: domainGone(err, results[i].Link)}
				}
			}
			return
		}
		if err != nil {
			for _, i := range idx {
				results[i] = BulkResult{Err: err}
			}
			return
		}
		var retry []int
		for k, i := range idx {
			switch l := results[i].Link; {
			case inserted[k]:
			case l.CustomAlias != nil:
				results[i] = BulkResult{Err: aliasTaken(*l.CustomAlias)}
			case attempt+1 >= codeAttempts:
				results[i] = BulkResult{Err: fmt.Errorf("create link: no free code after %d attempts", codeAttempts)}
			default:
				retry = append(retry, i)
			}
		}
		idx = retry
	}
}

// freeCode draws a generated code that is not a reserved word.
func (s *Service) freeCode() string {
	for {
		if code := shortener.GenerateCode(s.codeLength); !shortener.IsReservedCode(code) {
			return code
		}
	}
}
