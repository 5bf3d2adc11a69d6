package pipeline_test

import (
	"context"
	"errors"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/pipeline"
)

func TestCountWrites(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := pipeline.NewMetrics(reg)
	ok := &recordingSink{}
	events := []shortener.ClickEvent{{ID: "a"}, {ID: "b"}}
	if err := pipeline.CountWrites(ok, m).WriteClicks(context.Background(), events); err != nil {
		t.Fatal(err)
	}
	if len(ok.delivered()) != 2 {
		t.Fatal("CountWrites did not pass the write on")
	}
	failing := &recordingSink{alwaysFail: true}
	if err := pipeline.CountWrites(failing, m).WriteClicks(context.Background(), events); !errors.Is(err, errSinkDown) {
		t.Fatalf("CountWrites changed the error: %v", err)
	}
	assertMetric(t, reg, "shortener_clicks_written_total", "", 2)
	assertMetric(t, reg, "shortener_click_write_errors_total", "", 1)
}

// TestCountWritesWithoutMetrics: no metrics (nil, or a nil *Metrics) still
// passes every write on.
func TestCountWritesWithoutMetrics(t *testing.T) {
	for name, m := range map[string]shortener.PipelineMetrics{"nil": nil, "nil *Metrics": (*pipeline.Metrics)(nil)} {
		t.Run(name, func(t *testing.T) {
			sink := &recordingSink{}
			if err := pipeline.CountWrites(sink, m).WriteClicks(context.Background(), []shortener.ClickEvent{{ID: "a"}}); err != nil {
				t.Fatal(err)
			}
			if len(sink.delivered()) != 1 {
				t.Fatal("the write was not passed on")
			}
		})
	}
}
