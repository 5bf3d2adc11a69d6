// Package inmem holds in-process implementations of the cache, limiter and
// click stream interfaces for the embedded mode: one machine, no Redis, the
// same behaviour as the networked implementations.
package inmem
