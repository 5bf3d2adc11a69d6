// Package spool is the first hop of the click pipeline: the place a redirect
// puts its click before it answers.
//
// Spool is a durable append-only log in the instance's DATA_DIR (built on
// github.com/tidwall/wal). RecordClick returns once the click's bytes were
// handed to the kernel with write(), so a 302 sent afterwards implies that
// the click survives the process being killed; fsync runs on an interval.
// Concurrent redirects share one write() (group commit). Memory is the
// in-process stand-in for CLICK_SPOOL=memory.
//
// Both are read by one consumer, the shipper: Next returns the oldest clicks
// not yet acknowledged, Ack marks them delivered. Until Ack, Next returns the
// same clicks again, and so does a reopened Spool after a crash or restart.
package spool

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/logthrottle"
	"github.com/tidwall/wal"
)

var (
	_ shortener.ClickRecorder = (*Spool)(nil)
	_ shortener.ClickSource   = (*Spool)(nil)
)

// ErrClosed is returned by Next and Ack after Close.
var ErrClosed = errors.New("spool closed")

// Options tunes a Spool. The zero value gives the defaults.
type Options struct {
	// SyncInterval is how often the log is fsynced and the acknowledged
	// position saved. Default 1 s.
	SyncInterval time.Duration
	// MaxWait bounds how long RecordClick waits for a write that has
	// stalled (a hung disk). After it, RecordClick returns although its
	// click may not be written yet. Default 200 ms.
	MaxWait time.Duration
	// SegmentSize is the size of the log's segment files. Default 8 MiB.
	SegmentSize int
	// TruncateEvery is how many acknowledged clicks accumulate before the
	// front of the log is cut off. Truncating rewrites the rest of a
	// segment with the log locked, so it is done in bulk. Default 16384.
	TruncateEvery int
	// Metrics receives the clicks spooled and dropped (with the
	// shortener.DropSpool* reasons) and the time of each write of the log;
	// nil records nothing. Memory uses only this and Logger.
	Metrics shortener.PipelineMetrics
	// Logger gets write failures and replays. Default slog.Default().
	Logger *slog.Logger
	// Overflow is how many clicks are kept in memory while the log cannot
	// be written (a full or failing disk), instead of being dropped; the
	// shipper takes them from there. 0 takes the default, 100,000; a
	// negative value turns it off.
	Overflow int
}

// DefaultOverflow is the number of clicks held in memory while the log
// cannot be written: about 100 bytes each.
const DefaultOverflow = 100000

