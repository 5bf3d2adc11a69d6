package webhook

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"

	"github.com/shortener-dev/shortener"
)

// RequestTimeout bounds a delivery: connecting, sending and the answer.
const RequestTimeout = 10 * time.Second

// ErrNotGlobal is why a connection to a private, loopback or otherwise not
// globally routable address was refused.
var ErrNotGlobal = errors.New("address is not globally routable")

// ClientOptions configure NewClient.
type ClientOptions struct {
	// AllowPrivate lets endpoints on private and loopback addresses be
	// reached (WEBHOOK_ALLOW_PRIVATE: development and tests only).
	AllowPrivate bool
	// Timeout bounds each request; default RequestTimeout.
	Timeout time.Duration
}

// NewClient returns the HTTP client of deliveries. It connects only to
// globally routable addresses, checked on the address actually dialled
// (after DNS resolution, so a name that resolves to 127.0.0.1, or starts
// to, is refused: no DNS rebinding); it follows no redirects and uses no
// proxy from the environment (a proxy would dial for it, unchecked).
func NewClient(o ClientOptions) *http.Client {
	if o.Timeout <= 0 {
		o.Timeout = RequestTimeout
	}
	dialer := &net.Dialer{Timeout: o.Timeout, KeepAlive: 30 * time.Second, Control: dialControl(o.AllowPrivate)}
	transport := &http.Transport{
		Proxy:                  nil,
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           64,
		MaxIdleConnsPerHost:    4,
		IdleConnTimeout:        90 * time.Second,
		TLSHandshakeTimeout:    o.Timeout,
		ResponseHeaderTimeout:  o.Timeout,
		MaxResponseHeaderBytes: 16 << 10,
	}
	return &http.Client{
		Transport: transport,
		Timeout:   o.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // a redirect is an answer, not a hop
		},
	}
}

// dialControl refuses, after resolution and before connecting, every
// address that is not globally routable, unless allowPrivate.
func dialControl(allowPrivate bool) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		if allowPrivate {
			return nil
		}
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("webhook: cannot check address %q: %w", address, ErrNotGlobal)
		}
		if !shortener.IsGlobalAddr(ap.Addr()) {
			return fmt.Errorf("webhook: %s: %w", ap.Addr(), ErrNotGlobal)
		}
		return nil
	}
}
