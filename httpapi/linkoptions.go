package httpapi

import (
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/links"
)

// The link options of the API (API.md, "Link options"): their JSON shape
// and their mapping to the links service's input.

// RuleBody is a targeting rule: the first rule whose every condition holds
// for the visitor sends them to its url.
type RuleBody struct {
	URL      string   `json:"url" maxLength:"2048" doc:"Where a matching visitor goes; the original_url rules apply."`
	Device   []string `json:"device,omitempty" nullable:"false" maxItems:"5" doc:"Any of desktop, mobile, tablet, ios, android."`
	Country  []string `json:"country,omitempty" nullable:"false" maxItems:"50" doc:"ISO 3166 alpha-2 codes of the visitor's country (GeoIP)."`
	Language []string `json:"language,omitempty" nullable:"false" maxItems:"50" doc:"Primary language subtags (de, pt) of the preferred language of Accept-Language."`
}

// VariantBody is one target of an A/B split.
type VariantBody struct {
	URL    string `json:"url" maxLength:"2048" doc:"The original_url rules apply."`
	Weight int    `json:"weight" minimum:"1" maximum:"100" doc:"Chosen with probability weight / sum of weights; a visitor keeps one variant for the UTC day."`
}

func ruleBodies(rules []shortener.TargetRule) []RuleBody {
	out := make([]RuleBody, len(rules))
	for i, r := range rules {
		out[i] = RuleBody{URL: r.URL, Device: r.Devices, Country: r.Countries, Language: r.Languages}
	}
	return out
}

func targetRules(bodies []RuleBody) *[]shortener.TargetRule {
	if bodies == nil {
		return nil
	}
	out := make([]shortener.TargetRule, len(bodies))
	for i, b := range bodies {
		out[i] = shortener.TargetRule{URL: b.URL, Devices: b.Device, Countries: b.Country, Languages: b.Language}
	}
	return &out
}

func variantBodies(vs []shortener.Variant) *[]VariantBody {
	if vs == nil {
		return nil
	}
	out := make([]VariantBody, len(vs))
	for i, v := range vs {
		out[i] = VariantBody(v)
	}
	return &out
}

func variants(bodies []VariantBody) *[]shortener.Variant {
	out := make([]shortener.Variant, len(bodies))
	for i, b := range bodies {
		out[i] = shortener.Variant(b)
	}
	return &out
}

// CreateOptions are the options a create may give; absent ones take their
// defaults.
type CreateOptions struct {
	RedirectType *int          `json:"redirect_type,omitempty" enum:"301,302,307,308" doc:"The status of the redirect (default 302)."`
	ForwardQuery *bool         `json:"forward_query,omitempty" doc:"Merge the request's query string into the target's (default false)."`
	ValidSince   *Timestamp    `json:"valid_since,omitempty" nullable:"true" doc:"Before it the code answers 404, as if unknown."`
	MaxClicks    *int64        `json:"max_clicks,omitempty" nullable:"true" minimum:"1" doc:"At most this many human redirects, over every instance; then 410. A cap set on a link that was followed before counts its click_count as used."`
	Password     *string       `json:"password,omitempty" nullable:"true" doc:"Write-only, 4-128 characters (counted after NFC normalisation, as passwords are compared): visitors must give it (a form for browsers, X-Link-Password for API clients)."`
	Rules        []RuleBody    `json:"rules,omitempty" nullable:"false" maxItems:"20" doc:"Targeting rules, checked in order."`
	Variants     []VariantBody `json:"variants,omitempty" nullable:"true" minItems:"2" maxItems:"10" doc:"An A/B split; null for none."`
	Tags         []string      `json:"tags,omitempty" nullable:"false" doc:"At most 20 tags of 1-50 characters of a-z 0-9 _ -, stored lower-cased, duplicates dropped (the 20 counts what is left)."`
}

