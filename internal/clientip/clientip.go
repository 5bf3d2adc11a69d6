// Package clientip tells a request's client address, believing
// X-Forwarded-For only from trusted proxies. The API and the web app share
// it, so that a form and the API call it stands for count against one
// rate-limit bucket.
package clientip

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Resolver finds client addresses behind the Trusted proxies.
type Resolver struct {
	Trusted []netip.Prefix // proxies whose X-Forwarded-For is believed
}

// Of returns the client's address: the socket peer, unless the peer is a
// trusted proxy, in which case X-Forwarded-For is read from the right,
// skipping trusted proxies, and the first untrusted hop is the client. A
// client cannot choose its own address by sending the header itself.
func (res Resolver) Of(r *http.Request) netip.Addr {
	peer := remoteAddr(r)
	if len(res.Trusted) == 0 || !res.trusted(peer) {
		return peer
	}
	hops := r.Header.Values("X-Forwarded-For")
	for i := len(hops) - 1; i >= 0; i-- {
		parts := strings.Split(hops[i], ",")
		for j := len(parts) - 1; j >= 0; j-- {
			a, err := netip.ParseAddr(strings.TrimSpace(parts[j]))
			if err != nil {
				return peer // a garbled chain: trust nothing beyond the peer
			}
			a = a.Unmap()
			if !res.trusted(a) {
				return a
			}
			peer = a
		}
	}
	return peer
}

func (res Resolver) trusted(a netip.Addr) bool {
	for _, p := range res.Trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// remoteAddr parses the socket peer of r.
func remoteAddr(r *http.Request) netip.Addr {
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return ap.Addr().Unmap()
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}
