package webhook

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/logthrottle"
)

// Defaults of a Dispatcher.
const (
	DefaultPollInterval = time.Second
	// DefaultClickWindow is how long clicks are gathered into one
	// link.clicked delivery: together with the poll, a click is sent
	// within about 6 s, and at least every 10 s while clicks come in.
	DefaultClickWindow = 5 * time.Second
	DefaultWorkers     = 16
	// perEndpoint bounds the deliveries in flight to one endpoint, so that
	// a slow one cannot take every worker.
	perEndpoint = 4
	// claimLease is how long a claimed delivery stays out of other
	// dispatchers' reach: a send takes at most RequestTimeout, and
	// recording it a moment. A dispatcher that dies holding a claim leaves
	// the delivery to be sent again after it.
	claimLease = 3 * RequestTimeout
)

// Config configures a Dispatcher.
type Config struct {
	Outbox shortener.Outbox
	// RenderLink renders a link as the API's Link object, the data of the
	// link events. Required.
	RenderLink func(*shortener.Link) any
	Client     *http.Client    // default NewClient(ClientOptions{})
	Clock      shortener.Clock // default shortener.SystemClock
	Schedule   Schedule
	Logger     *slog.Logger // default: discard
	// PollInterval is how often the outbox is asked for due deliveries.
	PollInterval time.Duration
	ClickWindow  time.Duration
	Workers      int // deliveries in flight at most
}

// Dispatcher delivers the outbox: one per instance; instances share the
// outbox through its claims. It never blocks a request: the stores write
// events in their own transactions and the dispatcher reads them apart.
type Dispatcher struct {
	outbox   shortener.Outbox
	render   func(*shortener.Link) any
	client   *http.Client
	clock    shortener.Clock
	schedule Schedule
	logger   *slog.Logger
	poll     time.Duration
	window   time.Duration
	workers  int
	errLog   *logthrottle.Throttle

	mu       sync.Mutex
	inFlight map[string]int // per endpoint
	total    int
	wg       sync.WaitGroup
	// freed tells Run that a delivery ended: the next round starts then
	// rather than at the next poll, so that a burst to one endpoint goes
	// out as fast as it answers, perEndpoint at a time.
	freed    chan struct{}
	packedAt time.Time // Step's, which runs on one goroutine
}

