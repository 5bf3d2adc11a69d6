package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/shortener-dev/shortener"
)

// maxResponseBytes is how much of an answer's body is read: enough to show
// a receiver's error, never a way to make the dispatcher read forever.
const maxResponseBytes = 4 << 10

// userAgent names the sender to receivers.
const userAgent = "shortener-webhooks/1"

// Envelope is the body of every delivery. Types are documented in the
// README; a type's data may gain fields, never lose or change them.
type Envelope struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"` // when the event happened
	Data      any       `json:"data"`
}

// body builds the request body of del.
func (d *Dispatcher) body(del *shortener.Delivery) ([]byte, error) {
	env := Envelope{Type: del.Event, Timestamp: del.CreatedAt.UTC(), Data: json.RawMessage(del.Data)}
	switch del.Event {
	case shortener.EventLinkCreated, shortener.EventLinkUpdated, shortener.EventLinkDeleted:
		l, err := shortener.DecodeLinkSnapshot(del.Data)
		if err != nil {
			return nil, err
		}
		env.Data = d.render(l)
	}
	return json.Marshal(env)
}

// send makes one attempt at del, signed at at. It returns the receiver's
// status (0 for none) and, unless it answered 2xx, why the attempt failed.
func (d *Dispatcher) send(ctx context.Context, del *shortener.Delivery, at time.Time) (int, string) {
	body, err := d.body(del)
	if err != nil {
		return 0, "cannot build the payload: " + err.Error()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, del.URL, bytes.NewReader(body))
	if err != nil {
		return 0, "bad endpoint URL"
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", userAgent)
	if err := setSignature(req.Header, del.Secret, del.EventID, at, body); err != nil {
		return 0, err.Error()
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, describe(err)
	}
	defer resp.Body.Close()
	start, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return resp.StatusCode, ""
	}
	msg := "HTTP " + strconv.Itoa(resp.StatusCode)
	if s := printable(string(start), 200); s != "" {
		msg += ": " + s
	}
	return resp.StatusCode, msg
}

// describe says why a request failed, without the request's URL.
func describe(err error) string {
	var netErr net.Error
	switch {
	case errors.Is(err, ErrNotGlobal):
		return "refused: the endpoint's address is not globally routable"
	case errors.As(err, &netErr) && netErr.Timeout():
		return "timed out"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return printable(fmt.Sprint(err), 300)
}

// printable makes s fit the deliveries log: valid UTF-8, control characters
// as spaces, at most n bytes.
func printable(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return ' '
		}
		return r
	}, s)
	return strings.TrimSpace(shortener.ClipText(s, n))
}
