package main

import (
	"runtime/debug"
)

// The garbage collector's defaults for the server, each taken only when
// the operator has not set the Go runtime's own variable. A redirect makes
// a few hundred bytes of garbage, so at tens of thousands a second the
// collector's pace is the runtime's main cost: GOGC=400 collects a quarter
// as often as Go's default of 100, and the memory limit keeps the larger
// heap this allows well inside the 300 MB budget (the collector works
// harder as the heap nears it). BENCHMARKS.md has the measurement.
const (
	defaultGOGC        = 400
	defaultMemoryLimit = 256 << 20 // bytes
)

// tuneCollector applies the defaults where getenv shows no GOGC or
// GOMEMLIMIT. main calls it for the server only: tests and the other
// commands keep Go's defaults.
func tuneCollector(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGOGC)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
}
