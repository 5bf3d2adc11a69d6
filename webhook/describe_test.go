package webhook_test

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/shortener-dev/shortener/webhook"
)

// TestDescribeSaysWhyInFixedWords: the deliveries log says why an attempt
// failed without Go's error text, which names this machine's resolver
// and addresses.
func TestDescribeSaysWhyInFixedWords(t *testing.T) {
	wrap := func(err error) error {
		return &url.Error{Op: "Post", URL: "https://hook.example/x", Err: err}
	}
	dial := func(errno syscall.Errno) error {
		return wrap(&net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(10, 1, 2, 3), Port: 443},
			Err: os.NewSyscallError("connect", errno)})
	}
	for _, c := range []struct {
		err  error
		want string
	}{
		{wrap(&net.DNSError{Err: "no such host", Name: "hook.example", Server: "10.255.255.53:53", IsNotFound: true}), "DNS lookup failed: no such host"},
		{wrap(&net.DNSError{Err: "server misbehaving", Name: "hook.example", Server: "10.255.255.53:53"}), "DNS lookup failed"},
		{wrap(&net.DNSError{Err: "i/o timeout", Name: "hook.example", Server: "10.255.255.53:53", IsTimeout: true}), "DNS lookup failed"},
		{dial(syscall.ECONNREFUSED), "the endpoint refused the connection"},
		{dial(syscall.ECONNRESET), "connection reset by the endpoint"},
		{dial(syscall.EHOSTUNREACH), "endpoint unreachable"},
		{wrap(x509.UnknownAuthorityError{}), "TLS certificate signed by an unknown authority"},
		{wrap(x509.HostnameError{Certificate: &x509.Certificate{}, Host: "hook.example"}), "TLS certificate does not match the endpoint's host"},
		{wrap(fmt.Errorf("read: %w", errors.New("something at 10.9.8.7 went wrong"))), "request failed"},
		{wrap(webhook.ErrNotGlobal), "refused: the endpoint's address is not globally routable"},
	} {
		got := webhook.Describe(c.err)
		if got != c.want {
			t.Errorf("describe(%v) = %q, want %q", c.err, got, c.want)
		}
		if strings.Contains(got, "10.") {
			t.Errorf("describe(%v) = %q shows an address", c.err, got)
		}
	}
}
