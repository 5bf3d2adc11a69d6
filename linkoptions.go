package shortener

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// The options of a link beyond its target (API.md, "Link options"). Each
// rule is checked here, once, for the API and the web app alike.

// Redirect statuses a link may answer with; 302 unless it says otherwise.
const DefaultRedirectType = 302

var redirectTypes = []int{301, 302, 307, 308}

// Limits of the link options.
const (
	MaxRules          = 20
	MinVariants       = 2
	MaxVariants       = 10
	MinVariantWeight  = 1
	MaxVariantWeight  = 100
	MinLinkPassword   = 4
	MaxLinkPassword   = 128
	MaxRuleConditions = 50 // values in one condition list
)

// Device conditions a targeting rule may name: the device classes of the
// click enrichment and two platforms.
const (
	PlatformIOS     = "ios"
	PlatformAndroid = "android"
)

var ruleDevices = []string{DeviceDesktop, DeviceMobile, DeviceTablet, PlatformIOS, PlatformAndroid}

// TargetRule sends the visitors it matches to URL: a rule matches when
// every condition it has matches (a list matches when it holds the visitor's
// value). A rule has at least one condition.
type TargetRule struct {
	URL       string
	Devices   []string // of ruleDevices
	Countries []string // ISO 3166 alpha-2, upper case
	Languages []string // primary language subtags, lower case
}

// Variant is one target of an A/B split, chosen with probability Weight /
// the sum of the weights.
type Variant struct {
	URL    string
	Weight int
}

// CheckRedirectType reports whether n may be a link's redirect status.
// Returns EINVALID at body.redirect_type.
func CheckRedirectType(n int) error {
	if !slices.Contains(redirectTypes, n) {
		return Invalid("body.redirect_type", "redirect_type must be 301, 302, 307 or 308", n)
	}
	return nil
}

// CheckMaxClicks reports whether n may cap a link's redirects.
// Returns EINVALID at body.max_clicks.
func CheckMaxClicks(n int64) error {
	if n < 1 {
		return Invalid("body.max_clicks", "max_clicks must be at least 1", n)
	}
	return nil
}

// CheckLinkPassword reports whether pw may protect a link: 4-128
// characters of storable text. The password is never echoed back.
// Returns EINVALID at body.password.
func CheckLinkPassword(pw string) error {
	if err := CheckText("body.password", "password", pw); err != nil {
		return Invalid("body.password", "password must be valid UTF-8 without NUL", nil)
	}
	if n := utf8.RuneCountInString(norm.NFC.String(pw)); n < MinLinkPassword || n > MaxLinkPassword {
		return Invalid("body.password", fmt.Sprintf("password must be %d to %d characters long", MinLinkPassword, MaxLinkPassword), nil)
	}
	return nil
}

// NormalizeRules checks targeting rules and returns them normalised
// (devices and languages lower case, countries upper case, duplicates
// dropped). Every URL passes CheckURL. Returns EINVALID naming each bad
// value's location, e.g. body.rules[1].url.
func NormalizeRules(rules []TargetRule, ownHosts []string) ([]TargetRule, error) {
	var errs []error
	if len(rules) > MaxRules {
		errs = append(errs, Invalid("body.rules", fmt.Sprintf("at most %d rules", MaxRules), nil))
	}
	out := make([]TargetRule, 0, len(rules))
	for i, r := range rules {
		at := fmt.Sprintf("body.rules[%d]", i)
		n := TargetRule{URL: r.URL}
		errs = append(errs, CheckURLAt(at+".url", r.URL, ownHosts))
		var err error
		n.Devices, err = normalizeList(at+".device", "device", r.Devices, normalizeDevice)
		errs = append(errs, err)
		n.Countries, err = normalizeList(at+".country", "country", r.Countries, normalizeCountry)
		errs = append(errs, err)
		n.Languages, err = normalizeList(at+".language", "language", r.Languages, normalizeLanguage)
		errs = append(errs, err)
		if len(r.Devices)+len(r.Countries)+len(r.Languages) == 0 {
			errs = append(errs, Invalid(at, "a rule needs at least one condition (device, country or language)", nil))
		}
		out = append(out, n)
	}
	if err := JoinInvalid(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// normalizeList normalises each value of a condition list with norm,
// which returns "" for a value it refuses.
func normalizeList(at, field string, values []string, norm func(string) string) ([]string, error) {
	if len(values) > MaxRuleConditions {
		return nil, Invalid(at, fmt.Sprintf("at most %d values", MaxRuleConditions), nil)
	}
	var out []string
	var errs []error
	for j, v := range values {
		n := norm(v)
		if n == "" {
			errs = append(errs, Invalid(fmt.Sprintf("%s[%d]", at, j), conditionHelp[field], v))
			continue
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, JoinInvalid(errs...)
}

var conditionHelp = map[string]string{
	"device":   "device must be one of desktop, mobile, tablet, ios, android",
	"country":  "country must be an ISO 3166 alpha-2 code such as DE",
	"language": "language must be a primary language subtag such as de or pt",
}

func normalizeDevice(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	if slices.Contains(ruleDevices, v) {
		return v
	}
	return ""
}

// normalizeCountry returns v as an assigned ISO 3166 alpha-2 code in upper
// case, or "": the private-use codes (AA, QM-QZ, XA-XZ, ZZ) and groupings
// such as EU name no visitor's country, except XK, Kosovo's, which the
// GeoIP databases use. A code replaced by another is written as the one
// GeoIP reports: UK as GB, ZR as CD, TP as TL.
func normalizeCountry(v string) string {
	v = strings.TrimSpace(v)
	if len(v) != 2 || !isASCIILetters(v) {
		return ""
	}
	v = strings.ToUpper(v)
	r, err := language.ParseRegion(v)
	if err != nil || !r.IsCountry() || (r.IsPrivateUse() && v != "XK") {
		return ""
	}
	return r.Canonicalize().String()
}

func normalizeLanguage(v string) string {
	v = strings.TrimSpace(v)
	if len(v) < 2 || len(v) > 3 || !isASCIILetters(v) {
		return ""
	}
	return strings.ToLower(v)
}

func isASCIILetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// CheckVariants checks an A/B split: 2-10 variants, weights 1-100, every
// URL passing CheckURL. Returns EINVALID naming each bad value's location,
// e.g. body.variants[0].weight.
func CheckVariants(vs []Variant, ownHosts []string) error {
	var errs []error
	if len(vs) < MinVariants || len(vs) > MaxVariants {
		errs = append(errs, Invalid("body.variants", fmt.Sprintf("variants must list %d to %d targets", MinVariants, MaxVariants), nil))
	}
	for i, v := range vs {
		at := fmt.Sprintf("body.variants[%d]", i)
		errs = append(errs, CheckURLAt(at+".url", v.URL, ownHosts))
		if v.Weight < MinVariantWeight || v.Weight > MaxVariantWeight {
			errs = append(errs, Invalid(at+".weight", fmt.Sprintf("weight must be %d to %d", MinVariantWeight, MaxVariantWeight), v.Weight))
		}
	}
	return JoinInvalid(errs...)
}
