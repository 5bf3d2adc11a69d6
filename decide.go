package shortener

import (
	"hash/fnv"
	"net/http"
	"slices"
	"time"
)

// The redirect's decisions, as one pure function of the cached Target and
// what the request is (API.md, "Link options", order of decisions), so that
// the handler stays a short walk and every combination is table-tested.

// PasswordCheck is how a request's password compares with its link's.
type PasswordCheck int

// Password states of a request.
const (
	PasswordMissing PasswordCheck = iota // none was sent
	PasswordWrong
	PasswordRight
)

// VisitFacts tells Decide what it needs to know about a request. Decide
// asks only for what the link uses, so that a plain link pays for nothing:
// implementations compute each fact lazily, once.
type VisitFacts interface {
	// Bot reports whether the click enrichment takes the request for a bot
	// (a request without User-Agent is one).
	Bot() bool
	// Device returns the device class (desktop, mobile, tablet, other) and
	// the platform (ios, android or "").
	Device() (class, platform string)
	// Country returns the ISO 3166 alpha-2 code of the client, "" unknown.
	Country() string
	// Language returns the primary subtag of the preferred language of
	// Accept-Language, lower case, "" when none.
	Language() string
	// Visitor returns the visitor hash (stable for a visitor for a UTC day).
	Visitor() string
	// Password compares the request's password with the link's (asked for
	// password links only; it may cost a bcrypt comparison).
	Password() PasswordCheck
	// ClicksLeft reports whether a capped link has clicks left, without
	// using one (asked for capped links only, when the request uses none).
	ClicksLeft() bool
}

// Visit is one request to a short link.
type Visit struct {
	Now    time.Time
	Method string // GET, HEAD, or POST (a posted password form)
	Query  string // the request's raw query, for forward_query
	Facts  VisitFacts
}

// OutcomeKind is what the redirect answers.
type OutcomeKind int

// Outcomes of a visit.
const (
	OutcomeNotFound OutcomeKind = iota // unknown, disabled, or before valid_since
	OutcomeGone                        // expired, or max_clicks used up
	OutcomePassword                    // the password is missing or wrong
	OutcomeRedirect
)

// Outcome is the decision about one visit.
type Outcome struct {
	Kind OutcomeKind
	// Status of a redirect: the link's redirect_type, or 303 after a posted
	// password (so that the browser never posts it again).
	Status int
	// Target is the URL chosen (a rule's, a variant's or the link's own),
	// before query forwarding: what the click records.
	Target string
	// Location is Target with the request's query merged in when the link
	// forwards queries, in ASCII (LocationURI).
	Location string
	// Record: the redirect records a click (GET and POST; HEAD records none).
	Record bool
	// UsesClick: the link is capped and this is a human redirect, which uses
	// one of its clicks; the caller takes one first and answers 410 when
	// none is left.
	UsesClick bool
}

// Decide decides a visit to the link of t.
func Decide(t Target, v Visit) Outcome {
	switch {
	case !t.Found || !t.Active || (!t.ValidSince.IsZero() && v.Now.Before(t.ValidSince)):
		return Outcome{Kind: OutcomeNotFound}
	case t.Expired(v.Now):
		return Outcome{Kind: OutcomeGone}
	}
	record := v.Method != http.MethodHead
	needsPassword := t.PasswordHash != ""
	usesClick := t.MaxClicks > 0 && record && !v.Facts.Bot()
	if t.MaxClicks > 0 && (!usesClick || needsPassword) && !v.Facts.ClicksLeft() {
		return Outcome{Kind: OutcomeGone}
	}
	status := t.RedirectStatus()
	if needsPassword {
		if v.Facts.Password() != PasswordRight {
			return Outcome{Kind: OutcomePassword}
		}
		if v.Method == http.MethodPost {
			status = http.StatusSeeOther
		}
	}
	target := chooseTarget(t, v.Facts)
	location := target
	if t.ForwardQuery && v.Query != "" {
		location = ForwardQuery(target, v.Query)
	}
	return Outcome{Kind: OutcomeRedirect, Status: status, Target: target, Location: LocationURI(location),
		Record: record, UsesClick: usesClick}
}

// chooseTarget applies the rules, then the variants, then the link's own
// target.
func chooseTarget(t Target, f VisitFacts) string {
	for _, r := range t.Rules {
		if ruleMatches(r, f) {
			return r.URL
		}
	}
	if len(t.Variants) > 0 {
		return chooseVariant(t.LinkID, t.Variants, f.Visitor())
	}
	return t.URL
}

// ruleMatches reports whether every condition of r holds for the visitor.
func ruleMatches(r TargetRule, f VisitFacts) bool {
	if len(r.Devices) > 0 {
		class, platform := f.Device()
		if !slices.Contains(r.Devices, class) && (platform == "" || !slices.Contains(r.Devices, platform)) {
			return false
		}
	}
	if len(r.Countries) > 0 && !slices.Contains(r.Countries, f.Country()) {
		return false
	}
	if len(r.Languages) > 0 && !slices.Contains(r.Languages, f.Language()) {
		return false
	}
	return true
}

// chooseVariant picks a variant with probability weight / total weight,
// the same one for a visitor all day: the visitor hash changes daily, and
// the pick is a hash of it and the link, stable across instances.
func chooseVariant(linkID string, vs []Variant, visitor string) string {
	total := 0
	for _, v := range vs {
		total += v.Weight
	}
	if total <= 0 {
		return vs[0].URL
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(linkID))
	_, _ = h.Write([]byte{0})
	_, _ = h.Write([]byte(visitor))
	n := int(h.Sum64() % uint64(total))
	for _, v := range vs {
		if n < v.Weight {
			return v.URL
		}
		n -= v.Weight
	}
	return vs[len(vs)-1].URL
}
