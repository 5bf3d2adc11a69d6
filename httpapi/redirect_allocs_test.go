package httpapi_test

import (
	"net/http"
	"testing"
)

// redirectAllocBudget is what a cached redirect may allocate: the
// request's exchange, its context copy and the mux's path match. Request
// IDs, click IDs and client addresses come without allocation.
const redirectAllocBudget = 3

func TestRedirectL1HitAllocationBudget(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates on its own account")
	}
	srv, path := benchServer(t, discardRecorder{})
	req := newBenchRequest(path)
	w := &nullWriter{h: http.Header{}}
	allocs := testing.AllocsPerRun(1000, func() {
		clear(w.h)
		w.code = 0
		srv.ServeHTTP(w, req)
	})
	if w.code != http.StatusFound {
		t.Fatalf("status %d, want 302", w.code)
	}
	if allocs > redirectAllocBudget {
		t.Errorf("a cached redirect allocates %.1f times, budget %d", allocs, redirectAllocBudget)
	}
}
