package redis_test

import (
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/clickstreamtest"
	"github.com/shortener-dev/shortener/internal/testenv"
	"github.com/shortener-dev/shortener/redis"
)

func TestClickStreamConformance(t *testing.T) {
	clickstreamtest.Run(t, func(t *testing.T) shortener.ClickStream {
		client, prefix := testenv.Redis(t)
		// Short waits: the suite makes writes fail and stops consumers.
		return redis.NewClickStream(client, redis.ClickStreamOptions{
			Prefix: prefix, Consumer: "conformance", Block: 50 * time.Millisecond,
			RetryMin: 5 * time.Millisecond, RetryMax: 50 * time.Millisecond, Logger: testLogger(),
		})
	})
}
