package spool

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/shortener-dev/shortener"
)

// A full disk must not cost clicks, nor stop the spool for good. When a
// write fails, its clicks go to the in-memory overflow (bounded: past it
// they are dropped as spool_full), the spool reports itself degraded (Ping
// fails, so /api/v1/health names the clicks check), and the shipper takes
// the overflow's clicks as it takes the log's. Recovery needs no new click:
// every SyncInterval the maintenance loop asks the writer to reopen a
// retired log and to probe the disk with a small write; once that works,
// the spool is healthy again and clicks go to the log.

// overflowToken marks the tokens of Next that acknowledge overflow clicks,
// apart from the log indexes that the other tokens are.
const overflowToken = 1 << 63

// probeFile is written and removed to learn whether the disk takes writes
// again. Its name is shorter than a segment's, so tidwall/wal ignores it.
const probeFile = "probe"

// probeBytes is the size of the probe: a few blocks, so that a disk with
// only a sliver of room left does not count as recovered.
const probeBytes = 64 << 10

var errDegraded = errors.New("click spool: the disk refuses writes; clicks are kept in memory")

// Ping returns an error while writes to the spool's disk fail: clicks are
// then kept in memory only (and lost if the process dies), although
// redirects still answer. It is the clicks check of the health endpoint.
func (s *Spool) Ping(context.Context) error {
	if s.degraded.Load() {
		return errDegraded
	}
	return nil
}

// keepInMemory hands the clicks of a batch whose write failed to the
// overflow, and reports how many it took (the overflow counts them as
// spooled, or as dropped when it is full).
func (s *Spool) keepInMemory(b *pendingBatch) int {
	if s.overflow == nil {
		return 0
	}
	start := 0
	for _, end := range b.ends {
		if c, err := decodeClick(b.buf[start:end]); err == nil {
			s.overflow.RecordClick(c)
		}
		start = end
	}
	s.signalReadable()
	return len(b.ends)
}

// requestRecovery asks the writer to reopen the log and probe the disk, if
// the spool is degraded. The maintenance loop calls it every interval.
func (s *Spool) requestRecovery() {
	if s.log.Load() != nil && !s.degraded.Load() {
		return
	}
	select {
	case s.recoverReq <- struct{}{}:
	default:
	}
}

// recoverLog runs on the writer goroutine: it reopens a retired log and,
// when the disk takes a probe write again, clears the degraded state.
func (s *Spool) recoverLog() {
	if s.log.Load() == nil && s.reopen() == nil {
		return
	}
	if s.degraded.Load() && s.probe() == nil {
		s.degraded.Store(false)
		s.opts.Logger.Info("click spool: the disk takes writes again", slog.String("dir", s.dir))
	}
	s.signalReadable()
}

// probe writes and removes a small file in the spool's directory.
func (s *Spool) probe() error {
	path := filepath.Join(s.dir, probeFile)
	err := os.WriteFile(path, make([]byte, probeBytes), 0o640)
	if rmErr := os.Remove(path); err == nil && rmErr != nil && !errors.Is(rmErr, os.ErrNotExist) {
		err = rmErr
	}
	return err
}

// takeOverflow returns up to limit of the overflow's oldest clicks and
// their token, or false when it holds none.
func (s *Spool) takeOverflow(limit int) ([]shortener.Click, uint64, bool) {
	if s.overflow == nil {
		return nil, 0, false
	}
	batch, token, ok := s.overflow.peek(limit)
	return batch, token | overflowToken, ok
}

// closeOverflow counts the clicks still in the overflow at Close as lost:
// they never reached the disk.
func (s *Spool) closeOverflow() {
	if s.overflow == nil {
		return
	}
	if n := s.overflow.Pending(); n > 0 {
		s.dropped(shortener.DropSpoolClosed, n)
		s.opts.Logger.Error("click spool: clicks kept in memory while the disk was full are lost at close",
			slog.Int("clicks", n))
	}
	_ = s.overflow.Close()
}

func (s *Spool) signalReadable() {
	select {
	case s.readable <- struct{}{}:
	default:
	}
}
