package webhook

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

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

// describe says why a request failed in a few fixed words: the endpoint's
// owner reads them in the deliveries log, and Go's own error text would
// show this machine's resolver and addresses.
func describe(err error) string {
	var (
		netErr   net.Error
		dnsErr   *net.DNSError
		hostErr  x509.HostnameError
		authErr  x509.UnknownAuthorityError
		certErr  x509.CertificateInvalidError
		recordEr tls.RecordHeaderError
	)
	switch {
	case errors.Is(err, ErrNotGlobal):
		return "refused: the endpoint's address is not globally routable"
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return "DNS lookup failed: no such host"
	case errors.As(err, &dnsErr):
		return "DNS lookup failed"
	case errors.As(err, &netErr) && netErr.Timeout():
		return "timed out"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "the endpoint refused the connection"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset by the endpoint"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "endpoint unreachable"
	case errors.As(err, &hostErr):
		return "TLS certificate does not match the endpoint's host"
	case errors.As(err, &authErr):
		return "TLS certificate signed by an unknown authority"
	case errors.As(err, &certErr):
		return "TLS certificate invalid or expired"
	case errors.As(err, &recordEr):
		return "TLS handshake failed: the endpoint does not speak TLS"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed before an answer"
	}
	var tlsErr *tls.CertificateVerificationError
	if errors.As(err, &tlsErr) {
		return "TLS certificate not accepted"
	}
	return "request failed"
}

// printable makes s fit the deliveries log: valid UTF-8, control characters
// as spaces, at most n bytes.
func printable(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if shortener.IsHiddenRune(r) {
			return ' '
		}
		return r
	}, s)
	return strings.TrimSpace(shortener.ClipText(s, n))
}
