package spool

import (
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/tidwall/wal"
)

// openLog opens the write-ahead log in dir. A log whose last segment ends in
// a partial entry (the process was killed in the middle of a write(), or the
// disk filled up) is cut back to its last whole entry and opened again:
// tidwall/wal refuses such a log, and a spool that cannot open would stop
// the server for the sake of one torn click.
func openLog(dir string, opts Options) (*wal.Log, error) {
	log, err := wal.Open(dir, walOptions(opts))
	if !errors.Is(err, wal.ErrCorrupt) {
		return log, err
	}
	path, cut, rerr := repairTail(dir)
	if rerr != nil {
		return nil, fmt.Errorf("repair torn log tail: %w (after %w)", rerr, err)
	}
	opts.Logger.Warn("click spool: cut a torn entry off the log",
		slog.String("segment", path), slog.Int64("bytes", cut))
	return wal.Open(dir, walOptions(opts))
}

// walOptions returns a fresh value each time: wal.Open writes defaults into
// the options it is given.
func walOptions(opts Options) *wal.Options {
	return &wal.Options{
		// A completed write() survives the process being killed; fsync
		// runs on SyncInterval, off the redirect's path.
		NoSync:           true,
		SegmentSize:      opts.SegmentSize,
		LogFormat:        wal.Binary,
		SegmentCacheSize: 2,
		// Entries are decoded into new strings at once, never kept.
		NoCopy:    true,
		DirPerms:  0o750,
		FilePerms: 0o640,
	}
}

// repairTail truncates the newest segment of the log in dir after its last
// whole entry and reports how many bytes it cut.
func repairTail(dir string) (path string, cut int64, err error) {
	path, err = newestSegment(dir)
	if err != nil {
		return "", 0, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return path, 0, err
	}
	good := 0
	for good < len(data) {
		size, n := binary.Uvarint(data[good:])
		if n <= 0 || uint64(len(data)-good-n) < size {
			break
		}
		good += n + int(size)
	}
	if good == len(data) {
		return path, 0, errors.New("no torn entry found in the newest segment")
	}
	if err := os.Truncate(path, int64(good)); err != nil {
		return path, 0, err
	}
	return path, int64(len(data) - good), nil
}

// newestSegment returns the path of the segment that tidwall/wal appends
// to: the file with the largest 20-digit name.
func newestSegment(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	newest := ""
	for _, e := range entries {
		if name := e.Name(); !e.IsDir() && isSegmentName(name) && name > newest {
			newest = name
		}
	}
	if newest == "" {
		return "", errors.New("no log segment in " + dir)
	}
	return filepath.Join(dir, newest), nil
}

func isSegmentName(name string) bool {
	if len(name) != 20 {
		return false
	}
	for i := 0; i < len(name); i++ {
		if name[i] < '0' || name[i] > '9' {
			return false
		}
	}
	return true
}

// retireLog closes a log that failed a write. tidwall/wal keeps the entries
// of a failed write in its memory, so that handle would misnumber every
// entry written after them: it must never be used again.
func (s *Spool) retireLog() {
	if old := s.log.Swap(nil); old != nil {
		_ = old.Close() // already failed; its error says nothing new
	}
}

// reopen opens the log again after retireLog. It runs on the writer
// goroutine and returns the new log, or nil when it failed or was tried
// less than reopenEvery ago; until then clicks are dropped.
func (s *Spool) reopen() *wal.Log {
	if time.Since(s.lastReopen) < reopenEvery {
		return nil
	}
	s.lastReopen = time.Now()
	log, err := openLog(s.dir, s.opts)
	if err != nil {
		s.opts.Logger.Error("click spool: reopen failed; dropping clicks until it works",
			slog.String("dir", s.dir), slog.Any("error", err))
		return nil
	}
	last, _ := log.LastIndex()
	// Entries of the failed write that did reach the file are kept and
	// shipped; they were counted as dropped, which overstates the loss.
	s.written.Store(last)
	if s.acked.Load() > last {
		s.acked.Store(last)
	}
	s.log.Store(log)
	s.opts.Logger.Info("click spool: log reopened", slog.String("dir", s.dir))
	return log
}
