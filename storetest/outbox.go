package storetest

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

// queuePings queues n pings for w at t0 and returns their event IDs.
func queuePings(t *testing.T, s Stores, w *shortener.Webhook, n int) []string {
	t.Helper()
	var ids []string
	for range n {
		id := shortener.NewID()
		noErr(t, s.Webhooks.EnqueuePing(context.Background(), w.ID, id, []byte(`{}`), t0))
		ids = append(ids, id)
	}
	return ids
}

func attemptOf(d *shortener.Delivery, at time.Time, status int, delivered bool) *shortener.DeliveryAttempt {
	a := &shortener.DeliveryAttempt{ID: shortener.NewIDAt(at), Attempt: d.Attempts + 1, StatusCode: status, CreatedAt: at}
	if delivered {
		a.DeliveredAt = &at
	} else {
		a.Error = "HTTP 500"
	}
	return a
}

func testOutbox(t *testing.T, open func(t *testing.T) Stores) {
	ctx := context.Background()

	t.Run("ClaimPassesOverBusyEndpoints", func(t *testing.T) {
		s := open(t)
		u := mustUser(t, s, "busy@example.com").ID
		busy, idle := mustWebhook(t, s, u, shortener.EventLinkCreated), mustWebhook(t, s, u, shortener.EventLinkCreated)
		queuePings(t, s, busy, 5)
		want := queuePings(t, s, idle, 2)
		d, err := s.Webhooks.ClaimDeliveries(ctx, t0, 3, time.Minute, []string{busy.ID, "not-an-id"})
		noErr(t, err)
		var got []string
		for _, del := range d {
			if del.WebhookID != idle.ID {
				t.Errorf("claimed a delivery to the busy endpoint")
			}
			got = append(got, del.EventID)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("claimed %v, want the idle endpoint's %v", got, want)
		}
		if rest := claimAll(t, s, t0); len(rest) != 5 {
			t.Errorf("then claimed %d, want the busy endpoint's 5", len(rest))
		}
	})

	t.Run("LeaseAndRelease", func(t *testing.T) {
		s := open(t)
		w := mustWebhook(t, s, mustUser(t, s, "lease@example.com").ID, shortener.EventLinkCreated)
		queuePings(t, s, w, 1)
		if d := claimAll(t, s, t0.Add(-time.Second)); len(d) != 0 {
			t.Fatalf("claimed %d deliveries before they were due", len(d))
		}
		d, err := s.Webhooks.ClaimDeliveries(ctx, t0, 10, time.Minute, nil)
		noErr(t, err)
		if len(d) != 1 {
			t.Fatalf("claimed %d, want 1", len(d))
		}
		if again := claimAll(t, s, t0.Add(59*time.Second)); len(again) != 0 {
			t.Fatal("a claimed delivery was claimed again within its lease")
		}
		if again := claimAll(t, s, t0.Add(time.Minute)); len(again) != 1 {
			t.Fatal("a delivery whose claim's lease ran out was not claimed again")
		}
		noErr(t, s.Webhooks.ReleaseDelivery(ctx, d[0], t0))
		if again := claimAll(t, s, t0); len(again) != 1 || again[0].Attempts != 0 {
			t.Fatalf("after release: %+v, want it due at once with no attempt counted", again)
		}
	})

	t.Run("RecordAttempts", func(t *testing.T) {
		s := open(t)
		w := mustWebhook(t, s, mustUser(t, s, "record@example.com").ID, shortener.EventLinkCreated)
		queuePings(t, s, w, 1)
		d := claimAll(t, s, t0)[0]
		at := t0.Add(time.Second)
		retry := at.Add(5 * time.Second)
		noErr(t, s.Webhooks.RecordAttempt(ctx, d, attemptOf(d, at, 500, false), &retry, 24*time.Hour))
		if got := claimAll(t, s, retry.Add(-time.Millisecond)); len(got) != 0 {
			t.Fatal("a failed delivery was due before its retry time")
		}
		d2 := claimAll(t, s, retry)
		if len(d2) != 1 || d2[0].Attempts != 1 || d2[0].EventID != d.EventID {
			t.Fatalf("retry = %+v, want the same event with 1 attempt made", d2)
		}
		hook, err := s.Webhooks.WebhookByID(ctx, w.ID)
		noErr(t, err)
		if hook.FailingSince == nil || !hook.FailingSince.Equal(at) || !hook.IsActive {
			t.Errorf("after a failure: failing_since %v, active %v; want %v, true", hook.FailingSince, hook.IsActive, at)
		}
		ok := retry.Add(time.Second)
		noErr(t, s.Webhooks.RecordAttempt(ctx, d2[0], attemptOf(d2[0], ok, 204, true), nil, 24*time.Hour))
		if got := claimAll(t, s, far()); len(got) != 0 {
			t.Fatal("a delivered event is still queued")
		}
		if hook, _ = s.Webhooks.WebhookByID(ctx, w.ID); hook.FailingSince != nil {
			t.Error("a success left failing_since set")
		}
		log, err := s.Webhooks.ListDeliveries(ctx, w.ID, 100)
		noErr(t, err)
		if len(log) != 2 || log[0].Attempt != 2 || log[0].StatusCode != 204 || log[0].DeliveredAt == nil ||
			log[1].Attempt != 1 || log[1].Error != "HTTP 500" || log[1].DeliveredAt != nil || log[1].EventID != d.EventID ||
			log[0].Event != shortener.EventPing {
			t.Errorf("deliveries log = %+v, want the success then the failure", log)
		}
	})

	t.Run("DisableAfterFailingADay", func(t *testing.T) {
		s := open(t)
		u := mustUser(t, s, "disable@example.com")
		w := mustWebhook(t, s, u.ID, shortener.EventLinkCreated)
		noErr(t, s.Links.CreateLink(ctx, newLink("dis", &u.ID, t0)))
		d := claimAll(t, s, t0)[0]
		for i, after := range []time.Duration{0, 23 * time.Hour, 24 * time.Hour} {
			at := t0.Add(after)
			retry := at.Add(time.Hour)
			noErr(t, s.Webhooks.RecordAttempt(ctx, d, attemptOf(d, at, 0, false), &retry, 24*time.Hour))
			hook, err := s.Webhooks.WebhookByID(ctx, w.ID)
			noErr(t, err)
			if want := i < 2; hook.IsActive != want {
				t.Fatalf("failing for %v: is_active = %v, want %v", after, hook.IsActive, want)
			}
		}
		// An inactive endpoint's deliveries wait; re-enabling clears the slate.
		if got := claimAll(t, s, far()); len(got) != 0 {
			t.Fatal("a delivery of a disabled endpoint was claimed")
		}
		on := true
		hook, err := s.Webhooks.UpdateWebhook(ctx, w.ID, shortener.WebhookUpdate{IsActive: &on}, t0)
		noErr(t, err)
		if !hook.IsActive || hook.FailingSince != nil {
			t.Errorf("re-enabled: %+v, want active without failing_since", hook)
		}
		if got := claimAll(t, s, far()); len(got) != 1 {
			t.Errorf("re-enabled endpoint: %d deliveries due, want its waiting one", len(got))
		}
	})

	t.Run("EndpointDeletedDuringAnAttempt", func(t *testing.T) {
		s := open(t)
		w := mustWebhook(t, s, mustUser(t, s, "gone@example.com").ID, shortener.EventLinkCreated)
		queuePings(t, s, w, 1)
		d := claimAll(t, s, t0)[0]
		noErr(t, s.Webhooks.DeleteWebhook(ctx, w.ID))
		retry := t0.Add(time.Minute)
		noErr(t, s.Webhooks.RecordAttempt(ctx, d, attemptOf(d, t0, 500, false), &retry, time.Hour))
		noErr(t, s.Webhooks.RecordAttempt(ctx, d, attemptOf(d, t0, 204, true), nil, time.Hour))
		if got := claimAll(t, s, far()); len(got) != 0 {
			t.Errorf("%d deliveries of a deleted endpoint", len(got))
		}
	})

	t.Run("LogKeepsTheLast100", func(t *testing.T) {
		s := open(t)
		w := mustWebhook(t, s, mustUser(t, s, "log@example.com").ID, shortener.EventLinkCreated)
		queuePings(t, s, w, 1)
		d := claimAll(t, s, t0)[0]
		for i := range shortener.MaxDeliveriesListed + 5 {
			at := t0.Add(time.Duration(i) * time.Second)
			retry := at.Add(time.Second)
			noErr(t, s.Webhooks.RecordAttempt(ctx, d, attemptOf(d, at, 500, false), &retry, 1000*time.Hour))
		}
		log, err := s.Webhooks.ListDeliveries(ctx, w.ID, 1000)
		noErr(t, err)
		last := t0.Add(time.Duration(shortener.MaxDeliveriesListed+4) * time.Second)
		if len(log) != shortener.MaxDeliveriesListed || !log[0].CreatedAt.Equal(last) {
			t.Errorf("log has %d attempts, newest %v; want %d, newest %v", len(log), log[0].CreatedAt, shortener.MaxDeliveriesListed, last)
		}
	})

	t.Run("ConcurrentClaimsNeverShare", func(t *testing.T) {
		s := open(t)
		w := mustWebhook(t, s, mustUser(t, s, "share@example.com").ID, shortener.EventLinkCreated)
		want := queuePings(t, s, w, 60)
		var mu sync.Mutex
		seen := map[string]int{}
		var wg sync.WaitGroup
		for range 6 {
			wg.Go(func() {
				for {
					d, err := s.Webhooks.ClaimDeliveries(ctx, t0, 4, time.Hour, nil)
					if err != nil {
						t.Error(err)
						return
					}
					if len(d) == 0 {
						return
					}
					mu.Lock()
					for _, x := range d {
						seen[x.EventID]++
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		for _, id := range want {
			if seen[id] != 1 {
				t.Errorf("event %s claimed %d times, want once", id, seen[id])
			}
		}
	})
}
