package inmem

import (
	"context"
	"sync"

	"github.com/bits-and-blooms/bloom/v3"
)

// CodeFilter knows, approximately, every short code that exists: a Bloom
// filter loaded from the store and kept current by the invalidations that
// every create broadcasts. A code it has never seen certainly does not
// exist, so a flood of random unknown codes is answered in process and
// never reaches Redis or the database; a false positive (about 1%) only
// costs an ordinary lookup.
//
// Reloads that the filter asks for itself (it grew past its capacity, or
// invalidations may have been missed) run on Run's goroutine, which its
// owner cancels and waits for at shutdown, so none can touch a closed
// database.
type CodeFilter struct {
	load   func(ctx context.Context, fn func(code string) error) error
	reload chan struct{} // capacity 1: a pending reload request

	mu       sync.RWMutex
	filter   *bloom.BloomFilter // nil until the first load: everything may exist
	count    uint               // codes added since the last load
	capacity uint
	pending  []string // codes added while a load runs
	loading  bool
}

// minFilterCapacity keeps small deployments from resizing often.
const minFilterCapacity = 1 << 20

// falsePositiveRate is the filter's target error rate at capacity.
const falsePositiveRate = 0.01

// NewCodeFilter returns an empty filter that loads codes with load (a
// LinkStore's LinkKeys: link keys are what it holds). Until Load succeeds,
// every code may exist.
func NewCodeFilter(load func(ctx context.Context, fn func(code string) error) error) *CodeFilter {
	return &CodeFilter{load: load, reload: make(chan struct{}, 1)}
}

// Run performs the reloads asked for with RequestReload until ctx is done.
// A failed reload keeps the previous filter; the next request tries again.
func (f *CodeFilter) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-f.reload:
			_ = f.Load(ctx)
		}
	}
}

// RequestReload asks Run to rebuild the filter from the store, e.g. after
// invalidations were missed (creates among them). Requests made while one
// is pending are merged.
func (f *CodeFilter) RequestReload() {
	select {
	case f.reload <- struct{}{}:
	default:
	}
}

// Suspend lets every code through until the next Load: while this
// instance may be missing the creates of the others (its invalidation
// subscription is lost), a code it has not heard of may exist.
func (f *CodeFilter) Suspend() {
	f.mu.Lock()
	f.filter, f.count = nil, 0
	f.mu.Unlock()
}

// MayExist reports whether code may be a short code. False is certain.
func (f *CodeFilter) MayExist(code string) bool {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.filter == nil || f.filter.TestString(code)
}

// Add records a code that now exists (a create seen on any instance).
func (f *CodeFilter) Add(code string) {
	f.mu.Lock()
	if f.loading {
		f.pending = append(f.pending, code)
	}
	grow := false
	if f.filter != nil {
		f.filter.AddString(code)
		f.count++
		grow = f.count > f.capacity && !f.loading
	}
	f.mu.Unlock()
	if grow {
		// Past capacity the error rate climbs: rebuild a bigger filter.
		f.RequestReload()
	}
}

// Load rebuilds the filter from every code in the store. Codes added while
// it runs are kept. On error the previous filter stays in use.
func (f *CodeFilter) Load(ctx context.Context) error {
	f.mu.Lock()
	if f.loading {
		f.mu.Unlock()
		return nil
	}
	f.loading, f.pending = true, nil
	capacity := max(minFilterCapacity, 2*f.count)
	f.mu.Unlock()

	var codes []string
	err := f.load(ctx, func(code string) error {
		codes = append(codes, code)
		return nil
	})

	f.mu.Lock()
	defer f.mu.Unlock()
	f.loading = false
	if err != nil {
		f.pending = nil
		return err
	}
	capacity = max(capacity, 2*uint(len(codes)))
	next := bloom.NewWithEstimates(capacity, falsePositiveRate)
	for _, c := range codes {
		next.AddString(c)
	}
	for _, c := range f.pending {
		next.AddString(c)
	}
	f.filter, f.capacity, f.count, f.pending = next, capacity, uint(len(codes)+len(f.pending)), nil
	return nil
}
