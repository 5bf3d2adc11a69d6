package redis_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/testenv"
	"github.com/shortener-dev/shortener/redis"
)

// memoryClickStore stands in for the SQL click store, which has its own
// tests: here Redis is what is under test, and it is real.
type memoryClickStore struct {
	mu     sync.Mutex
	events map[string]shortener.ClickEvent
	writes map[string]int // per click ID
	calls  int
	sizes  []int // clicks per successful call
	// failFirst calls fail; then, if hang, every call waits for its
	// context (a consumer that dies mid-write).
	failFirst int
	hang      bool
	started   chan struct{} // closed at the first call, when set
}

func newMemoryClickStore() *memoryClickStore {
	return &memoryClickStore{events: map[string]shortener.ClickEvent{}, writes: map[string]int{}}
}

func (s *memoryClickStore) WriteClicks(ctx context.Context, events []shortener.ClickEvent) error {
	s.mu.Lock()
	s.calls++
	if s.calls == 1 && s.started != nil {
		close(s.started)
	}
	if s.hang {
		s.mu.Unlock()
		<-ctx.Done()
		return ctx.Err()
	}
	defer s.mu.Unlock()
	if s.calls <= s.failFirst {
		return errors.New("database down")
	}
	for _, e := range events {
		s.events[e.ID] = e
		s.writes[e.ID]++
	}
	s.sizes = append(s.sizes, len(events))
	return nil
}

func (s *memoryClickStore) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.events)
}

// dropCounter records dropped clicks, all the stream reports: any other
// method would call the nil embedded interface and panic.
type dropCounter struct {
	shortener.PipelineMetrics
	mu      sync.Mutex
	dropped map[shortener.DropReason]int
}

func (d *dropCounter) ClicksDropped(reason shortener.DropReason, n int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dropped == nil {
		d.dropped = map[shortener.DropReason]int{}
	}
	d.dropped[reason] += n
}

func testLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func makeEvents(n int) []shortener.ClickEvent {
	events := make([]shortener.ClickEvent, n)
	for i := range events {
		events[i] = shortener.ClickEvent{
			ID: shortener.NewID(), LinkID: "link-" + strconv.Itoa(i%7),
			OccurredAt: time.Date(2026, 11, 28, 10, 0, 0, i, time.UTC),
			Referrer:   "example.com", Browser: "Firefox", OS: "Linux",
			Device: shortener.DeviceDesktop, Country: "FR", IsBot: i%10 == 0,
			VisitorHash: "hash-" + strconv.Itoa(i),
		}
	}
	return events
}

func produce(t *testing.T, stream *redis.ClickStream, events []shortener.ClickEvent) {
	t.Helper()
	for start := 0; start < len(events); start += 100 {
		end := min(start+100, len(events))
		if err := stream.WriteClicks(context.Background(), events[start:end]); err != nil {
			t.Fatalf("WriteClicks: %v", err)
		}
	}
}

// consume runs Consume until the test ends, or until the returned stop.
func consume(t *testing.T, stream *redis.ClickStream, store shortener.ClickWriter) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		stream.Consume(ctx, store)
		close(done)
	}()
	stop = func() {
		cancel()
		<-done
	}
	t.Cleanup(stop)
	return stop
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// assertStreamDone waits until every entry was acknowledged and deleted.
func assertStreamDone(t *testing.T, client goredis.UniversalClient, stream *redis.ClickStream) {
	t.Helper()
	ctx := context.Background()
	waitUntil(t, "the stream to be emptied", func() bool {
		n, err := client.XLen(ctx, stream.StreamKey()).Result()
		if err != nil {
			t.Fatal(err)
		}
		return n == 0
	})
	pending, err := client.XPending(ctx, stream.StreamKey(), "writers").Result()
	if err != nil {
		t.Fatal(err)
	}
	if pending.Count != 0 {
		t.Fatalf("%d entries still pending", pending.Count)
	}
}

func assertWrittenOnce(t *testing.T, store *memoryClickStore, events []shortener.ClickEvent) {
	t.Helper()
	store.mu.Lock()
	defer store.mu.Unlock()
	if len(store.events) != len(events) {
		t.Fatalf("store holds %d clicks, want %d", len(store.events), len(events))
	}
	for _, e := range events {
		if store.writes[e.ID] != 1 {
			t.Fatalf("click %s written %d times, want 1", e.ID, store.writes[e.ID])
		}
		if got := store.events[e.ID]; got != e {
			t.Fatalf("click changed on the way:\n got %+v\nwant %+v", got, e)
		}
	}
}

