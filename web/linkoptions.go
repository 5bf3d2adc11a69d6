package web

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/links"
)

// A link's options (API.md, "Link options") as form fields. Rules and
// variants are text, one per line, so that a form without script can hold
// any number of them:
//
//	rules:    https://example.com/de; country: DE, AT; language: de
//	variants: 70 https://example.com/a
//
// The services check the values; this file only reads and writes the text.
var optionFields = []string{
	"redirect_type", "forward_query", "valid_since", "max_clicks",
	"password", "unprotect", "rules", "variants", "tags",
}

// formTags reads the tags field: tags separated by spaces or commas.
func formTags(f *form) []string {
	return strings.FieldsFunc(f.Value("tags"), func(r rune) bool { return r == ',' || r == ' ' })
}

// choice is one option of a select.
type choice struct{ Value, Label string }

// redirectChoices are the redirect statuses a link may answer with, the
// default first.
var redirectChoices = []choice{
	{"302", "302 Found (temporary, the default)"},
	{"301", "301 Moved Permanently"},
	{"307", "307 Temporary Redirect (keeps the method)"},
	{"308", "308 Permanent Redirect (keeps the method)"},
}

// optionsView is what the link-options partial draws: the form, and
// whether the link has a password already (the edit form offers to
// remove it).
type optionsView struct {
	Form      *form
	Protected bool
}

// rulesTouched reports whether the create form's options have a value
// other than a default, or an error, so that they show open.
func rulesTouched(f *form) bool {
	for _, name := range optionFields {
		if name == "redirect_type" && f.Error(name) == "" && f.Value(name) == strconv.Itoa(shortener.DefaultRedirectType) {
			continue // the select's default, not a choice made
		}
		if f.touched(name) {
			return true
		}
	}
	return false
}

// fact is one line of a link's facts: "Click limit", "100".
type fact struct{ Label, Value string }

// optionFacts are the link page's lines about l's options that differ
// from the defaults.
func optionFacts(l *shortener.Link) []fact {
	var fs []fact
	if rt := shortener.RedirectStatusOf(l.RedirectType); rt != shortener.DefaultRedirectType {
		fs = append(fs, fact{"Redirect", strconv.Itoa(rt)})
	}
	if l.ForwardQuery {
		fs = append(fs, fact{"Query string", "Passed on"})
	}
	if l.ValidSince != nil {
		fs = append(fs, fact{"Starts", formatDateTime(*l.ValidSince)})
	}
	if l.MaxClicks != nil {
		fs = append(fs, fact{"Click limit", thousands(*l.MaxClicks) + " (" + thousands(min(l.ClicksUsed, *l.MaxClicks)) + " used)"})
	}
	if len(l.Rules) > 0 {
		fs = append(fs, fact{"Targeting", plural(int64(len(l.Rules)), "rule", "rules")})
	}
	if len(l.Variants) > 0 {
		fs = append(fs, fact{"A/B split", plural(int64(len(l.Variants)), "target", "targets")})
	}
	return fs
}

// Messages of option text the form cannot read.
const (
	msgBadNumber  = "Enter a whole number."
	msgBothPasswd = "Either type a new password or remove it, not both."
)

// fillOptions puts l's options in f, as the edit form shows them.
func fillOptions(f *form, l *shortener.Link) {
	f.set("redirect_type", strconv.Itoa(shortener.RedirectStatusOf(l.RedirectType)))
	if l.ForwardQuery {
		f.set("forward_query", "true")
	}
	f.set("valid_since", inputDateTime(l.ValidSince))
	if l.MaxClicks != nil {
		f.set("max_clicks", strconv.FormatInt(*l.MaxClicks, 10))
	}
	f.set("rules", formatRules(l.Rules))
	f.set("variants", formatVariants(l.Variants))
	f.set("tags", strings.Join(l.Tags, " "))
}

