package inmem_test

import (
	"testing"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/clickstreamtest"
	"github.com/shortener-dev/shortener/inmem"
)

func TestClickStreamConformance(t *testing.T) {
	clickstreamtest.Run(t, func(t *testing.T) shortener.ClickStream {
		return inmem.NewClickStream()
	})
}
