package links

import (
	"context"
	"io"

	"github.com/shortener-dev/shortener"
)

// Tags returns caller's tags with how many of caller's links carry each,
// ordered by tag. caller must not be nil.
func (s *Service) Tags(ctx context.Context, caller *shortener.User) ([]shortener.TagCount, error) {
	return s.links.TagCounts(ctx, caller.ID)
}

// Export calls fn with every link of caller that q selects (paging
// ignored), in q's order, as the store streams them. Returns EINVALID
// for a bad query and EFORBIDDEN for owner=all from a non-admin, before
// fn is first called.
func (s *Service) Export(ctx context.Context, caller *shortener.User, q ListQuery, fn func(*shortener.Link) error) error {
	lq, err := s.linkQuery(caller, q)
	if err != nil {
		return err
	}
	return s.links.EachLink(ctx, lq, fn)
}

// ImportResult is the outcome of one CSV record of an import.
type ImportResult struct {
	Record int
	BulkResult
}

// Import creates a link for each record of a CSV file (ReadImport) as
// CreateMany does: good records are kept whatever the bad ones. Without
// aliases the alias columns are ignored. Returns EINVALID, importing
// nothing, for a file without a header or an original_url column.
func (s *Service) Import(ctx context.Context, caller *shortener.User, r io.Reader, aliases bool) ([]ImportResult, error) {
	records, err := ReadImport(r, aliases)
	if err != nil {
		return nil, err
	}
	out := make([]ImportResult, len(records))
	var ins []CreateInput
	var at []int
	for i, rec := range records {
		out[i].Record = rec.Record
		if rec.Err != nil {
			out[i].Err = rec.Err
			continue
		}
		ins, at = append(ins, rec.Input), append(at, i)
	}
	for k, res := range s.CreateMany(ctx, caller, ins) {
		out[at[k]].BulkResult = res
	}
	return out, nil
}
