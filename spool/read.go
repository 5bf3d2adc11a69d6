package spool

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/tidwall/wal"

	"github.com/shortener-dev/shortener"
)

// Next waits until at least one click is pending or ctx is done, then
// returns up to limit of the oldest unacknowledged clicks, oldest first, and
// the token that acknowledges them. Until Ack, every call starts with the
// same clicks. It is meant for one reader. After Close it returns ErrClosed.
//
// Entries that fail their checksum (garbage a crash left) are skipped and
// counted as dropped. Clicks kept in memory while the disk was full come
// after the log's; while the log is unavailable (being reopened) Next
// returns them, or waits.
func (s *Spool) Next(ctx context.Context, limit int) ([]shortener.Click, uint64, error) {
	limit = atLeastOne(limit)
	for {
		select {
		case <-s.closed:
			return nil, 0, ErrClosed
		default:
		}
		from := s.acked.Load() + 1
		if last := s.written.Load(); last >= from {
			to := min(last, from+uint64(limit)-1)
			batch, err := s.read(from, to)
			switch {
			case errors.Is(err, errLogUnavailable):
				// Not an error for the reader: the writer reopens it.
			case err != nil:
				return nil, 0, err
			case len(batch) > 0:
				return batch, to, nil
			default:
				s.advanceAck(to) // nothing but garbage: nothing to ship
				continue
			}
		}
		if batch, token, ok := s.takeOverflow(limit); ok {
			return batch, token, nil
		}
		select {
		case <-s.readable:
		case <-ctx.Done():
			return nil, 0, ctx.Err()
		case <-s.closed:
			return nil, 0, ErrClosed
		}
	}
}

// errLogUnavailable: the log failed a write and is not reopened yet.
var errLogUnavailable = errors.New("read click spool: log unavailable")

func (s *Spool) read(from, to uint64) ([]shortener.Click, error) {
	log := s.log.Load()
	if log == nil {
		return nil, errLogUnavailable
	}
	batch := make([]shortener.Click, 0, to-from+1)
	for i := from; i <= to; i++ {
		data, err := log.Read(i)
		if errors.Is(err, wal.ErrClosed) {
			return nil, errLogUnavailable // retired under us after a failed write
		}
		if err != nil {
			return nil, fmt.Errorf("read click spool entry %d: %w", i, err)
		}
		c, err := decodeClick(data)
		if err != nil {
			s.dropped(shortener.DropSpoolCorrupt, 1)
			s.opts.Logger.Warn("click spool: skipped a corrupt entry",
				slog.Uint64("index", i), slog.Int("bytes", len(data)))
			continue
		}
		batch = append(batch, c)
	}
	return batch, nil
}

// Ack marks the clicks up to token, the one Next returned with them, as
// delivered: Next moves past them and the log front is cut off later. The
// position is saved every SyncInterval and on Close, so after a crash up to
// one interval of delivered clicks is delivered again; the click store's
// idempotent insert absorbs that.
func (s *Spool) Ack(token uint64) error {
	select {
	case <-s.closed:
		return ErrClosed
	default:
	}
	if token&overflowToken != 0 {
		return s.overflow.Ack(token &^ overflowToken)
	}
	if token > s.written.Load() {
		return fmt.Errorf("ack click spool: token %d is beyond the log", token)
	}
	s.advanceAck(token)
	return nil
}

func (s *Spool) advanceAck(token uint64) {
	for {
		old := s.acked.Load()
		if token <= old || s.acked.CompareAndSwap(old, token) {
			return
		}
	}
}

// Pending returns how many recorded clicks are not yet acknowledged.
func (s *Spool) Pending() int {
	n := 0
	if s.overflow != nil {
		n = s.overflow.Pending()
	}
	written, acked := s.written.Load(), s.acked.Load()
	if acked >= written {
		return n
	}
	return n + int(written-acked)
}

func atLeastOne(n int) int {
	if n < 1 {
		return 1
	}
	return n
}
