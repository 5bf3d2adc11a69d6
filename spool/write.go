package spool

import (
	"fmt"
	"log/slog"
	"runtime"
	"time"

	"github.com/shortener-dev/shortener"
)

// maxFillBytes caps the clicks queued behind a stalled write, so that a hung
// disk costs dropped clicks rather than unbounded memory.
const maxFillBytes = 16 << 20

// reopenEvery limits how often a failed log is reopened, so that a full
// disk does not turn every click into a directory scan.
const reopenEvery = time.Second

// pendingBatch is the group of clicks that one write() will append. Clicks
// are encoded into buf as they arrive; ends marks where each one stops.
type pendingBatch struct {
	gen  uint64 // increases by one per batch; recorders wait for theirs
	buf  []byte
	ends []int
}

func (b *pendingBatch) add(c shortener.Click) {
	b.buf = appendClick(b.buf, c)
	b.ends = append(b.ends, len(b.buf))
}

func (b *pendingBatch) reset() {
	if cap(b.buf) > 1<<20 {
		b.buf, b.ends = nil, nil // let a burst's buffer go
	}
	b.buf, b.ends = b.buf[:0], b.ends[:0]
}

// RecordClick appends c to the spool. It returns when the click has been
// written to the log file, when the write failed (the click is counted as
// dropped), or after Options.MaxWait if the write hangs. It never returns an
// error: the redirect answers regardless.
func (s *Spool) RecordClick(c shortener.Click) {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		s.dropped(shortener.DropSpoolClosed, 1)
		return
	}
	if len(s.fill.buf) >= maxFillBytes {
		s.mu.Unlock()
		s.dropped(shortener.DropSpoolOverflow, 1)
		return
	}
	s.fill.add(c)
	gen := s.fill.gen
	if len(s.fill.ends) == 1 {
		select {
		case s.kick <- struct{}{}:
		default:
		}
	}
	for s.doneGen < gen && !s.stalled {
		s.cond.Wait()
	}
	s.mu.Unlock()
}

// writeLoop is the only goroutine that writes the log. While it writes one
// batch, the next one fills up; that is the group commit.
func (s *Spool) writeLoop() {
	defer close(s.writerDone)
	for {
		select {
		case <-s.kick:
		case <-s.recoverReq:
			s.recoverLog()
			continue
		case <-s.quit:
			for s.flushOne() {
			}
			return
		}
		// The recorder that kicked us made us its runnext goroutine: without
		// yielding we would write its click alone while the recorders that
		// are runnable too (woken by the previous write) wait for the next
		// round. Yielding lets them join this batch first.
		runtime.Gosched()
		for s.flushOne() {
		}
	}
}

// flushOne writes the filling batch, if any, and wakes its recorders.
func (s *Spool) flushOne() bool {
	s.mu.Lock()
	b := s.fill
	if len(b.ends) == 0 {
		s.mu.Unlock()
		return false
	}
	s.fill, s.spare = s.spare, nil
	s.fill.gen = b.gen + 1
	start := time.Now()
	s.inflightSince = start
	s.mu.Unlock()

	s.stallTimer.Reset(s.opts.MaxWait)
	err := s.appendBatch(b)
	s.stallTimer.Stop()
	took := time.Since(start)
	s.wrote(took)
	n := len(b.ends)
	// Count before waking the recorders, so that a returned RecordClick
	// is already in the metrics.
	kept := 0
	if err != nil {
		s.degraded.Store(true)
		if kept = s.keepInMemory(b); kept < n {
			s.dropped(shortener.DropSpoolWriteFailed, n-kept)
		}
	} else {
		s.degraded.Store(false)
		s.writes.Add(1)
		s.spooled(n)
	}

	s.mu.Lock()
	s.inflightSince = time.Time{}
	s.stalled = false
	s.doneGen = b.gen
	b.reset()
	s.spare = b
	s.cond.Broadcast()
	s.mu.Unlock()

	if took >= s.opts.MaxWait {
		s.opts.Logger.Warn("click spool: write stalled",
			slog.Duration("took", took), slog.Int("clicks", n))
	}
	if err != nil {
		// Every write fails while the disk does: one line a minute says so
		// (the metrics count every click). Clicks kept in memory are not
		// lost while the process lives; only those that did not fit are.
		if kept < n {
			s.opts.Logger.Error("click spool: write failed; clicks dropped",
				slog.Int("clicks", n-kept), slog.Int("kept_in_memory", kept), slog.Any("error", err))
		} else if s.failLog.Allow("write") {
			s.opts.Logger.Warn("click spool: write failed; clicks kept in memory until the disk takes them",
				slog.Int("clicks", n), slog.Any("error", err))
		}
		s.retireLog()
		s.reopen()
		return true
	}
	select {
	case s.readable <- struct{}{}:
	default:
	}
	return true
}

// appendBatch appends b's clicks to the log in one write().
func (s *Spool) appendBatch(b *pendingBatch) (err error) {
	log := s.log.Load()
	if log == nil {
		if log = s.reopen(); log == nil {
			return fmt.Errorf("append %d clicks: log unavailable", len(b.ends))
		}
	}
	defer func() {
		// The redirect always wins: a bug in the log library costs clicks,
		// not the server.
		if r := recover(); r != nil {
			err = fmt.Errorf("append %d clicks: panic: %v", len(b.ends), r)
		}
	}()
	if s.testHookWrite != nil {
		s.testHookWrite()
	}
	s.walBatch.Clear()
	next := s.written.Load() + 1
	start := 0
	for i, end := range b.ends {
		s.walBatch.Write(next+uint64(i), b.buf[start:end])
		start = end
	}
	if err := log.WriteBatch(&s.walBatch); err != nil {
		return fmt.Errorf("append %d clicks: %w", len(b.ends), err)
	}
	s.written.Store(next + uint64(len(b.ends)) - 1)
	return nil
}

// onStall runs when a write has taken MaxWait: it releases the recorders.
// The time check ignores a timer that fired for an earlier write.
func (s *Spool) onStall() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inflightSince.IsZero() || time.Since(s.inflightSince) < s.opts.MaxWait {
		return
	}
	s.stalled = true
	s.cond.Broadcast()
}
