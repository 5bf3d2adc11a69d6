package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/backoff"
)

// ShipperOptions tunes a Shipper. The zero value gives the defaults.
type ShipperOptions struct {
	// BatchSize is the most clicks per write to the sink
	// (ANALYTICS_BATCH_SIZE). Default 100.
	BatchSize int
	// Linger is how long Run waits, after a write, before it reads the
	// next batch when less than BatchSize is pending. A write costs about
	// as much for one click as for a hundred, so under steady traffic the
	// pause lets batches fill instead of each write taking the few clicks
	// that came in meanwhile; clicks still land within Linger at low
	// traffic.
	// A backlog is written back to back. Default 50 ms, at most RetryMax.
	Linger time.Duration
	// RetryMin is the wait after a first failure; it doubles up to
	// RetryMax (ANALYTICS_FLUSH_INTERVAL). Defaults 100 ms and 5 s.
	RetryMin, RetryMax time.Duration
	Logger             *slog.Logger              // default slog.Default()
	Metrics            shortener.PipelineMetrics // nil records nothing
	Clock              shortener.Clock           // for the lag metric; default SystemClock
}

// Shipper moves clicks from the spool to the sink (the click stream): it
// enriches a batch, writes it, and acknowledges it to the spool only once
// the sink has taken it. It never drops a batch: a failed write is retried with exponential
// backoff for as long as it takes.
type Shipper struct {
	src    shortener.ClickSource
	enrich func(shortener.Click) shortener.ClickEvent
	sink   shortener.ClickWriter
	opts   ShipperOptions
	// turn is held by Run or Drain: the source has one reader.
	turn   chan struct{}
	events []shortener.ClickEvent // reused between batches, under turn
}

// NewShipper returns a shipper from src to sink that turns each click into
// an event with enrich (analytics.Enricher.Enrich in production).
func NewShipper(src shortener.ClickSource, enrich func(shortener.Click) shortener.ClickEvent, sink shortener.ClickWriter, opts ShipperOptions) *Shipper {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 100
	}
	if opts.RetryMin <= 0 {
		opts.RetryMin = 100 * time.Millisecond
	}
	if opts.RetryMax <= 0 {
		opts.RetryMax = 5 * time.Second
	}
	opts.RetryMax = max(opts.RetryMax, opts.RetryMin)
	if opts.Linger <= 0 {
		opts.Linger = 50 * time.Millisecond
	}
	opts.Linger = min(opts.Linger, opts.RetryMax)
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Clock == nil {
		opts.Clock = shortener.SystemClock
	}
	if opts.Metrics == nil {
		opts.Metrics = (*Metrics)(nil) // records nothing, as every method of a nil *Metrics
	}
	return &Shipper{src: src, enrich: enrich, sink: sink, opts: opts, turn: make(chan struct{}, 1)}
}

// Run ships clicks as they arrive until ctx is done. A batch in flight when
// ctx ends stays in the spool, for Drain or the next start.
func (s *Shipper) Run(ctx context.Context) {
	if !s.acquire(ctx) {
		return
	}
	defer s.release()
	retry := s.backoff()
	for ctx.Err() == nil {
		batch, token, err := s.src.Next(ctx, s.opts.BatchSize)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			s.opts.Logger.Error("click shipper: reading the spool failed",
				slog.Duration("retry_in", retry.Delay()), slog.Any("error", err))
			if !retry.Wait(ctx) {
				return
			}
			continue
		}
		retry.Reset()
		if s.ship(ctx, batch, token) != nil { // fails only when ctx is done
			return
		}
		// Pending, not the batch's length: a spool may return a short
		// batch (skipped corrupt entries) with a backlog behind it.
		if s.src.Pending() < s.opts.BatchSize && !backoff.Sleep(ctx, s.opts.Linger) {
			return
		}
	}
}

// Drain ships what is pending until the spool is empty or ctx is done; it
// is for shutdown, after the HTTP server has stopped taking clicks. Stop
// Run first (cancel its context): Drain waits for it to return. Clicks
// left when ctx ends stay in the spool and the error says how many.
func (s *Shipper) Drain(ctx context.Context) error {
	if !s.acquire(ctx) {
		return fmt.Errorf("drain clicks: %d left: shipper still running: %w", s.src.Pending(), ctx.Err())
	}
	defer s.release()
	for s.src.Pending() > 0 {
		batch, token, err := s.src.Next(ctx, s.opts.BatchSize)
		if err != nil {
			if s.src.Pending() == 0 {
				return nil // what was left could not be decoded, and is gone
			}
			return fmt.Errorf("drain clicks: %d left: %w", s.src.Pending(), err)
		}
		if err := s.ship(ctx, batch, token); err != nil {
			return fmt.Errorf("drain clicks: %d left: %w", s.src.Pending(), err)
		}
	}
	return nil
}

// ship writes one batch until the sink takes it, then acknowledges it. It
// returns an error only when ctx ends first; the batch then stays pending.
func (s *Shipper) ship(ctx context.Context, batch []shortener.Click, token uint64) error {
	s.events = s.events[:0]
	for _, c := range batch {
		s.events = append(s.events, s.enrich(c))
	}
	oldest := batch[0].At // Next returns the oldest pending click first
	retry := s.backoff()
	for attempt := 1; ; attempt++ {
		s.opts.Metrics.SetPending(s.src.Pending())
		s.opts.Metrics.SetLag(s.opts.Clock().Sub(oldest))
		err := s.sink.WriteClicks(ctx, s.events)
		if err == nil {
			if attempt > 1 {
				s.opts.Logger.Info("click shipper: batch delivered after retries",
					slog.Int("clicks", len(batch)), slog.Int("attempts", attempt))
			}
			break
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		s.opts.Metrics.ShipError()
		s.opts.Logger.Warn("click shipper: delivery failed; retrying the batch",
			slog.Int("clicks", len(batch)), slog.Int("attempt", attempt),
			slog.Duration("retry_in", retry.Delay()), slog.Any("error", err))
		if !retry.Wait(ctx) {
			return ctx.Err()
		}
	}
	s.opts.Metrics.ClicksShipped(len(batch))
	if err := s.src.Ack(token); err != nil {
		// The batch will be shipped again; the sink is idempotent.
		s.opts.Logger.Error("click shipper: acknowledging a delivered batch failed",
			slog.Int("clicks", len(batch)), slog.Any("error", err))
	}
	pending := s.src.Pending()
	s.opts.Metrics.SetPending(pending)
	if pending == 0 {
		s.opts.Metrics.SetLag(0)
	}
	return nil
}

func (s *Shipper) acquire(ctx context.Context) bool {
	select {
	case s.turn <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

func (s *Shipper) release() { <-s.turn }

// backoff spaces the retries of a failing read or write.
func (s *Shipper) backoff() backoff.Backoff {
	return backoff.Backoff{Min: s.opts.RetryMin, Max: s.opts.RetryMax}
}
