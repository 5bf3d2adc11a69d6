// Package inmem holds in-process implementations of the cache, limiter and
// click stream interfaces: the embedded mode's (one machine, no Redis, the
// same behaviour as the networked implementations), and what every mode
// keeps in process: the L1 link cache, the code filter, and the limiter
// that holds the limits per instance while Redis fails.
package inmem
