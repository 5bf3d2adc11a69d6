package webhook_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/shortener-dev/shortener/webhook"
)

// received is one request a receiver got.
type received struct {
	ID       string
	Envelope webhook.Envelope
	Data     map[string]any
	Body     string
	Verified error
}

// receiver is an endpoint that verifies each request's signature with the
// test's own verifier and answers with answer (default 204).
type receiver struct {
	*httptest.Server
	t      *testing.T
	secret string
	now    func() time.Time
	mu     sync.Mutex
	got    []received
	answer func(n int) int // status of the n-th request (from 1)
}

func newReceiver(t *testing.T, now func() time.Time) *receiver {
	r := &receiver{t: t, now: now}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	var got received
	got.ID, got.Body = req.Header.Get("webhook-id"), string(body)
	if err := json.Unmarshal(body, &got.Envelope); err != nil {
		r.t.Errorf("body is not JSON: %s", body)
	}
	var raw struct {
		Data map[string]any `json:"data"`
	}
	_ = json.Unmarshal(body, &raw)
	got.Data = raw.Data
	r.mu.Lock()
	got.Verified = verify(r.secret, req.Header, body, r.now())
	r.got = append(r.got, got)
	n := len(r.got)
	answer := r.answer
	r.mu.Unlock()
	status := http.StatusNoContent
	if answer != nil {
		status = answer(n)
	}
	w.WriteHeader(status)
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}
