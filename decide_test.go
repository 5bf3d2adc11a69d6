package shortener

import (
	"net/http"
	"testing"
	"time"
)

// facts is a VisitFacts with fixed answers that records what was asked.
type facts struct {
	bot               bool
	class, platform   string
	country, language string
	visitor           string
	password          PasswordCheck
	clicksLeft        bool
	asked             map[string]int
}

func (f *facts) ask(what string) {
	if f.asked == nil {
		f.asked = map[string]int{}
	}
	f.asked[what]++
}
func (f *facts) Bot() bool                { f.ask("bot"); return f.bot }
func (f *facts) Device() (string, string) { f.ask("device"); return f.class, f.platform }
func (f *facts) Country() string          { f.ask("country"); return f.country }
func (f *facts) Language() string         { f.ask("language"); return f.language }
func (f *facts) Visitor() string          { f.ask("visitor"); return f.visitor }
func (f *facts) Password() PasswordCheck  { f.ask("password"); return f.password }
func (f *facts) ClicksLeft() bool         { f.ask("clicks"); return f.clicksLeft }

var (
	now   = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	plain = Target{Found: true, Active: true, LinkID: "L", URL: "https://example.com/own"}
)

func with(f func(*Target)) Target { t := plain; f(&t); return t }

func TestDecide(t *testing.T) {
	rules := []TargetRule{
		{URL: "https://example.com/ios-de", Devices: []string{"ios"}, Countries: []string{"DE"}},
		{URL: "https://example.com/mobile", Devices: []string{"mobile"}},
		{URL: "https://example.com/fr", Languages: []string{"fr"}},
	}
	tests := []struct {
		name   string
		t      Target
		method string
		query  string
		f      facts
		want   Outcome
	}{
		{name: "plain link", t: plain, method: "GET",
			want: Outcome{Kind: OutcomeRedirect, Status: 302, Target: plain.URL, Location: plain.URL, Record: true}},
		{name: "HEAD records nothing", t: plain, method: "HEAD",
			want: Outcome{Kind: OutcomeRedirect, Status: 302, Target: plain.URL, Location: plain.URL}},
		{name: "unknown", t: Target{}, method: "GET", want: Outcome{Kind: OutcomeNotFound}},
		{name: "disabled", t: with(func(t *Target) { t.Active = false }), method: "GET", want: Outcome{Kind: OutcomeNotFound}},
		{name: "before valid_since", t: with(func(t *Target) { t.ValidSince = now.Add(time.Minute) }), method: "GET",
			want: Outcome{Kind: OutcomeNotFound}},
		{name: "at valid_since", t: with(func(t *Target) { t.ValidSince = now }), method: "GET",
			want: Outcome{Kind: OutcomeRedirect, Status: 302, Target: plain.URL, Location: plain.URL, Record: true}},
		{name: "expired", t: with(func(t *Target) { t.ExpiresAt = now }), method: "GET", want: Outcome{Kind: OutcomeGone}},
		{name: "expired and not yet valid is 404", t: with(func(t *Target) { t.ExpiresAt = now; t.ValidSince = now.Add(time.Hour) }),
			method: "GET", want: Outcome{Kind: OutcomeNotFound}},
		{name: "redirect type", t: with(func(t *Target) { t.RedirectType = 308 }), method: "GET",
			want: Outcome{Kind: OutcomeRedirect, Status: 308, Target: plain.URL, Location: plain.URL, Record: true}},
		{name: "capped human uses a click", t: with(func(t *Target) { t.MaxClicks = 3 }), method: "GET",
			want: Outcome{Kind: OutcomeRedirect, Status: 302, Target: plain.URL, Location: plain.URL, Record: true, UsesClick: true}},
		{name: "capped bot with clicks left uses none", t: with(func(t *Target) { t.MaxClicks = 3 }), method: "GET",
			f:    facts{bot: true, clicksLeft: true},
			want: Outcome{Kind: OutcomeRedirect, Status: 302, Target: plain.URL, Location: plain.URL, Record: true}},
		{name: "capped bot used up", t: with(func(t *Target) { t.MaxClicks = 3 }), method: "GET", f: facts{bot: true},
			want: Outcome{Kind: OutcomeGone}},
		{name: "capped HEAD used up", t: with(func(t *Target) { t.MaxClicks = 3 }), method: "HEAD",
			want: Outcome{Kind: OutcomeGone}},
		{name: "capped and expired", t: with(func(t *Target) { t.MaxClicks = 3; t.ExpiresAt = now }), method: "GET",
			f: facts{clicksLeft: true}, want: Outcome{Kind: OutcomeGone}},
		{name: "password missing", t: with(func(t *Target) { t.PasswordHash = "h" }), method: "GET",
			want: Outcome{Kind: OutcomePassword}},
		{name: "password wrong", t: with(func(t *Target) { t.PasswordHash = "h" }), method: "POST", f: facts{password: PasswordWrong},
			want: Outcome{Kind: OutcomePassword}},
		{name: "password right on GET keeps the redirect type", t: with(func(t *Target) { t.PasswordHash = "h"; t.RedirectType = 301 }),
			method: "GET", f: facts{password: PasswordRight},
			want: Outcome{Kind: OutcomeRedirect, Status: 301, Target: plain.URL, Location: plain.URL, Record: true}},
		{name: "password right posted is 303", t: with(func(t *Target) { t.PasswordHash = "h"; t.RedirectType = 307 }),
			method: "POST", f: facts{password: PasswordRight},
			want: Outcome{Kind: OutcomeRedirect, Status: 303, Target: plain.URL, Location: plain.URL, Record: true}},
		{name: "used-up cap wins over the password", t: with(func(t *Target) { t.PasswordHash = "h"; t.MaxClicks = 1 }),
			method: "GET", f: facts{password: PasswordRight}, want: Outcome{Kind: OutcomeGone}},
		{name: "capped password link with clicks left", t: with(func(t *Target) { t.PasswordHash = "h"; t.MaxClicks = 1 }),
			method: "POST", f: facts{password: PasswordRight, clicksLeft: true},
			want: Outcome{Kind: OutcomeRedirect, Status: 303, Target: plain.URL, Location: plain.URL, Record: true, UsesClick: true}},
		{name: "first matching rule: every condition", t: with(func(t *Target) { t.Rules = rules }), method: "GET",
			f:    facts{class: "mobile", platform: "ios", country: "DE"},
			want: Outcome{Kind: OutcomeRedirect, Status: 302, Target: rules[0].URL, Location: rules[0].URL, Record: true}},
		{name: "a failing condition skips the rule", t: with(func(t *Target) { t.Rules = rules }), method: "GET",
			f:    facts{class: "mobile", platform: "ios", country: "AT"},
			want: Outcome{Kind: OutcomeRedirect, Status: 302, Target: rules[1].URL, Location: rules[1].URL, Record: true}},
		{name: "language rule", t: with(func(t *Target) { t.Rules = rules }), method: "GET",
			f:    facts{class: "desktop", language: "fr"},
			want: Outcome{Kind: OutcomeRedirect, Status: 302, Target: rules[2].URL, Location: rules[2].URL, Record: true}},
		{name: "no rule matches: own target", t: with(func(t *Target) { t.Rules = rules }), method: "GET",
			f:    facts{class: "desktop", language: "de"},
			want: Outcome{Kind: OutcomeRedirect, Status: 302, Target: plain.URL, Location: plain.URL, Record: true}},
		{name: "forward query", t: with(func(t *Target) { t.ForwardQuery = true; t.URL = "https://example.com/p?a=1" }),
			method: "GET", query: "b=2",
			want: Outcome{Kind: OutcomeRedirect, Status: 302, Target: "https://example.com/p?a=1", Location: "https://example.com/p?a=1&b=2", Record: true}},
		{name: "no forwarding without the option", t: plain, method: "GET", query: "b=2",
			want: Outcome{Kind: OutcomeRedirect, Status: 302, Target: plain.URL, Location: plain.URL, Record: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.f
			got := Decide(tt.t, Visit{Now: now, Method: tt.method, Query: tt.query, Facts: &f})
			if got != tt.want {
				t.Errorf("Decide = %+v\n want   %+v", got, tt.want)
			}
		})
	}
}