func TestClickStreamDeliversEachClickOnce(t *testing.T) {
	client, prefix := testenv.Redis(t)
	stream := redis.NewClickStream(client, redis.ClickStreamOptions{Prefix: prefix, Logger: testLogger()})
	if key := stream.StreamKey(); key != prefix+"clicks:{stream}" {
		t.Fatalf("StreamKey = %q, want it under the prefix with a hash tag", key)
	}
	events := makeEvents(5000)
	// Half before any consumer exists (the group must start at the
	// beginning of the stream), half while it runs.
	produce(t, stream, events[:2500])
	store := newMemoryClickStore()
	consume(t, stream, store)
	produce(t, stream, events[2500:])

	waitUntil(t, "5000 clicks in the store", func() bool { return store.count() == len(events) })
	assertStreamDone(t, client, stream)
	assertWrittenOnce(t, store, events)
}

func TestClickStreamClaimsADeadConsumersEntries(t *testing.T) {
	client, prefix := testenv.Redis(t)
	opts := redis.ClickStreamOptions{
		Prefix: prefix, BatchSize: 50, Writers: 1, Block: 50 * time.Millisecond,
		ClaimIdle: 200 * time.Millisecond, ClaimInterval: 50 * time.Millisecond,
		RetryMin: 10 * time.Millisecond, Logger: testLogger(),
	}
	opts.Consumer = "dead"
	stream := redis.NewClickStream(client, opts)
	events := makeEvents(120)
	produce(t, stream, events)

	// The first consumer reads a batch and dies in the middle of writing.
	dead := newMemoryClickStore()
	dead.hang = true
	dead.started = make(chan struct{})
	stopDead := consume(t, stream, dead)
	<-dead.started
	stopDead()
	pending, err := client.XPending(context.Background(), stream.StreamKey(), "writers").Result()
	if err != nil {
		t.Fatal(err)
	}
	// 120 clicks in entries of at most BatchSize (50): 3 entries, all read
	// by the dead consumer.
	if pending.Consumers["dead"] != 3 {
		t.Fatalf("dead consumer holds %v pending entries, want 3", pending.Consumers)
	}

	alive := newMemoryClickStore()
	opts.Consumer = "alive"
	consume(t, redis.NewClickStream(client, opts), alive)
	waitUntil(t, "all clicks in the store", func() bool { return alive.count() == len(events) })
	assertStreamDone(t, client, stream)
	assertWrittenOnce(t, alive, events)
}

// TestClickStreamBatchesPerEntry checks the entry layout: a batch of
// clicks is one entry (up to BatchSize clicks), and the consumer writes
// whole entries, up to BatchSize clicks per write.
func TestClickStreamBatchesPerEntry(t *testing.T) {
	client, prefix := testenv.Redis(t)
	producer := redis.NewClickStream(client, redis.ClickStreamOptions{Prefix: prefix, BatchSize: 30, Logger: testLogger()})
	events := makeEvents(250)
	produce(t, producer, events) // WriteClicks of 100, 100 and 50 clicks
	n, err := client.XLen(context.Background(), producer.StreamKey()).Result()
	if err != nil {
		t.Fatal(err)
	}
	// 100 = 30+30+30+10, twice; 50 = 30+20.
	if n != 10 {
		t.Fatalf("stream holds %d entries, want 10", n)
	}

	consumer := redis.NewClickStream(client, redis.ClickStreamOptions{
		Prefix: prefix, BatchSize: 70, Writers: 1, Block: 50 * time.Millisecond, Logger: testLogger(),
	})
	store := newMemoryClickStore()
	consume(t, consumer, store)
	waitUntil(t, "all clicks in the store", func() bool { return store.count() == len(events) })
	assertStreamDone(t, client, consumer)
	assertWrittenOnce(t, store, events)
	store.mu.Lock()
	defer store.mu.Unlock()
	// Whole entries, at most 70 clicks: 30+30 | 30+10+30 | 30+30+10 | 30+20.
	if want := []int{60, 70, 70, 50}; !slices.Equal(store.sizes, want) {
		t.Fatalf("writes of %v clicks, want %v", store.sizes, want)
	}
}

