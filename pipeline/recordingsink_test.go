package pipeline_test

import (
	"context"
	"errors"
	"sync"

	"github.com/shortener-dev/shortener"
)

// recordingSink keeps every batch it is given and fails the first failFirst
// calls. It stands in for the click store or the stream, which have their
// own tests against real databases.
type recordingSink struct {
	mu        sync.Mutex
	failFirst int
	calls     int
	batches   [][]string // IDs of each successful call
	failed    [][]string // IDs of each failed call
	// pendingAtFailure is the spool's Pending() during each failed call.
	pendingAtFailure []int
	src              shortener.ClickSource
	alwaysFail       bool
}

var errSinkDown = errors.New("sink down")

func (s *recordingSink) WriteClicks(ctx context.Context, events []shortener.ClickEvent) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	ids := make([]string, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	if s.alwaysFail || s.calls <= s.failFirst {
		s.failed = append(s.failed, ids)
		if s.src != nil {
			s.pendingAtFailure = append(s.pendingAtFailure, s.src.Pending())
		}
		return errSinkDown
	}
	s.batches = append(s.batches, ids)
	return nil
}

func (s *recordingSink) delivered() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int)
	for _, b := range s.batches {
		for _, id := range b {
			out[id]++
		}
	}
	return out
}