func (o Options) withDefaults() Options {
	if o.SyncInterval <= 0 {
		o.SyncInterval = time.Second
	}
	if o.MaxWait <= 0 {
		o.MaxWait = 200 * time.Millisecond
	}
	if o.SegmentSize <= 0 {
		o.SegmentSize = 8 << 20
	}
	if o.TruncateEvery <= 0 {
		o.TruncateEvery = 16384
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Overflow == 0 {
		o.Overflow = DefaultOverflow
	}
	return o
}

// Spool is the durable click spool. It is safe for concurrent use by many
// recorders and one reader.
type Spool struct {
	dir  string
	opts Options
	log  atomic.Pointer[wal.Log] // nil while a failed log is being reopened

	// Group commit: recorders append to fill under mu and wait on cond
	// until the writer goroutine has written their batch (doneGen) or the
	// write has stalled.
	mu            sync.Mutex
	cond          sync.Cond
	fill, spare   *pendingBatch
	doneGen       uint64
	inflightSince time.Time // start of the write in progress, zero if none
	stalled       bool
	closing       bool
	kick          chan struct{} // wakes the writer; capacity 1
	quit          chan struct{}
	writerDone    chan struct{}
	stallTimer    *time.Timer

	// overflow holds the clicks of writes that failed, until the shipper
	// takes them (nil when Options.Overflow is negative); degraded is set
	// by a failed write and cleared once the disk takes writes again.
	overflow   *Memory
	degraded   atomic.Bool
	recoverReq chan struct{} // asks the writer to reopen and probe; capacity 1

	// Owned by the writer goroutine.
	walBatch   wal.Batch
	lastReopen time.Time
	writes     atomic.Int64 // write() batches, for tests and logs
	// testHookWrite, when set by a test before any click, runs before
	// each write; it stands in for a disk that hangs.
	testHookWrite func()
	failLog       *logthrottle.Throttle // failed writes whose clicks were all kept

	// Reader side.
	written  atomic.Uint64 // index of the last entry in the log
	acked    atomic.Uint64 // index of the last acknowledged entry
	readable chan struct{} // signalled after each write; capacity 1
	closed   chan struct{}

	// Owned by the maintenance goroutine, then by Close.
	syncedThrough    uint64
	syncedSegment    string
	persistedAck     uint64
	ackFailing       bool // the last save of persistedAck failed
	truncatedThrough uint64
	syncQuit         chan struct{}
	syncDone         chan struct{}
}

// Open opens or creates the spool in dir. Clicks left unacknowledged by an
// earlier process are pending again at once. A log whose end was torn by a
// crash is cut back to its last whole entry.
func Open(dir string, opts Options) (*Spool, error) {
	opts = opts.withDefaults()
	log, err := openLog(dir, opts)
	if err != nil {
		return nil, fmt.Errorf("open click spool: %w", err)
	}
	first, _ := log.FirstIndex()
	last, _ := log.LastIndex()
	acked, err := readAckFile(dir)
	if err != nil {
		// Replaying clicks already shipped is harmless (inserts are
		// idempotent); losing unshipped ones is not.
		opts.Logger.Warn("click spool: unreadable acknowledged position; replaying the whole log",
			slog.String("dir", dir), slog.Any("error", err))
		acked = 0
	}
	if first > 0 {
		acked = max(acked, first-1)
	}
	acked = min(acked, last)

	s := &Spool{
		dir:        dir,
		opts:       opts,
		fill:       &pendingBatch{gen: 1},
		spare:      &pendingBatch{},
		kick:       make(chan struct{}, 1),
		quit:       make(chan struct{}),
		writerDone: make(chan struct{}),
		readable:   make(chan struct{}, 1),
		closed:     make(chan struct{}),
		syncQuit:   make(chan struct{}),
		syncDone:   make(chan struct{}),
		recoverReq: make(chan struct{}, 1),
		failLog:    logthrottle.New(time.Minute),
	}
	if opts.Overflow > 0 {
		s.overflow = NewMemory(opts.Overflow, Options{Metrics: opts.Metrics})
	}
	s.cond.L = &s.mu
	s.log.Store(log)
	s.written.Store(last)
	s.acked.Store(acked)
	s.syncedThrough = last
	s.persistedAck = acked
	s.truncatedThrough = acked
	s.stallTimer = time.AfterFunc(time.Hour, s.onStall)
	s.stallTimer.Stop()
	if n := s.Pending(); n > 0 {
		opts.Logger.Info("click spool: replaying unshipped clicks",
			slog.String("dir", dir), slog.Int("clicks", n))
	}
	go s.writeLoop()
	go s.syncLoop()
	return s, nil
}

// Close writes the clicks already recorded, fsyncs the log, saves the
// acknowledged position and closes the log. Unshipped clicks stay in dir for
// the next Open. Clicks recorded after Close are dropped.
func (s *Spool) Close() error {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return nil
	}
	s.closing = true
	s.mu.Unlock()

	close(s.quit)
	<-s.writerDone
	s.stallTimer.Stop()
	close(s.syncQuit)
	<-s.syncDone
	s.maintain(true)
	s.closeOverflow()
	close(s.closed)

	log := s.log.Swap(nil)
	if log == nil {
		return nil
	}
	if err := log.Close(); err != nil {
		return fmt.Errorf("close click spool: %w", err)
	}
	return nil
}

func (s *Spool) dropped(reason shortener.DropReason, n int) {
	if s.opts.Metrics != nil {
		s.opts.Metrics.ClicksDropped(reason, n)
	}
}

func (s *Spool) spooled(n int) {
	if s.opts.Metrics != nil {
		s.opts.Metrics.ClicksSpooled(n)
	}
}

func (s *Spool) wrote(took time.Duration) {
	if s.opts.Metrics != nil {
		s.opts.Metrics.SpoolWrite(took)
	}
}