// A plain link asks nothing of the request: no user agent parsing, no
// GeoIP lookup, no counter, no bcrypt.
func TestDecidePlainLinkAsksNothing(t *testing.T) {
	f := &facts{}
	Decide(plain, Visit{Now: now, Method: http.MethodGet, Query: "x=1", Facts: f})
	if len(f.asked) != 0 {
		t.Fatalf("a plain link asked %v", f.asked)
	}
	// An uncapped link never asks about clicks left; a rule asks only what
	// its conditions need.
	f = &facts{class: "desktop"}
	Decide(with(func(t *Target) { t.Rules = []TargetRule{{URL: "https://x.example", Devices: []string{"mobile"}}} }),
		Visit{Now: now, Method: http.MethodGet, Facts: f})
	if f.asked["clicks"] != 0 || f.asked["country"] != 0 || f.asked["password"] != 0 || f.asked["device"] != 1 {
		t.Fatalf("a device rule asked %v", f.asked)
	}
}

// Variants split by weight, and a visitor keeps the same variant all day.
func TestDecideVariants(t *testing.T) {
	target := with(func(t *Target) {
		t.Variants = []Variant{{URL: "https://a.example", Weight: 75}, {URL: "https://b.example", Weight: 25}}
	})
	counts := map[string]int{}
	for i := range 10000 {
		f := &facts{visitor: "visitor-" + string(rune('a'+i%26)) + string(rune(i))}
		out := Decide(target, Visit{Now: now, Method: "GET", Facts: f})
		counts[out.Target]++
		again := Decide(target, Visit{Now: now, Method: "GET", Facts: f})
		if again.Target != out.Target {
			t.Fatal("the same visitor got another variant")
		}
	}
	if a := counts["https://a.example"]; a < 7200 || a > 7800 {
		t.Fatalf("variant split %v, want about 7500/2500", counts)
	}
	// A matching rule comes before the variants.
	target.Rules = []TargetRule{{URL: "https://rule.example", Countries: []string{"DE"}}}
	out := Decide(target, Visit{Now: now, Method: "GET", Facts: &facts{country: "DE", visitor: "v"}})
	if out.Target != "https://rule.example" {
		t.Fatalf("rule before variants: got %s", out.Target)
	}
}