func (o CreateOptions) input() links.Options {
	in := links.Options{RedirectType: o.RedirectType, ForwardQuery: o.ForwardQuery, MaxClicks: o.MaxClicks,
		Password: o.Password, Rules: targetRules(o.Rules)}
	if o.Tags != nil {
		in.Tags = &o.Tags
	}
	if o.ValidSince != nil {
		in.ValidSince = &o.ValidSince.Time
	}
	if o.Variants != nil {
		in.Variants = variants(o.Variants)
	}
	return in
}

// UpdateOptions are the options a PATCH may change; null clears the
// nullable ones.
type UpdateOptions struct {
	RedirectType *int                    `json:"redirect_type,omitempty" nullable:"false" enum:"301,302,307,308"`
	ForwardQuery *bool                   `json:"forward_query,omitempty" nullable:"false"`
	ValidSince   Nullable[Timestamp]     `json:"valid_since,omitempty" doc:"null: valid at once."`
	MaxClicks    Nullable[int64]         `json:"max_clicks,omitempty" minimum:"1" doc:"null: uncapped (clicks used so far are kept); a new cap counts at least the link's click_count as used."`
	Password     Nullable[string]        `json:"password,omitempty" doc:"4-128 characters (counted after NFC normalisation); null removes the password."`
	Rules        []RuleBody              `json:"rules,omitempty" nullable:"false" maxItems:"20" doc:"Replaces the rules; [] removes them."`
	Variants     Nullable[[]VariantBody] `json:"variants,omitempty" minItems:"2" maxItems:"10" doc:"null removes the split."`
	Tags         []string                `json:"tags,omitempty" nullable:"false" doc:"Replaces the tags; [] removes them (at most 20 once duplicates are dropped)."`
}

func (o UpdateOptions) apply(u *links.UpdateInput) {
	u.RedirectType, u.ForwardQuery, u.Rules = o.RedirectType, o.ForwardQuery, targetRules(o.Rules)
	if o.Tags != nil {
		u.Tags = &o.Tags
	}
	if o.ValidSince.Set {
		u.ClearValidSince = o.ValidSince.Null
		if !o.ValidSince.Null {
			u.ValidSince = &o.ValidSince.Value.Time
		}
	}
	if o.MaxClicks.Set {
		u.ClearMaxClicks = o.MaxClicks.Null
		if !o.MaxClicks.Null {
			u.MaxClicks = &o.MaxClicks.Value
		}
	}
	if o.Password.Set {
		u.ClearPassword = o.Password.Null
		if !o.Password.Null {
			u.Password = &o.Password.Value
		}
	}
	if o.Variants.Set {
		u.ClearVariants = o.Variants.Null
		if !o.Variants.Null {
			u.Variants = variants(o.Variants.Value)
		}
	}
}

// LinkOptions is what the Link object shows of the options.
type LinkOptions struct {
	RedirectType int            `json:"redirect_type" enum:"301,302,307,308"`
	ForwardQuery bool           `json:"forward_query"`
	ValidSince   *time.Time     `json:"valid_since"`
	MaxClicks    *int64         `json:"max_clicks"`
	HasPassword  bool           `json:"has_password" doc:"The password itself is never shown."`
	Rules        []RuleBody     `json:"rules"`
	Variants     *[]VariantBody `json:"variants"`
	Tags         []string       `json:"tags" doc:"Lower-case, sorted."`
}

func optionsBody(l *shortener.Link) LinkOptions {
	b := LinkOptions{RedirectType: shortener.RedirectStatusOf(l.RedirectType), ForwardQuery: l.ForwardQuery,
		MaxClicks: l.MaxClicks, HasPassword: l.PasswordHash != "", Rules: ruleBodies(l.Rules),
		Variants: variantBodies(l.Variants), Tags: l.Tags}
	if b.Tags == nil {
		b.Tags = []string{}
	}
	if l.ValidSince != nil {
		t := l.ValidSince.UTC()
		b.ValidSince = &t
	}
	return b
}
