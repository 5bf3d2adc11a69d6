package shortener

import (
	"net/http"
	"net/netip"
	"strconv"
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

// WaitText says a wait of whole seconds as a person reads it: seconds up
// to two minutes, then minutes up to two hours, then hours, rounded up
// ("42 seconds", "15 minutes", "2 hours").
func WaitText(seconds int) string {
	n, unit := seconds, "second"
	switch {
	case seconds > 2*3600:
		n, unit = (seconds+3599)/3600, "hour"
	case seconds > 120:
		n, unit = (seconds+59)/60, "minute"
	}
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// SetRateHeaders sets the headers API.md gives every response that counted
// against limit: RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset,
// and Retry-After when d refused the request. It returns Retry-After's
// seconds, 0 when d admitted it. A refused request's RateLimit-Reset is no
// sooner than its Retry-After (the oldest event leaving the window makes no
// room when the limit was lowered after it was counted).
func SetRateHeaders(h http.Header, d RateDecision, limit RateLimit) (retryAfter int) {
	h.Set("RateLimit-Limit", strconv.Itoa(limit.Limit))
	h.Set("RateLimit-Remaining", strconv.Itoa(max(0, d.Remaining)))
	h.Set("RateLimit-Reset", strconv.Itoa(CeilSeconds(max(d.Reset, d.RetryAfter), limit.Window)))
	if d.Allowed {
		return 0
	}
	retryAfter = CeilSeconds(d.RetryAfter, limit.Window)
	h.Set("Retry-After", strconv.Itoa(retryAfter))
	return retryAfter
}