// createOptions reads the options of the create form; what is left empty
// keeps its default.
func createOptions(f *form) links.Options {
	var o links.Options
	if n, ok := formInt(f, "redirect_type"); ok {
		rt := int(n)
		o.RedirectType = &rt
	}
	if f.Value("forward_query") == "true" {
		fq := true
		o.ForwardQuery = &fq
	}
	o.ValidSince = formTime(f, "valid_since")
	if n, ok := formInt(f, "max_clicks"); ok {
		o.MaxClicks = &n
	}
	if pw := f.raw("password"); pw != "" {
		o.Password = &pw
	}
	if rules := parseRules(f); len(rules) > 0 {
		o.Rules = &rules
	}
	if vs := parseVariants(f); len(vs) > 0 {
		o.Variants = &vs
	}
	if tags := formTags(f); len(tags) > 0 {
		o.Tags = &tags
	}
	return o
}

// updateOptions reads the options of the edit form into in: only what
// differs from l, an emptied field clearing its option.
func updateOptions(f *form, l *shortener.Link, in *links.UpdateInput) {
	if tags := formTags(f); !slices.Equal(tags, l.Tags) {
		if tags == nil {
			tags = []string{} // none: clears them
		}
		in.Tags = &tags
	}
	if n, ok := formInt(f, "redirect_type"); ok && int(n) != shortener.RedirectStatusOf(l.RedirectType) {
		rt := int(n)
		in.RedirectType = &rt
	}
	if fq := f.Value("forward_query") == "true"; fq != l.ForwardQuery {
		in.ForwardQuery = &fq
	}
	if s := f.Value("valid_since"); s != inputDateTime(l.ValidSince) {
		in.ValidSince = formTime(f, "valid_since")
		in.ClearValidSince = s == ""
	}
	if n, ok := formInt(f, "max_clicks"); !ok && l.MaxClicks != nil && f.Value("max_clicks") == "" {
		in.ClearMaxClicks = true
	} else if ok && (l.MaxClicks == nil || *l.MaxClicks != n) {
		in.MaxClicks = &n
	}
	switch pw, unprotect := f.raw("password"), f.Value("unprotect") == "true"; {
	case pw != "" && unprotect:
		f.fail("password", msgBothPasswd)
	case pw != "":
		in.Password = &pw
	case unprotect && l.PasswordHash != "":
		in.ClearPassword = true
	}
	if !sameLines(f.Value("rules"), formatRules(l.Rules)) {
		rules := parseRules(f)
		if rules == nil {
			rules = []shortener.TargetRule{} // no rules: clears them
		}
		in.Rules = &rules
	}
	if !sameLines(f.Value("variants"), formatVariants(l.Variants)) {
		if vs := parseVariants(f); len(vs) > 0 {
			in.Variants = &vs
		} else if !f.Failed() {
			in.ClearVariants = true
		}
	}
}

// formInt reads a whole number; ok is false when the field is empty or
// not a number, which fails the field.
func formInt(f *form, name string) (n int64, ok bool) {
	s := f.Value(name)
	if s == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f.fail(name, msgBadNumber)
		return 0, false
	}
	return n, true
}

// formTime reads a datetime-local field as UTC; nil when empty or
// unreadable, which fails the field.
func formTime(f *form, name string) *time.Time {
	s := f.Value(name)
	if s == "" {
		return nil
	}
	t, err := parseInputDateTime(s)
	if err != nil {
		f.fail(name, msgBadTime)
		return nil
	}
	return &t
}

// Condition names of a rule line; the plural is read too.
var ruleConditions = map[string]string{
	"device": "device", "devices": "device",
	"country": "country", "countries": "country",
	"language": "language", "languages": "language",
}

