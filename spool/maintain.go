package spool

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ackFile holds the index of the last acknowledged entry. tidwall/wal cannot
// truncate its last entry away, and truncating after every shipped batch
// would rewrite the log's tail each time, so the position is kept here and
// entries at or below it are skipped on replay. The name is shorter than a
// segment's, so tidwall/wal ignores it.
const ackFile = "acked"

// syncLoop does the spool's periodic work off the redirect's path.
func (s *Spool) syncLoop() {
	defer close(s.syncDone)
	t := time.NewTicker(s.opts.SyncInterval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			s.maintain(false)
		case <-s.syncQuit:
			return
		}
	}
}

// maintain fsyncs what was written since the last time, saves the
// acknowledged position and, every TruncateEvery clicks (or on Close), cuts
// acknowledged entries off the front of the log.
func (s *Spool) maintain(closing bool) {
	s.persistAck()
	if !closing {
		s.requestRecovery()
	}
	log := s.log.Load()
	if log == nil {
		return // retired after a failed write; the writer reopens it
	}
	if written := s.written.Load(); written != s.syncedThrough {
		switch err := s.syncTail(); {
		case err == nil:
			s.syncedThrough = written
		case errors.Is(err, fs.ErrNotExist):
			// A truncation renamed the segment under us: next tick.
		default:
			s.opts.Logger.Warn("click spool: fsync failed", slog.Any("error", err))
		}
	}
	acked := s.persistedAck
	if acked > s.truncatedThrough &&
		(closing || acked-s.truncatedThrough >= uint64(s.opts.TruncateEvery)) {
		// Keep at least one entry: tidwall/wal refuses to empty a log.
		// The acknowledged position skips it on replay.
		target := min(acked+1, s.written.Load())
		if first, err := log.FirstIndex(); err == nil && target > first {
			if err := log.TruncateFront(target); err != nil {
				s.opts.Logger.Warn("click spool: truncating the log failed",
					slog.Uint64("index", target), slog.Any("error", err))
			}
		}
		s.truncatedThrough = acked
	}
}

// persistAck saves the acknowledged position if it moved.
func (s *Spool) persistAck() {
	acked := s.acked.Load()
	if acked == s.persistedAck {
		return
	}
	if err := writeAckFile(s.dir, acked); err != nil {
		// Tried again every round: logged once until it works again.
		if !s.ackFailing {
			s.ackFailing = true
			s.opts.Logger.Warn("click spool: saving the acknowledged position failed; retrying",
				slog.Any("error", err))
		}
		return
	}
	if s.ackFailing {
		s.ackFailing = false
		s.opts.Logger.Info("click spool: the acknowledged position is saved again")
	}
	s.persistedAck = acked
}

// syncTail fsyncs the segment that is being appended to through a handle of
// its own. wal.Log.Sync would hold the log's lock for the whole fsync and
// make every redirect wait for the disk.
func (s *Spool) syncTail() error {
	path, err := newestSegment(s.dir)
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if path != s.syncedSegment {
		// A new segment file: make its directory entry durable too.
		if err := syncDir(s.dir); err != nil {
			return err
		}
		s.syncedSegment = path
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// readAckFile returns the saved acknowledged position, 0 if there is none.
func readAckFile(dir string) (uint64, error) {
	data, err := os.ReadFile(filepath.Join(dir, ackFile))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("read acknowledged position: %w", err)
	}
	n, err := strconv.ParseUint(strings.TrimSpace(string(data)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("parse acknowledged position: %w", err)
	}
	return n, nil
}

// writeAckFile replaces the saved position atomically (write, rename), so
// that a crash leaves the old position or the new one, never a torn one. It
// does not fsync: an old position only replays clicks already delivered.
func writeAckFile(dir string, acked uint64) error {
	path := filepath.Join(dir, ackFile)
	tmp := path + ".tmp"
	data := strconv.AppendUint(nil, acked, 10)
	if err := os.WriteFile(tmp, append(data, '\n'), 0o640); err != nil {
		return fmt.Errorf("write acknowledged position: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write acknowledged position: %w", err)
	}
	return nil
}
