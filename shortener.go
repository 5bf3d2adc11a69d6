// Package shortener holds the domain of the URL shortener: links, users,
// refresh tokens and clicks, the error type with its codes, and the
// interfaces that the storage, cache, queue and limiter packages implement.
//
// It depends on the standard library only. Each technology lives in its own
// subpackage (sqlite, postgres, redis, inmem) and talks to the others through
// the types declared here; cmd/shortener wires them together.
package shortener

import "time"

// Clock returns the current time. Logic takes a Clock instead of calling
// time.Now so that tests can move time.
type Clock func() time.Time

// SystemClock is the wall clock in UTC, to the microsecond (what the
// databases keep).
func SystemClock() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
