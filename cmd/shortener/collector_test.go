package main

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestTuneCollectorDefaults(t *testing.T) {
	restore := saveCollector(t)
	defer restore()
	tuneCollector(func(string) string { return "" })
	if got := gcPercent(); got != defaultGOGC {
		t.Errorf("GOGC %d, want %d", got, defaultGOGC)
	}
	if got := debug.SetMemoryLimit(-1); got != defaultMemoryLimit {
		t.Errorf("memory limit %d, want %d", got, defaultMemoryLimit)
	}
}

func TestTuneCollectorKeepsTheOperatorsSettings(t *testing.T) {
	restore := saveCollector(t)
	defer restore()
	debug.SetGCPercent(150)
	debug.SetMemoryLimit(math.MaxInt64)
	tuneCollector(func(k string) string {
		return map[string]string{"GOGC": "150", "GOMEMLIMIT": "off"}[k]
	})
	if got := gcPercent(); got != 150 {
		t.Errorf("GOGC %d, want the operator's 150", got)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("memory limit %d, want the operator's (none)", got)
	}
}

// gcPercent reads GOGC's current value (reading it means setting it).
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// saveCollector returns a function that puts the collector's settings
// back as they were.
func saveCollector(t *testing.T) func() {
	t.Helper()
	gc := gcPercent()
	limit := debug.SetMemoryLimit(-1)
	return func() {
		debug.SetGCPercent(gc)
		debug.SetMemoryLimit(limit)
	}
}
