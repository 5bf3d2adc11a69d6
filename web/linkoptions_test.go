package web

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

func TestOptionTextRoundTrip(t *testing.T) {
	rules := []shortener.TargetRule{
		{URL: "https://example.com/de", Countries: []string{"DE", "AT"}, Languages: []string{"de"}},
		{URL: "https://example.com/app?x=1;y=2", Devices: []string{"ios", "android"}},
	}
	variants := []shortener.Variant{{URL: "https://example.com/a", Weight: 70}, {URL: "https://example.com/b", Weight: 30}}
	f := newForm(nil, optionFields...)
	f.set("rules", formatRules(rules))
	f.set("variants", formatVariants(variants))
	if got := parseRules(f); !reflect.DeepEqual(got, rules) {
		t.Errorf("rules came back as %+v\nfrom %q", got, f.Value("rules"))
	}
	if got := parseVariants(f); !reflect.DeepEqual(got, variants) {
		t.Errorf("variants came back as %+v\nfrom %q", got, f.Value("variants"))
	}
	if f.Failed() {
		t.Errorf("form failed: %+v", f.errors)
	}

	// People type loosely: plurals, capitals, blank lines, CRLF, no scheme.
	f.set("rules", "\r\n  example.com/fr ;Countries: fr , be;LANGUAGE:fr\r\n\r\n")
	want := []shortener.TargetRule{{URL: "https://example.com/fr", Countries: []string{"fr", "be"}, Languages: []string{"fr"}}}
	if got := parseRules(f); !reflect.DeepEqual(got, want) {
		t.Errorf("loose rules read as %+v", got)
	}
}

func TestOptionTextErrors(t *testing.T) {
	for _, c := range []struct{ field, text, want string }{
		{"rules", "https://a.example; country: DE\nhttps://b.example; planet: mars", "Rule 2: write each condition"},
		{"rules", "https://a.example; DE", "Rule 1: write each condition"},
		{"variants", "50 https://a.example\nhttps://b.example", "Variant 2: write a weight"},
		{"variants", "half https://a.example", "Variant 1: write a weight"},
	} {
		f := newForm(nil, optionFields...)
		f.set(c.field, c.text)
		_ = createOptions(f)
		if got := f.Error(c.field); !strings.HasPrefix(got, c.want) {
			t.Errorf("%s %q: error %q, want %q…", c.field, c.text, got, c.want)
		}
	}
}

func TestCreateLinkWithOptions(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn(alice)
	p := b.get("/app")
	wantBody(t, p, `<select id="redirect_type" name="redirect_type"`, `<option value="302" selected>`,
		`<textarea id="rules" name="rules"`, `<input id="password" name="password" type="password" autocomplete="new-password" value=""`)
	if strings.Contains(p.Body, "Remove the password") {
		t.Error("a new link offers to remove its password")
	}
	p = b.submit("/app/links", url.Values{
		"original_url": {"https://example.com/"}, "redirect_type": {"307"}, "forward_query": {"true"},
		"valid_since": {"2027-01-01T09:30"}, "max_clicks": {"100"}, "password": {" open sesame "},
		"rules":    {"https://example.com/de; country: DE"},
		"variants": {"70 https://example.com/a\n30 https://example.com/b"},
	})
	wantStatus(t, p, http.StatusSeeOther)
	in := e.links.created[0]
	since := time.Date(2027, 1, 1, 9, 30, 0, 0, time.UTC)
	if *in.RedirectType != 307 || !*in.ForwardQuery || !in.ValidSince.Equal(since) || *in.MaxClicks != 100 ||
		*in.Password != " open sesame " || len(*in.Rules) != 1 || (*in.Rules)[0].Countries[0] != "DE" ||
		len(*in.Variants) != 2 || (*in.Variants)[1].Weight != 30 {
		t.Errorf("create options %+v", in.Options)
	}

	// Left alone, the options keep their defaults: nothing is sent.
	b.get("/app")
	b.submit("/app/links", url.Values{"original_url": {"https://example.com/"}, "redirect_type": {"302"}})
	if o := e.links.created[1].Options; o.ForwardQuery != nil || o.ValidSince != nil || o.MaxClicks != nil ||
		o.Password != nil || o.Rules != nil || o.Variants != nil {
		t.Errorf("default options sent: %+v", o)
	}
}

