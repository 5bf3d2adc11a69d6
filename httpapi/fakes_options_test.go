package httpapi_test

import (
	"context"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/shortener-dev/shortener"
)

// fakeEnrichment classifies user agents by markers in them ("iPhone" is an
// iOS phone, "bot" a bot) and counts what it is asked.
type fakeEnrichment struct {
	mu    sync.Mutex
	asked int
}

func (e *fakeEnrichment) count() {
	e.mu.Lock()
	e.asked++
	e.mu.Unlock()
}

func (e *fakeEnrichment) Classify(ua string) shortener.Agent {
	e.count()
	switch {
	case strings.Contains(ua, "bot") || ua == "":
		return shortener.Agent{Device: shortener.DeviceBot, IsBot: true}
	case strings.Contains(ua, "iPhone"):
		return shortener.Agent{OS: "iOS", Device: shortener.DeviceMobile}
	}
	return shortener.Agent{OS: "Windows", Device: shortener.DeviceDesktop}
}

func (e *fakeEnrichment) Country(netip.Addr) string { e.count(); return "DE" }

func (e *fakeEnrichment) VisitorHash(ip netip.Addr, ua string, _ time.Time) string {
	e.count()
	return ip.String() + "|" + ua
}

// fakeCaps gives each link id the clicks left in its map.
type fakeCaps struct {
	mu    sync.Mutex
	left  map[string]int
	takes int
	err   error
}

func (c *fakeCaps) TakeLinkClick(_ context.Context, id string) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.takes++
	if c.err != nil {
		return false, c.err
	}
	if c.left[id] <= 0 {
		return false, nil
	}
	c.left[id]--
	return true, nil
}

func (c *fakeCaps) LinkClicksLeft(_ context.Context, id string) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.left[id] > 0, c.err
}

// fakePasswords maps a hash to the password it was made of.
type fakePasswords map[string]string

func (p fakePasswords) Check(hash, password string) bool { return p[hash] == password }

// countingLimiter limits for real, by counting events per key (no window).
type countingLimiter struct {
	mu     sync.Mutex
	events map[string]int
}

func (l *countingLimiter) decide(key string, limit shortener.RateLimit) shortener.RateDecision {
	n := l.events[key]
	d := shortener.RateDecision{Allowed: n < limit.Limit, Limit: limit.Limit, Reset: limit.Window}
	if d.Allowed {
		d.Remaining = limit.Limit - n - 1 // after this one, as the real limiters say
	} else {
		d.RetryAfter = limit.Window / 2
	}
	return d
}

func (l *countingLimiter) Allow(_ context.Context, key string, limit shortener.RateLimit) (shortener.RateDecision, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	d := l.decide(key, limit)
	if d.Allowed {
		if l.events == nil {
			l.events = map[string]int{}
		}
		l.events[key]++
	}
	return d, nil
}

func (l *countingLimiter) Release(_ context.Context, key string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.events[key] > 0 {
		l.events[key]--
	}
	return nil
}
