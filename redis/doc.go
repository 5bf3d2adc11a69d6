// Package redis holds Redis implementations (go-redis v9) of the cache,
// limiter, click stream and invalidation, shared by every instance of the
// service. Keys carry {hash tags} so that it also works on Redis Cluster.
package redis
