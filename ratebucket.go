package shortener

import (
	"net/netip"
	"time"
)

// The rate-limit buckets of API.md: every API call, and every form of the
// web app, counts against exactly one of them. The rule is written once
// here so that a form and the API call it stands for share a bucket, and
// the keys are shared with other instances through Redis: keep them.

// RateClass names the bucket a request counts against.
type RateClass string

// Rate classes.
const (
	RateGeneral  RateClass = "general"  // per user, or per client without a user
	RateRegister RateClass = "register" // registrations per client
	RateLogin    RateClass = "login"    // login attempts per client
	RateNone     RateClass = "none"     // not limited (health)
)

// RateLimits are the limits of CONFIG.md.
type RateLimits struct {
	User     RateLimit // API calls with a valid credential, per user
	Anon     RateLimit // API calls without one, per client
	Register RateLimit // registrations per client
	Login    RateLimit // login attempts per client
	Redirect RateLimit // redirects per client; Limit 0 = off
}

// Bucket returns the key and limit of a request of class from user (nil
// when there is none) at client address ip; an empty key means no limit.
func (l RateLimits) Bucket(class RateClass, user *User, ip netip.Addr) (string, RateLimit) {
	switch {
	case class == RateNone:
		return "", RateLimit{}
	case class == RateRegister:
		return "register:" + ClientKey(ip), l.Register
	case class == RateLogin:
		return "login:" + ClientKey(ip), l.Login
	case user != nil:
		return "user:" + user.ID, l.User
	default:
		return "ip:" + ClientKey(ip), l.Anon
	}
}

// ClientKey is the part of a client address that rate limits key on. An
// IPv6 client is keyed by its /64: a subscriber is usually given a whole
// /64 and can send from any of its 2^64 addresses, so per-address buckets
// gave one client unlimited login attempts. IPv4 (and IPv4-mapped) clients
// are keyed by the address.
func ClientKey(a netip.Addr) string {
	a = a.Unmap().WithZone("")
	if a.Is6() {
		return netip.PrefixFrom(a, 64).Masked().String()
	}
	return a.String()
}

// CeilSeconds rounds d up to whole seconds between 1 and window, as
// Retry-After and RateLimit-Reset want them.
func CeilSeconds(d, window time.Duration) int {
	n := int((d + time.Second - 1) / time.Second)
	return max(1, min(n, int((window+time.Second-1)/time.Second)))
}