// NewDispatcher returns a Dispatcher.
func NewDispatcher(c Config) *Dispatcher {
	if c.Client == nil {
		c.Client = NewClient(ClientOptions{})
	}
	if c.Clock == nil {
		c.Clock = shortener.SystemClock
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.PollInterval <= 0 {
		c.PollInterval = DefaultPollInterval
	}
	if c.ClickWindow <= 0 {
		c.ClickWindow = DefaultClickWindow
	}
	if c.Workers <= 0 {
		c.Workers = DefaultWorkers
	}
	return &Dispatcher{
		outbox: c.Outbox, render: c.RenderLink, client: c.Client, clock: c.Clock, schedule: c.Schedule,
		logger: c.Logger, poll: c.PollInterval, window: c.ClickWindow, workers: c.Workers,
		errLog: logthrottle.New(time.Minute), inFlight: map[string]int{}, freed: make(chan struct{}, 1),
	}
}

// Run delivers until ctx is done, then waits for the deliveries in flight:
// shutdown stops the claims, not the sends. A send cut off would have
// reached the endpoint more often than not, and another instance would
// send the event again; each send ends within the client's timeout
// (RequestTimeout) and is recorded as any other.
func (d *Dispatcher) Run(ctx context.Context) {
	t := time.NewTicker(d.poll)
	defer t.Stop()
	for {
		d.Step(ctx)
		select {
		case <-ctx.Done():
			d.Wait()
			return
		case <-t.C:
		case <-d.freed:
		}
	}
}

// Step does one round of Run: it packs queued clicks, then claims as many
// due deliveries as there are free workers and starts them, without
// waiting for them. It returns how many it started.
func (d *Dispatcher) Step(ctx context.Context) int {
	now := d.clock()
	// Rounds that the end of a delivery starts come faster than the poll;
	// the clicks are packed once a poll.
	if now.Sub(d.packedAt) >= d.poll {
		if _, err := d.outbox.PackClicks(ctx, now, d.window, shortener.MaxClicksPerDelivery); err != nil {
			d.logError(ctx, "pack clicks", err)
		}
		d.packedAt = now
	}
	started := 0
	for ctx.Err() == nil {
		free, busy := d.capacity()
		if free == 0 {
			break
		}
		batch, err := d.outbox.ClaimDeliveries(ctx, now, free, claimLease, busy)
		if err != nil {
			d.logError(ctx, "claim deliveries", err)
			break
		}
		full := 0
		for _, del := range batch {
			if !d.reserve(del.WebhookID) {
				// Its endpoint filled up with this batch: due again at
				// once, for the round that one of its deliveries starts
				// when it ends.
				d.release(ctx, del, now)
				full++
				continue
			}
			started++
			d.wg.Go(func() {
				defer d.unreserve(del.WebhookID)
				d.deliver(ctx, del)
			})
		}
		if len(batch) < free || full > 0 {
			break // what is due is claimed, or would be claimed again
		}
	}
	return started
}

// Wait waits for the deliveries Step started.
func (d *Dispatcher) Wait() { d.wg.Wait() }

// capacity returns the free workers and the endpoints that have
// perEndpoint deliveries in flight, whose backlog a claim passes over.
func (d *Dispatcher) capacity() (free int, busy []string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for id, n := range d.inFlight {
		if n >= perEndpoint {
			busy = append(busy, id)
		}
	}
	return d.workers - d.total, busy
}

// reserve takes a worker for a delivery to webhookID, unless the endpoint
// has perEndpoint deliveries in flight.
func (d *Dispatcher) reserve(webhookID string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.inFlight[webhookID] >= perEndpoint {
		return false
	}
	d.inFlight[webhookID]++
	d.total++
	return true
}

func (d *Dispatcher) unreserve(webhookID string) {
	d.mu.Lock()
	d.total--
	if d.inFlight[webhookID]--; d.inFlight[webhookID] <= 0 {
		delete(d.inFlight, webhookID)
	}
	d.mu.Unlock()
	select {
	case d.freed <- struct{}{}:
	default: // a round is already due
	}
}

// deliver makes one attempt at del and records it with its consequences.
// Shutdown (ctx done) lets the attempt finish (Run).
func (d *Dispatcher) deliver(ctx context.Context, del *shortener.Delivery) {
	ctx = context.WithoutCancel(ctx)
	sctx, cancelSend := context.WithTimeout(ctx, RequestTimeout)
	start := d.clock()
	status, failure := d.send(sctx, del, start)
	cancelSend()
	end := d.clock()
	a := &shortener.DeliveryAttempt{
		ID: shortener.NewIDAt(start), WebhookID: del.WebhookID, EventID: del.EventID, Event: del.Event,
		Attempt: del.Attempts + 1, StatusCode: status, Error: failure, CreatedAt: start,
	}
	var retryAt *time.Time
	if failure == "" {
		a.DeliveredAt = &end
	} else if next, ok := d.schedule.Next(a.Attempt, end); ok {
		retryAt = &next
	} else {
		d.logger.WarnContext(ctx, "webhook delivery given up after its last retry",
			slog.String("webhook", del.WebhookID), slog.String("event", del.EventID), slog.String("error", failure))
	}
	rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := d.outbox.RecordAttempt(rctx, del, a, retryAt, DisableAfter); err != nil {
		// The claim's lease runs out and the event is sent again: at
		// least once.
		d.logError(ctx, "record delivery attempt", err)
	}
}

// release makes a claimed delivery due at at, counting no attempt.
func (d *Dispatcher) release(ctx context.Context, del *shortener.Delivery, at time.Time) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := d.outbox.ReleaseDelivery(rctx, del, at); err != nil {
		d.logError(ctx, "release delivery", err)
	}
}

func (d *Dispatcher) logError(ctx context.Context, op string, err error) {
	if d.errLog.Allow(op) {
		d.logger.WarnContext(ctx, "webhooks: "+op+" failed", slog.Any("error", err))
	}
}
