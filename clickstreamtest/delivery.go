package clickstreamtest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

// testDeliversEveryEvent produces batches one after the other to a running
// consumer: each event reaches the writer with its content intact.
func testDeliversEveryEvent(t *testing.T, s shortener.ClickStream) {
	w := &recordingWriter{}
	startConsumer(t, s, w)
	events := makeEvents(t, 250)
	if err := produceAll(testContext(t), s, events, 100); err != nil {
		t.Fatal(err)
	}
	waitForAll(t, w, events)
}

// testProducedBeforeConsume produces while no consumer runs yet (a stream
// that keeps nothing makes the producer wait): the events are delivered
// once Consume starts.
func testProducedBeforeConsume(t *testing.T, s shortener.ClickStream) {
	events := makeEvents(t, 120)
	produced := make(chan error, 1)
	go func() { produced <- produceAll(testContext(t), s, events, 50) }()
	// A stream with storage has taken every batch by now; one without is
	// holding the producer. Either way no consumer has run.
	select {
	case err := <-produced:
		produced <- err
	case <-time.After(50 * time.Millisecond):
	}
	w := &recordingWriter{}
	startConsumer(t, s, w)
	if err := <-produced; err != nil {
		t.Fatal(err)
	}
	waitForAll(t, w, events)
}

// testFailingWriter fails the writer's first calls, as a database that is
// briefly down: no event is lost, and the failures did happen.
func testFailingWriter(t *testing.T, s shortener.ClickStream) {
	w := &recordingWriter{failFirst: 3}
	startConsumer(t, s, w)
	events := makeEvents(t, 200)
	if err := produceAll(testContext(t), s, events, 40); err != nil {
		t.Fatal(err)
	}
	waitForAll(t, w, events)
	if calls, failed := w.counts(); failed != 3 || calls <= 3 {
		t.Fatalf("writer called %d times, %d failed; want the 3 failures and then writes", calls, failed)
	}
}

// testConcurrentProducers has several producers at once, as instances
// sharing a stream do, each with batches of its own.
func testConcurrentProducers(t *testing.T, s shortener.ClickStream) {
	w := &recordingWriter{}
	startConsumer(t, s, w)
	const producers, perProducer = 4, 150
	events := makeEvents(t, producers*perProducer)
	errs := make(chan error, producers)
	var wg sync.WaitGroup
	for p := range producers {
		wg.Go(func() {
			mine := events[p*perProducer : (p+1)*perProducer]
			if err := produceAll(testContext(t), s, mine, 30); err != nil {
				errs <- fmt.Errorf("producer %d: %w", p, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	waitForAll(t, w, events)
}

// testRestartedConsumer stops the consumer after a first part, produces
// more while none runs, and starts another: it gets the rest.
func testRestartedConsumer(t *testing.T, s shortener.ClickStream) {
	events := makeEvents(t, 100)
	first := &recordingWriter{}
	stop := startConsumer(t, s, first)
	if err := produce(testContext(t), s, events[:50]); err != nil {
		t.Fatal(err)
	}
	waitForAll(t, first, events[:50])
	stop()

	produced := make(chan error, 1)
	go func() { produced <- produce(testContext(t), s, events[50:]) }()
	second := &recordingWriter{}
	startConsumer(t, s, second)
	if err := <-produced; err != nil {
		t.Fatal(err)
	}
	// The second writer may see the first part again (at least once), but
	// it must see all of the rest.
	waitForAll(t, second, events[50:])
}

// testConsumeStops cancels a consumer: Consume returns, and its writer is
// not called afterwards.
func testConsumeStops(t *testing.T, s shortener.ClickStream) {
	w := &recordingWriter{}
	stop := startConsumer(t, s, w)
	events := makeEvents(t, 10)
	if err := produce(testContext(t), s, events); err != nil {
		t.Fatal(err)
	}
	waitForAll(t, w, events)
	stop() // fails the test unless Consume returns
	w.consumerStopped()

	// A stream that keeps nothing holds this producer until its context
	// ends; one with storage keeps the batch for a later consumer.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_ = s.WriteClicks(ctx, makeEvents(t, 5))
	<-ctx.Done()
	if late := w.lateCalls(); late != 0 {
		t.Fatalf("writer called %d times after Consume returned", late)
	}
}