func TestCreateLinkOptionErrors(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn(alice)
	b.get("/app")
	// Text the form cannot read is refused here, with the input kept.
	p := b.submit("/app/links", url.Values{
		"original_url": {"https://example.com/"}, "max_clicks": {"lots"}, "password": {"secret"},
		"rules": {"https://example.com/de country DE"},
	})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantBody(t, p, `id="max_clicks-error">Enter a whole number.`, `id="rules-error">Rule 1: write each condition`,
		`>https://example.com/de country DE</textarea>`, `value="lots"`)
	if strings.Contains(p.Body, "secret") {
		t.Error("the password was echoed")
	}
	if n := e.links.count("Create"); n != 0 {
		t.Errorf("Create called %d times", n)
	}
	if strings.Count(p.Body, "<details open>") != 1 {
		t.Error("want only the rules shown open")
	}

	// The service's errors inside a list land on its field, saying which item.
	e.links.createErr = joinInvalid(
		invalid("body.rules[1].url", "url must use http or https"),
		invalid("body.variants[0].weight", "weight must be 1 to 100"),
	)
	b.get("/app")
	p = b.submit("/app/links", url.Values{
		"original_url": {"https://example.com/"},
		"rules":        {"https://example.com/de; country: DE\nftp://example.com/; device: ios"},
		"variants":     {"0 https://example.com/a\n5 https://example.com/b"},
	})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantBody(t, p, `id="rules-error">Rule 2: URL must use http or https.`,
		`id="variants-error">Variant 1: Weight must be 1 to 100.`, "Please correct the marked fields.")
}

func TestEditLinkOptions(t *testing.T) {
	e := newEnv(t)
	l := e.addLink(alice, linkID, "abc", "https://example.com/")
	max := int64(50)
	l.RedirectType, l.MaxClicks, l.PasswordHash = 301, &max, "$2a$10$hash"
	l.Rules = []shortener.TargetRule{{URL: "https://example.com/m", Devices: []string{"mobile"}}}
	l.Variants = []shortener.Variant{{URL: "https://example.com/a", Weight: 1}, {URL: "https://example.com/b", Weight: 3}}
	b := e.signedIn(alice)
	p := b.get("/app/links/" + linkID)
	wantBody(t, p, `<span class="badge">Password</span>`, `<option value="301" selected>`,
		`<dt>Redirect</dt><dd>301</dd>`, `<dt>Click limit</dt><dd>50 (0 used)</dd>`, `<dt>A/B split</dt><dd>2 targets</dd>`,
		`>https://example.com/m; device: mobile</textarea>`, ">1 https://example.com/a\n3 https://example.com/b</textarea>",
		`id="max_clicks" name="max_clicks" type="number" min="1" step="1" inputmode="numeric" value="50"`,
		"This link asks for a password.", `name="unprotect"`)
	if strings.Contains(p.Body, "$2a$") {
		t.Error("the password hash is on the page")
	}
	form := url.Values{
		"original_url": {"https://example.com/"}, "is_active": {"true"}, "redirect_type": {"301"},
		"max_clicks": {"50"}, "rules": {"https://example.com/m; device: mobile"},
		"variants": {"1 https://example.com/a\r\n3 https://example.com/b\r\n"},
	}
	wantStatus(t, b.submit("/app/links/"+linkID+"/edit", form), http.StatusSeeOther)
	in := e.links.updated[0]
	if in.RedirectType != nil || in.ForwardQuery != nil ||
		in.MaxClicks != nil || in.Password != nil || in.Rules != nil || in.Variants != nil ||
		in.ClearMaxClicks || in.ClearPassword || in.ClearVariants || in.ClearValidSince {
		t.Errorf("unchanged options sent: %+v", in)
	}

	// Emptied fields clear their options; the box removes the password.
	form.Set("max_clicks", "")
	form.Set("rules", "")
	form.Set("variants", "")
	form.Set("unprotect", "true")
	b.get("/app/links/" + linkID)
	wantStatus(t, b.submit("/app/links/"+linkID+"/edit", form), http.StatusSeeOther)
	in = e.links.updated[1]
	if !in.ClearMaxClicks || !in.ClearPassword || !in.ClearVariants || in.Rules == nil || len(*in.Rules) != 0 {
		t.Errorf("update %+v, want the limit, password, variants and rules cleared", in)
	}

	// A new password and its removal at once is a contradiction.
	form.Set("password", "new one")
	b.get("/app/links/" + linkID)
	p = b.submit("/app/links/"+linkID+"/edit", form)
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantBody(t, p, `id="password-error">Either type a new password or remove it, not both.`)
	if n := e.links.count("Update"); n != 2 {
		t.Errorf("%d updates, want the contradictory one not sent", n)
	}
}