// slowClickStore takes a while per write and records how many writes
// overlapped at most.
type slowClickStore struct {
	*memoryClickStore
	inFlight, most atomic.Int32
}

func (s *slowClickStore) WriteClicks(ctx context.Context, events []shortener.ClickEvent) error {
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for m := s.most.Load(); n > m && !s.most.CompareAndSwap(m, n); m = s.most.Load() {
	}
	time.Sleep(20 * time.Millisecond)
	return s.memoryClickStore.WriteClicks(ctx, events)
}

// TestClickStreamWritersShareTheBacklog checks that Writers consumers of
// one instance write batches side by side, under names of their own, and
// still deliver each click once.
func TestClickStreamWritersShareTheBacklog(t *testing.T) {
	client, prefix := testenv.Redis(t)
	stream := redis.NewClickStream(client, redis.ClickStreamOptions{
		Prefix: prefix, Consumer: "inst", Writers: 3, BatchSize: 10, Block: 50 * time.Millisecond, Logger: testLogger(),
	})
	events := makeEvents(400)
	produce(t, stream, events)
	store := &slowClickStore{memoryClickStore: newMemoryClickStore()}
	consume(t, stream, store)
	waitUntil(t, "all clicks in the store", func() bool { return store.count() == len(events) })
	assertStreamDone(t, client, stream)
	assertWrittenOnce(t, store.memoryClickStore, events)
	if got := store.most.Load(); got != 3 {
		t.Errorf("at most %d writes at once, want 3", got)
	}
	consumers, err := client.XInfoConsumers(context.Background(), stream.StreamKey(), "writers").Result()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range consumers {
		names = append(names, c.Name)
	}
	slices.Sort(names)
	if want := []string{"inst", "inst-2", "inst-3"}; !slices.Equal(names, want) {
		t.Errorf("consumers %v, want %v", names, want)
	}
}

func TestClickStreamRetriesAFailingStore(t *testing.T) {
	client, prefix := testenv.Redis(t)
	stream := redis.NewClickStream(client, redis.ClickStreamOptions{
		Prefix: prefix, BatchSize: 100, RetryMin: 5 * time.Millisecond, RetryMax: 20 * time.Millisecond,
		Logger: testLogger(),
	})
	events := makeEvents(500)
	produce(t, stream, events)
	store := newMemoryClickStore()
	store.failFirst = 4
	consume(t, stream, store)

	waitUntil(t, "all clicks in the store", func() bool { return store.count() == len(events) })
	assertStreamDone(t, client, stream)
	assertWrittenOnce(t, store, events)
	store.mu.Lock()
	defer store.mu.Unlock()
	if store.calls < 4+5 {
		t.Fatalf("%d store calls, want the 4 failures and 5 batches", store.calls)
	}
}

func TestClickStreamSkipsPoisonEntries(t *testing.T) {
	client, prefix := testenv.Redis(t)
	drops := &dropCounter{}
	stream := redis.NewClickStream(client, redis.ClickStreamOptions{
		Prefix: prefix, Logger: testLogger(), Metrics: drops,
	})
	ctx := context.Background()
	events := makeEvents(10)
	produce(t, stream, events[:5])
	for _, values := range [][]any{
		{"e", "garbage"},
		{"e", ""},
		{"other", "field"},
	} {
		if err := client.XAdd(ctx, &goredis.XAddArgs{Stream: stream.StreamKey(), Values: values}).Err(); err != nil {
			t.Fatal(err)
		}
	}
	produce(t, stream, events[5:])
	store := newMemoryClickStore()
	consume(t, stream, store)

	waitUntil(t, "the good clicks in the store", func() bool { return store.count() == len(events) })
	assertStreamDone(t, client, stream)
	assertWrittenOnce(t, store, events)
	drops.mu.Lock()
	defer drops.mu.Unlock()
	if drops.dropped[shortener.DropStreamUndecodable] != 3 {
		t.Fatalf("dropped = %v, want 3 %s", drops.dropped, shortener.DropStreamUndecodable)
	}
}

