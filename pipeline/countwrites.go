package pipeline

import (
	"context"

	"github.com/shortener-dev/shortener"
)

// CountWrites wraps the click store (or anything that writes clicks to it)
// so that its successful writes count as written clicks and its failures
// as write errors in m. Wrap the store where it is the last hop: the
// writer that the click stream's consumer delivers to. A nil m returns
// store unwrapped.
func CountWrites(store shortener.ClickWriter, m shortener.PipelineMetrics) shortener.ClickWriter {
	if m == nil {
		return store
	}
	return countedWriter{store: store, m: m}
}

// countedWriter is a decorator: the store's behaviour, plus the counts.
type countedWriter struct {
	store shortener.ClickWriter
	m     shortener.PipelineMetrics
}

var _ shortener.ClickWriter = countedWriter{}

func (w countedWriter) WriteClicks(ctx context.Context, clicks []shortener.ClickEvent) error {
	if err := w.store.WriteClicks(ctx, clicks); err != nil {
		w.m.WriteError()
		return err
	}
	w.m.ClicksWritten(len(clicks))
	return nil
}