// A link whose click limit is used up says so (its redirect answers 410),
// on the list and on its page.
func TestUsedUpLink(t *testing.T) {
	e := newEnv(t)
	l := e.addLink(alice, linkID, "abc", "https://example.com/")
	max := int64(2)
	l.MaxClicks, l.ClicksUsed = &max, 2
	b := e.signedIn(alice)
	wantBody(t, b.get("/app"), `<span class="badge expired">Used up</span>`)
	wantBody(t, b.get("/app/links/"+linkID), `<dt>Click limit</dt><dd>2 (2 used)</dd>`)
}

// A link whose start (valid_since) is still to come says so: visitors get
// a 404 until then, so it is not shown as active.
func TestScheduledLink(t *testing.T) {
	e := newEnv(t)
	l := e.addLink(alice, linkID, "abc", "https://example.com/")
	start := testNow.Add(time.Hour)
	l.ValidSince = &start
	b := e.signedIn(alice)
	wantBody(t, b.get("/app"), `<span class="badge scheduled">Scheduled</span>`)
	wantBody(t, b.get("/app/links/"+linkID), `<span class="badge scheduled">Scheduled</span>`)
	past := testNow.Add(-time.Hour)
	l.ValidSince = &past
	wantBody(t, b.get("/app"), `<span class="badge active">Active</span>`)
}

// A form the app cannot read whole (a bad rules line) still shows the
// service's errors for its other fields, all at once, on create and edit.
func TestEveryFieldErrorAtOnce(t *testing.T) {
	e := newEnv(t)
	e.addLink(alice, linkID, "abc", "https://example.com/")
	e.links.checkErr = joinInvalid(
		invalid("body.original_url", "URL must not be localhost or a local name"),
		invalid("body.title", "title must be at most 255 characters"),
	)
	b := e.signedIn(alice)
	b.get("/app")
	p := b.submit("/app/links", url.Values{"original_url": {"http://localhost/"}, "title": {"t"},
		"rules": {"https://example.com/de country DE"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantBody(t, p, `id="rules-error">Rule 1: write each condition`, `id="original_url-error">`, `id="title-error">`)
	b.get("/app/links/" + linkID)
	p = b.submit("/app/links/"+linkID+"/edit", url.Values{"original_url": {"http://localhost/"}, "title": {"t"},
		"rules": {"https://example.com/de country DE"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantBody(t, p, `id="rules-error">Rule 1: write each condition`, `id="original_url-error">`, `id="title-error">`)
	if n := e.links.count("Create") + e.links.count("Update"); n != 0 {
		t.Errorf("Create or Update called %d times", n)
	}
}