func TestClickStreamWriteClicksFailsWithoutRedis(t *testing.T) {
	client := goredis.NewClient(&goredis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	defer client.Close()
	stream := redis.NewClickStream(client, redis.ClickStreamOptions{Prefix: "unused:"})
	if err := stream.WriteClicks(context.Background(), makeEvents(2)); err == nil {
		t.Fatal("WriteClicks without a server succeeded")
	}
	if err := stream.WriteClicks(context.Background(), nil); err != nil {
		t.Fatalf("WriteClicks of nothing = %v", err)
	}
}

// A Redis that restarts without its data loses the stream and its group:
// the consumers make the group again, from the start of the new stream, so
// the clicks sent after the restart are all written, and say, as an error,
// that the clicks in the old stream are gone.
func TestClickStreamRecreatesALostGroup(t *testing.T) {
	client, prefix := testenv.Redis(t)
	logs := &testenv.Buffer{}
	stream := redis.NewClickStream(client, redis.ClickStreamOptions{
		Prefix: prefix, BatchSize: 100, RetryMin: 5 * time.Millisecond, RetryMax: 20 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(logs, nil)),
	})
	store := newMemoryClickStore()
	consume(t, stream, store)
	before := makeEvents(100)
	produce(t, stream, before)
	waitUntil(t, "the first clicks in the store", func() bool { return store.count() == len(before) })
	// Both writers have joined the group (a writer that first reads after
	// the restart makes the group without meeting its loss).
	waitUntil(t, "both writers in the group", func() bool {
		consumers, err := client.XInfoConsumers(context.Background(), stream.StreamKey(), "writers").Result()
		return err == nil && len(consumers) == 2
	})

	if err := client.Del(context.Background(), stream.StreamKey()).Err(); err != nil { // the restart
		t.Fatal(err)
	}
	// A real restart takes more than a millisecond, so the new stream's IDs
	// come after the old one's. Within the same millisecond the first new
	// entry could take the ID of the entry just written, and the writer's
	// XDEL of it, still on its way, would delete the new one.
	time.Sleep(2 * time.Millisecond)
	after := makeEvents(300)
	produce(t, stream, after)
	waitUntil(t, "the clicks sent after the restart", func() bool { return store.count() == len(before)+len(after) })
	assertStreamDone(t, client, stream)
	// Each of the instance's writers (ANALYTICS_WRITERS, 2 by default)
	// meets the missing group and says so once.
	if n := strings.Count(logs.String(), "consumer group is gone"); n < 1 || n > 2 {
		t.Errorf("%d lines about the lost group, want 1 or 2:\n%s", n, logs)
	}
}

// An entry of a newer format (a newer instance wrote it, during a rolling
// upgrade) is neither written nor dropped: it stays pending for a newer
// instance to claim, while the entries around it are written, and the
// consumer goes on reading, also when it reads its own pending entries
// again after a failure.
func TestClickStreamLeavesNewerEntriesPending(t *testing.T) {
	client, prefix := testenv.Redis(t)
	drops := &dropCounter{}
	stream := redis.NewClickStream(client, redis.ClickStreamOptions{
		Prefix: prefix, Logger: testLogger(), Metrics: drops, BatchSize: 100,
		RetryMin: 5 * time.Millisecond, RetryMax: 20 * time.Millisecond,
	})
	ctx := context.Background()
	events := makeEvents(30)
	produce(t, stream, events[:10])
	const newer = "\x03a later build's click"
	if err := client.XAdd(ctx, &goredis.XAddArgs{Stream: stream.StreamKey(), Values: []any{"e", newer}}).Err(); err != nil {
		t.Fatal(err)
	}
	produce(t, stream, events[10:20])
	store := newMemoryClickStore()
	store.failFirst = 1 // then the consumer reads its pending entries again
	consume(t, stream, store)
	waitUntil(t, "the clicks around the newer entry", func() bool { return store.count() == 20 })
	produce(t, stream, events[20:])
	waitUntil(t, "the clicks sent after it", func() bool { return store.count() == len(events) })

	// Each write's entries are deleted just after it.
	waitUntil(t, "the written entries to leave the stream", func() bool {
		n, err := client.XLen(ctx, stream.StreamKey()).Result()
		return err == nil && n == 1
	})
	pending, err := client.XPending(ctx, stream.StreamKey(), "writers").Result()
	if err != nil {
		t.Fatal(err)
	}
	if pending.Count != 1 {
		t.Errorf("%d entries pending, want the newer one", pending.Count)
	}
	assertWrittenOnce(t, store, events)
	drops.mu.Lock()
	defer drops.mu.Unlock()
	if len(drops.dropped) != 0 {
		t.Errorf("dropped %v, want nothing", drops.dropped)
	}
}
