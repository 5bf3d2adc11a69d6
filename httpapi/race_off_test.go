//go:build !race

package httpapi_test

// raceEnabled says whether the race detector instruments this build; it
// adds allocations of its own, so allocation budgets hold only without it.
const raceEnabled = false
