package shortener

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestNormalizeRules(t *testing.T) {
	got, err := NormalizeRules([]TargetRule{
		{URL: "https://example.com/a", Devices: []string{"iOS", "mobile", "ios"}, Countries: []string{"de", "AT"}},
		{URL: "https://example.com/b", Languages: []string{"PT"}},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []TargetRule{
		{URL: "https://example.com/a", Devices: []string{"ios", "mobile"}, Countries: []string{"DE", "AT"}},
		{URL: "https://example.com/b", Languages: []string{"pt"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("NormalizeRules = %+v, want %+v", got, want)
	}

	_, err = NormalizeRules([]TargetRule{
		{URL: "https://example.com/ok", Devices: []string{"mobile"}},
		{URL: "http://127.0.0.1/", Countries: []string{"DE"}},
		{URL: "https://example.com/none"},
		{URL: "https://example.com/c", Devices: []string{"phone"}, Countries: []string{"Germany"}, Languages: []string{"pt-BR"}},
	}, nil)
	locations := fieldLocations(err)
	for _, want := range []string{"body.rules[1].url", "body.rules[2]", "body.rules[3].device[0]", "body.rules[3].country[0]", "body.rules[3].language[0]"} {
		if !strings.Contains(locations, want+";") {
			t.Errorf("error locations %q lack %s", locations, want)
		}
	}
	if strings.Contains(locations, "body.rules[0]") {
		t.Errorf("a good rule was refused: %q", locations)
	}
	// Codes no country has are refused; Kosovo's XK, which GeoIP uses, is not.
	for _, code := range []string{"XX", "AA", "QM", "ZZ", "EU"} {
		_, err := NormalizeRules([]TargetRule{{URL: "https://example.com/c", Countries: []string{"DE", code}}}, nil)
		if !strings.Contains(fieldLocations(err), "body.rules[0].country[1];") {
			t.Errorf("country %s: %v, want refused", code, err)
		}
	}
	if _, err := NormalizeRules([]TargetRule{{URL: "https://example.com/c", Countries: []string{"xk", "GB", "US"}}}, nil); err != nil {
		t.Errorf("XK, GB, US: %v", err)
	}
	// A replaced code is written as the one GeoIP reports, so that it can match.
	rules, err := NormalizeRules([]TargetRule{{URL: "https://example.com/c", Countries: []string{"uk", "ZR", "TP"}}}, nil)
	if err != nil || !slices.Equal(rules[0].Countries, []string{"GB", "CD", "TL"}) {
		t.Errorf("UK, ZR, TP: %v, %v; want GB, CD, TL", rules, err)
	}
	if _, err := NormalizeRules(make([]TargetRule, 21), nil); ErrorCode(err) != EINVALID {
		t.Errorf("21 rules: %v", err)
	}
}

func TestCheckVariants(t *testing.T) {
	ok := []Variant{{URL: "https://a.example", Weight: 1}, {URL: "https://b.example", Weight: 100}}
	if err := CheckVariants(ok, nil); err != nil {
		t.Fatal(err)
	}
	err := CheckVariants([]Variant{{URL: "https://a.example", Weight: 0}, {URL: "ftp://b.example", Weight: 101}}, nil)
	locations := fieldLocations(err)
	for _, want := range []string{"body.variants[0].weight", "body.variants[1].url", "body.variants[1].weight"} {
		if !strings.Contains(locations, want+";") {
			t.Errorf("error locations %q lack %s", locations, want)
		}
	}
	for _, n := range []int{1, 11} {
		vs := make([]Variant, n)
		for i := range vs {
			vs[i] = Variant{URL: "https://a.example", Weight: 1}
		}
		if ErrorCode(CheckVariants(vs, nil)) != EINVALID {
			t.Errorf("%d variants accepted", n)
		}
	}
}

func TestScalarOptions(t *testing.T) {
	for _, n := range []int{301, 302, 307, 308} {
		if CheckRedirectType(n) != nil {
			t.Errorf("redirect_type %d refused", n)
		}
	}
	for _, n := range []int{0, 200, 303, 304} {
		if ErrorCode(CheckRedirectType(n)) != EINVALID {
			t.Errorf("redirect_type %d accepted", n)
		}
	}
	if ErrorCode(CheckMaxClicks(0)) != EINVALID || CheckMaxClicks(1) != nil {
		t.Error("max_clicks bounds")
	}
	for pw, ok := range map[string]bool{"abc": false, "abcd": true, strings.Repeat("é", 128): true, strings.Repeat("x", 129): false, "ab\x00d": false,
		"abe\u0301": false, strings.Repeat("e\u0301", 128): true} {
		if (CheckLinkPassword(pw) == nil) != ok {
			t.Errorf("CheckLinkPassword(%q) ok=%v", pw, !ok)
		}
	}
	if err := CheckLinkPassword("ab"); err != nil {
		for _, f := range err.(*Error).Fields {
			if f.Value != nil {
				t.Error("a password was echoed in an error")
			}
		}
	}
}

// fieldLocations lists the locations of an EINVALID error, each followed
// by ';'.
func fieldLocations(err error) string {
	e, ok := err.(*Error)
	if !ok {
		return ""
	}
	var b strings.Builder
	for _, f := range e.Fields {
		b.WriteString(f.Location + ";")
	}
	return b.String()
}