// parseRules reads the rules field: per line a URL, then conditions
// separated by semicolons, each a name, a colon and values separated by
// commas. Blank lines are skipped. A line the form cannot read fails the
// field; the values themselves are the service's to check.
func parseRules(f *form) []shortener.TargetRule {
	var rules []shortener.TargetRule
	for i, line := range textLines(f.Value("rules")) {
		target, rest, _ := strings.Cut(line, " ")
		target = strings.TrimSuffix(target, ";")
		r := shortener.TargetRule{URL: withScheme(target)}
		for cond := range strings.SplitSeq(rest, ";") {
			if strings.TrimSpace(cond) == "" {
				continue
			}
			name, values, ok := strings.Cut(cond, ":")
			kind := ruleConditions[strings.ToLower(strings.TrimSpace(name))]
			if !ok || kind == "" {
				f.fail("rules", fmt.Sprintf("Rule %d: write each condition as device:, country: or language: and its values, e.g. “country: DE, AT”.", i+1))
				return nil
			}
			list := splitList(values)
			switch kind {
			case "device":
				r.Devices = append(r.Devices, list...)
			case "country":
				r.Countries = append(r.Countries, list...)
			case "language":
				r.Languages = append(r.Languages, list...)
			}
		}
		rules = append(rules, r)
	}
	return rules
}

// formatRules writes rules as parseRules reads them.
func formatRules(rules []shortener.TargetRule) string {
	lines := make([]string, len(rules))
	for i, r := range rules {
		parts := []string{r.URL}
		for _, c := range []struct {
			name   string
			values []string
		}{{"device", r.Devices}, {"country", r.Countries}, {"language", r.Languages}} {
			if len(c.values) > 0 {
				parts = append(parts, c.name+": "+strings.Join(c.values, ", "))
			}
		}
		lines[i] = strings.Join(parts, "; ")
	}
	return strings.Join(lines, "\n")
}

// parseVariants reads the variants field: per line a weight and a URL.
func parseVariants(f *form) []shortener.Variant {
	var vs []shortener.Variant
	for i, line := range textLines(f.Value("variants")) {
		parts := strings.Fields(line)
		var weight int
		var err error
		if len(parts) == 2 {
			weight, err = strconv.Atoi(parts[0])
		}
		if len(parts) != 2 || err != nil {
			f.fail("variants", fmt.Sprintf("Variant %d: write a weight, a space and the URL, e.g. “50 https://example.com/a”.", i+1))
			return nil
		}
		vs = append(vs, shortener.Variant{URL: withScheme(parts[1]), Weight: weight})
	}
	return vs
}

// formatVariants writes variants as parseVariants reads them.
func formatVariants(vs []shortener.Variant) string {
	lines := make([]string, len(vs))
	for i, v := range vs {
		lines[i] = strconv.Itoa(v.Weight) + " " + v.URL
	}
	return strings.Join(lines, "\n")
}

// textLines returns the non-blank lines of a textarea, trimmed.
func textLines(s string) []string {
	var lines []string
	for line := range strings.Lines(s) {
		if line = strings.TrimSpace(line); line != "" {
			lines = append(lines, line)
		}
	}
	return lines
}

// sameLines reports whether two texts have the same non-blank lines, as
// a textarea sent back unchanged (CRLF, a trailing newline) must.
func sameLines(a, b string) bool { return slices.Equal(textLines(a), textLines(b)) }

// splitList splits "a, b ,c" into its non-empty values.
func splitList(s string) []string {
	var out []string
	for v := range strings.SplitSeq(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// itemField maps the location of an error in a list option to its field
// and the words that say which item: "rules[1].url" → "rules", "Rule 2: ".
func itemField(name string) (field, prefix string) {
	base, rest, ok := strings.Cut(name, "[")
	if !ok {
		return name, ""
	}
	idx, _, _ := strings.Cut(rest, "]")
	n, err := strconv.Atoi(idx)
	if err != nil {
		return base, ""
	}
	switch base {
	case "rules":
		return base, fmt.Sprintf("Rule %d: ", n+1)
	case "variants":
		return base, fmt.Sprintf("Variant %d: ", n+1)
	}
	return base, ""
}
