package spool

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/shortener-dev/shortener"
)

var (
	_ shortener.ClickRecorder = (*Memory)(nil)
	_ shortener.ClickSource   = (*Memory)(nil)
)

// Memory is the spool for CLICK_SPOOL=memory: a bounded in-process queue
// with the same reading side as Spool. Clicks in it are lost when the
// process dies; a click that finds it full is dropped and counted.
type Memory struct {
	metrics shortener.PipelineMetrics

	capacity int

	mu       sync.Mutex
	ring     []shortener.Click // grows by doubling up to capacity
	head     int               // position of the oldest unacknowledged click
	n        int               // unacknowledged clicks in ring
	acked    uint64            // sequence number of the last acknowledged click
	isClosed bool

	readable chan struct{} // capacity 1
	closed   chan struct{}
}

// initialRing is the memory spool's first allocation. A queue sized for a
// long outage is grown on demand instead of up front: the garbage collector
// would scan all of it on every cycle.
const initialRing = 1024

// NewMemory returns an empty memory spool that holds at most capacity
// unacknowledged clicks (at least 1). Of opts it uses Metrics.
func NewMemory(capacity int, opts Options) *Memory {
	capacity = atLeastOne(capacity)
	return &Memory{
		metrics:  opts.Metrics,
		capacity: capacity,
		ring:     make([]shortener.Click, min(capacity, initialRing)),
		readable: make(chan struct{}, 1),
		closed:   make(chan struct{}),
	}
}

// RecordClick queues c, or drops and counts it when the spool is full or
// closed. It never blocks on anything but a short mutex.
func (m *Memory) RecordClick(c shortener.Click) {
	m.mu.Lock()
	if m.n == len(m.ring) && len(m.ring) < m.capacity {
		m.grow()
	}
	if m.isClosed || m.n == len(m.ring) {
		reason := shortener.DropSpoolFull
		if m.isClosed {
			reason = shortener.DropSpoolClosed
		}
		m.mu.Unlock()
		if m.metrics != nil {
			m.metrics.ClicksDropped(reason, 1)
		}
		return
	}
	m.ring[(m.head+m.n)%len(m.ring)] = c
	m.n++
	m.mu.Unlock()
	select {
	case m.readable <- struct{}{}:
	default:
	}
	if m.metrics != nil {
		m.metrics.ClicksSpooled(1)
	}
}

// grow doubles the ring, oldest click first.
func (m *Memory) grow() {
	ring := make([]shortener.Click, min(2*len(m.ring), m.capacity))
	for i := 0; i < m.n; i++ {
		ring[i] = m.ring[(m.head+i)%len(m.ring)]
	}
	m.ring, m.head = ring, 0
}

// Next behaves as Spool.Next: it waits for a pending click and returns up to
// limit of the oldest unacknowledged ones, and the token for Ack.
func (m *Memory) Next(ctx context.Context, limit int) ([]shortener.Click, uint64, error) {
	for {
		batch, token, ok, err := m.take(limit)
		if ok || err != nil {
			return batch, token, err
		}
		select {
		case <-m.readable:
		case <-ctx.Done():
			return nil, 0, ctx.Err()
		case <-m.closed:
			return nil, 0, ErrClosed
		}
	}
}

// peek returns up to limit of the oldest unacknowledged clicks and their
// token without waiting; false when there are none or the spool is closed.
func (m *Memory) peek(limit int) ([]shortener.Click, uint64, bool) {
	batch, token, ok, _ := m.take(limit)
	return batch, token, ok
}

func (m *Memory) take(limit int) ([]shortener.Click, uint64, bool, error) {
	limit = atLeastOne(limit)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.isClosed {
		return nil, 0, false, ErrClosed
	}
	if m.n == 0 {
		return nil, 0, false, nil
	}
	k := min(m.n, limit)
	batch := make([]shortener.Click, k)
	for i := range batch {
		batch[i] = m.ring[(m.head+i)%len(m.ring)]
	}
	return batch, m.acked + uint64(k), true, nil
}

// Ack removes the clicks up to token from the spool.
func (m *Memory) Ack(token uint64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.isClosed {
		return ErrClosed
	}
	if token <= m.acked {
		return nil
	}
	k := token - m.acked
	if k > uint64(m.n) {
		return fmt.Errorf("ack memory spool: token %d is beyond the queue", token)
	}
	for i := 0; i < int(k); i++ {
		m.ring[(m.head+i)%len(m.ring)] = shortener.Click{} // let the strings go
	}
	m.head = (m.head + int(k)) % len(m.ring)
	m.n -= int(k)
	m.acked = token
	return nil
}

var errMemoryFull = errors.New("memory click spool: full; clicks are dropped until the shipper catches up")

// Ping returns an error while the spool is full, so that new clicks are
// dropped: the clicks health check.
func (m *Memory) Ping(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.n >= m.capacity {
		return errMemoryFull
	}
	return nil
}

// Pending returns how many clicks are not yet acknowledged.
func (m *Memory) Pending() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.n
}

// Close stops the spool: later clicks are dropped and Next returns
// ErrClosed. Clicks still queued are lost; drain the shipper first.
func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.isClosed {
		m.isClosed = true
		close(m.closed)
	}
	return nil
}
