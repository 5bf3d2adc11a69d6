package redis

import (
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/cachetest"
	"github.com/shortener-dev/shortener/internal/testenv"
)

func TestBlobCacheConformance(t *testing.T) {
	cachetest.RunBlobCache(t, func(t *testing.T) (shortener.BlobCache, cachetest.Advance) {
		client, prefix := testenv.Redis(t)
		return NewBlobCache(client, prefix), time.Sleep
	})
}
