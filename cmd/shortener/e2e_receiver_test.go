package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// hookEvent is one request a webhook receiver got.
type hookEvent struct {
	ID        string         // webhook-id
	Type      string         `json:"type"`
	Timestamp string         `json:"timestamp"`
	Data      map[string]any `json:"data"`
	Body      string
	Verified  error // the signature check
	At        time.Time
}

// Receiver behaviours.
const (
	answerOK   = "ok"
	answer500  = "500"
	answerHang = "hang" // holds the request far past the sender's timeout
)

// hookReceiver is a webhook endpoint on 127.0.0.1 that checks every
// request's Standard Webhooks signature with a verifier written here from
// the specification, and answers as its mode says.
type hookReceiver struct {
	srv    *httptest.Server
	mu     sync.Mutex
	secret string
	mode   func(e hookEvent) string
	events []hookEvent
	stop   chan struct{}
}

func newHookReceiver(t *testing.T) *hookReceiver {
	t.Helper()
	r := &hookReceiver{stop: make(chan struct{}), mode: func(hookEvent) string { return answerOK }}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(func() {
		close(r.stop)
		r.srv.CloseClientConnections()
		r.srv.Close()
	})
	return r
}

func (r *hookReceiver) url() string { return r.srv.URL + "/hooks/in" }

// setSecret tells the receiver the endpoint's secret.
func (r *hookReceiver) setSecret(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.secret = s
}

// setMode sets how the receiver answers each event.
func (r *hookReceiver) setMode(m func(e hookEvent) string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.mode = m
}

func (r *hookReceiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	e := hookEvent{ID: req.Header.Get("webhook-id"), Body: string(body), At: time.Now()}
	_ = json.Unmarshal(body, &e)
	r.mu.Lock()
	e.Verified = verifySignature(r.secret, req.Header, body, time.Now())
	r.events = append(r.events, e)
	mode := r.mode(e)
	r.mu.Unlock()
	switch mode {
	case answer500:
		http.Error(w, "receiver is down", http.StatusInternalServerError)
	case answerHang:
		select {
		case <-r.stop:
		case <-req.Context().Done():
		case <-time.After(15 * time.Second):
		}
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// received returns the events of a type received so far.
func (r *hookReceiver) received(typ string) []hookEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []hookEvent
	for _, e := range r.events {
		if typ == "" || e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}

// verifySignature is a receiver's check written from the Standard
// Webhooks specification: the key is the base64 after "whsec_", the
// signed content "id.timestamp.body", the header a space-separated list
// of "v1,<base64 HMAC-SHA256>", and the timestamp within 5 minutes.
func verifySignature(secret string, h http.Header, body []byte, now time.Time) error {
	id, ts := h.Get("webhook-id"), h.Get("webhook-timestamp")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if id == "" || err != nil {
		return errors.New("missing webhook-id or webhook-timestamp")
	}
	if d := now.Sub(time.Unix(sec, 0)); d > 5*time.Minute || d < -5*time.Minute {
		return errors.New("webhook-timestamp too far from now")
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil || len(key) == 0 {
		return errors.New("bad secret")
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + ts + "." + string(body)))
	for _, s := range strings.Fields(h.Get("webhook-signature")) {
		if v, sig, ok := strings.Cut(s, ","); ok && v == "v1" {
			if got, err := base64.StdEncoding.DecodeString(sig); err == nil && hmac.Equal(got, mac.Sum(nil)) {
				return nil
			}
		}
	}
	return errors.New("no valid v1 signature")
}

// addWebhook registers the receiver for every event of acct and returns
// the endpoint's id.
func (s *testServer) addWebhook(t *testing.T, acct *account, r *hookReceiver) string {
	t.Helper()
	res := s.do(t, "POST", "/api/v1/webhooks", map[string]any{"url": r.url(),
		"events": []string{"link.created", "link.updated", "link.deleted", "link.clicked"}, "description": "e2e"},
		withToken(acct.access))
	expectJSON(t, res, http.StatusCreated)
	w := res.object(t)
	secret := str(w["secret"])
	if !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("webhook secret %q", secret)
	}
	r.setSecret(secret)
	return str(w["id"])
}

// waitLong polls cond until it holds or d has passed.
func waitLong(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
