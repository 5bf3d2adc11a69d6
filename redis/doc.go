// Package redis holds Redis implementations (go-redis v9; rueidis for the
// link cache's pipelined GET) of the cache, limiter, click stream and the
// broadcasts between instances (link invalidations, domain changes), shared
// by every instance of the service. It also runs on Redis Cluster: the keys
// an operation touches together carry a {hash tag} (a rate limit's, the
// click stream's), and each broadcast is published and heard on the master
// of its channel's slot (publish.go, listen.go).
package redis
