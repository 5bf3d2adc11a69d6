package httpapi

import (
	"context"
	"net/http"
	"net/netip"
	"time"

	"github.com/shortener-dev/shortener"
)

// passwordAttempts is API.md's limit: after 10 wrong passwords for a link
// from one client within 15 minutes, every attempt is refused until the
// window passes.
var passwordAttempts = shortener.RateLimit{Limit: 10, Window: 15 * time.Minute}

// visitFacts tells shortener.Decide what it asks about a request to a link
// with options, each fact computed at most once and only when asked:
// the user agent is parsed (through the enrichment's memo) only for rules
// and caps, GeoIP is read only for a country rule, bcrypt runs only for a
// sent password. It is shortener.VisitFacts.
type visitFacts struct {
	s   *Server
	r   *http.Request
	t   shortener.Target
	now time.Time

	agent    *shortener.Agent
	ip       netip.Addr
	hasIP    bool
	password shortener.PasswordCheck
	checked  bool // password is known

	// attempt is the password attempt limit's decision when the password
	// was counted against it (counted).
	attempt shortener.RateDecision
	counted bool

	// Why the request cannot be answered as Decide says: the password
	// attempts of this client are used up (blocked), or a dependency failed
	// (err).
	blocked bool
	err     error
}

var _ shortener.VisitFacts = (*visitFacts)(nil)

func (s *Server) newVisitFacts(r *http.Request, t shortener.Target, now time.Time) *visitFacts {
	return &visitFacts{s: s, r: r, t: t, now: now}
}

func (f *visitFacts) userAgent() shortener.Agent {
	if f.agent == nil {
		a := f.s.enrichment.Classify(f.r.Header.Get("User-Agent"))
		f.agent = &a
	}
	return *f.agent
}

func (f *visitFacts) clientIP() netip.Addr {
	if !f.hasIP {
		f.ip, f.hasIP = f.s.clientIP(f.r), true
	}
	return f.ip
}

func (f *visitFacts) Bot() bool { return f.userAgent().IsBot }

func (f *visitFacts) Device() (class, platform string) {
	a := f.userAgent()
	return a.Device, a.Platform()
}

func (f *visitFacts) Country() string { return f.s.enrichment.Country(f.clientIP()) }

func (f *visitFacts) Language() string {
	return shortener.PreferredLanguage(f.r.Header.Get("Accept-Language"))
}

func (f *visitFacts) Visitor() string {
	return f.s.enrichment.VisitorHash(f.clientIP(), f.r.Header.Get("User-Agent"), f.now)
}

func (f *visitFacts) ClicksLeft() bool {
	ctx, cancel := context.WithTimeout(f.r.Context(), capTimeout)
	defer cancel()
	left, err := f.s.caps.LinkClicksLeft(ctx, f.t.LinkID)
	if err != nil {
		f.err = err
	}
	return left
}

// Password compares the password the request sends (the form's field on a
// POST, X-Link-Password otherwise) with the link's, within the attempt
// limit: a wrong one counts against it, and once it is reached every
// attempt is refused (reported as wrong, with blocked set). Each attempt
// takes its place in the limit before the comparison and a right one gives
// it back, so that concurrent guesses cannot slip past the limit while
// bcrypt runs.
func (f *visitFacts) Password() shortener.PasswordCheck {
	if f.checked {
		return f.password
	}
	f.checked = true
	given, sent := f.sentPassword()
	if !sent {
		f.password = shortener.PasswordMissing
		return f.password
	}
	key := "linkpw:" + f.t.LinkID + ":" + shortener.ClientKey(f.clientIP())
	d, err := f.s.limiter.Allow(f.r.Context(), key, passwordAttempts)
	if err != nil {
		f.s.limiterUnavailable(f.r, err)
	} else {
		f.attempt, f.counted = d, true
	}
	if f.counted && !d.Allowed {
		f.blocked = true
		f.password = shortener.PasswordWrong
		return f.password
	}
	if !f.s.linkPasswords.Check(f.t.PasswordHash, given) {
		f.password = shortener.PasswordWrong
		return f.password
	}
	if err == nil {
		if err := f.s.limiter.Release(f.r.Context(), key); err != nil {
			f.s.limiterUnavailable(f.r, err)
		} else {
			f.attempt.Remaining++ // the place given back
		}
	}
	f.password = shortener.PasswordRight
	return f.password
}

func (f *visitFacts) sentPassword() (string, bool) {
	if f.r.Method == http.MethodPost {
		pw := f.r.PostFormValue("password")
		return pw, pw != ""
	}
	// An empty header is no password: not an attempt, as none is.
	if v := f.r.Header["X-Link-Password"]; len(v) > 0 && v[0] != "" {
		return v[0], true
	}
	return "", false
}