func TestForwardQuery(t *testing.T) {
	tests := []struct{ target, query, want string }{
		{"https://e.example/p", "a=1", "https://e.example/p?a=1"},
		{"https://e.example/p?x=1&y=2", "y=3&z=4", "https://e.example/p?x=1&y=3&z=4"},
		{"https://e.example/p?a=1&b=2&a=3", "a=9", "https://e.example/p?a=9&b=2"},
		{"https://e.example/p?a=1", "a=8&a=9", "https://e.example/p?a=8&a=9"},
		{"https://e.example/p?a=1#frag", "b=2", "https://e.example/p?a=1&b=2#frag"},
		{"https://e.example/p", "q=hello%20world&x=a%2Bb", "https://e.example/p?q=hello%20world&x=a%2Bb"},
		{"https://e.example/p?a%20b=1", "a+b=2", "https://e.example/p?a+b=2"},
		{"https://e.example/p?a=1", "", "https://e.example/p?a=1"},
		{"https://e.example/p", "&&", "https://e.example/p"},
		{"https://e.example/p?", "c=3", "https://e.example/p?c=3"},
	}
	for _, tt := range tests {
		if got := ForwardQuery(tt.target, tt.query); got != tt.want {
			t.Errorf("ForwardQuery(%q, %q) = %q, want %q", tt.target, tt.query, got, tt.want)
		}
	}
}
