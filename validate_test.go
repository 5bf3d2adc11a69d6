package shortener

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestCheckAlias(t *testing.T) {
	tests := []struct {
		name  string
		alias string
		want  []string // parts of the field messages, one per field; nil when valid
	}{
		{name: "letters", alias: "promo"},
		{name: "minimum length", alias: "abc"},
		{name: "maximum length", alias: strings.Repeat("a", 50)},
		{name: "all classes", alias: "Sale_2026-Q3"},
		{name: "hyphens only", alias: "---"},
		{name: "reserved word inside", alias: "api-docs"},
		{name: "reserved prefix", alias: "admins"},
		{name: "empty", alias: "", want: []string{"3 to 50"}},
		{name: "two characters", alias: "ab", want: []string{"3 to 50"}},
		{name: "51 characters", alias: strings.Repeat("a", 51), want: []string{"3 to 50"}},
		{name: "space", alias: "my alias", want: []string{"only letters"}},
		{name: "slash", alias: "a/b/c", want: []string{"only letters"}},
		{name: "dot", alias: "a.b.c", want: []string{"only letters"}},
		{name: "percent", alias: "abc%20", want: []string{"only letters"}},
		{name: "question mark", alias: "abc?x=1", want: []string{"only letters"}},
		{name: "unicode letters", alias: "ñandú", want: []string{"only letters"}},
		{name: "fullwidth", alias: "ａｂｃ", want: []string{"only letters"}},
		{name: "emoji", alias: "🙂🙂🙂", want: []string{"only letters"}},
		{name: "nul", alias: "abc\x00", want: []string{"only letters"}},
		{name: "short and bad", alias: "a!", want: []string{"3 to 50", "only letters"}},
		{name: "reserved api", alias: "api", want: []string{"reserved"}},
		{name: "reserved API", alias: "API", want: []string{"reserved"}},
		{name: "reserved Docs", alias: "Docs", want: []string{"reserved"}},
		{name: "reserved healthz", alias: "HealthZ", want: []string{"reserved"}},
		{name: "reserved metrics", alias: "metrics", want: []string{"reserved"}},
		{name: "reserved login", alias: "LOGIN", want: []string{"reserved"}},
		{name: "reserved with dot", alias: "openapi.json", want: []string{"only letters"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := validationMessages(t, CheckAlias(tt.alias), "body.custom_alias", tt.alias)
			assertValidationMessages(t, got, tt.want)
		})
	}
}

func TestIsReservedCode(t *testing.T) {
	for _, w := range []string{
		"api", "docs", "openapi.json", "openapi.yaml", "openapi", "health", "healthz",
		"metrics", "static", "admin", "login", "logout", "register", "favicon.ico",
		"robots.txt", "qr", "analytics", "schemas",
	} {
		if !IsReservedCode(w) || !IsReservedCode(strings.ToUpper(w)) {
			t.Errorf("IsReservedCode(%q) or its upper case = false, want true", w)
		}
	}
	for _, c := range []string{"", "ap", "apis", "abc1234", "doc", "Xdocs"} {
		if IsReservedCode(c) {
			t.Errorf("IsReservedCode(%q) = true, want false", c)
		}
	}
	// The list handed out is a copy.
	list := ReservedCodes()
	list[0] = "changed"
	if slices.Contains(ReservedCodes(), "changed") {
		t.Fatal("ReservedCodes returned the package's own slice")
	}
	for _, w := range list[1:] {
		if w != strings.ToLower(w) {
			t.Errorf("reserved word %q is not lowercase", w)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		name string
		pw   string
		want []string
	}{
		{name: "strong", pw: "Secret123"},
		{name: "exactly 8", pw: "Abcdef1!"},
		{name: "exactly 128", pw: "A1" + strings.Repeat("x", 126)},
		{name: "unicode upper", pw: "ÄÖÜ12345"},
		{name: "counts characters not bytes", pw: "Ä1éééééé"},
		{name: "7 characters", pw: "Abcde1!", want: []string{"8 to 128"}},
		// Counted in NFC, as compared: e + U+0301 is one character.
		{name: "7 characters in NFC, 8 typed decomposed", pw: "Passw0é", want: []string{"8 to 128"}},
		{name: "128 characters in NFC, more typed decomposed", pw: "A1" + strings.Repeat("é", 126)},
		{name: "129 characters", pw: "A1" + strings.Repeat("x", 127), want: []string{"8 to 128"}},
		{name: "no upper case", pw: "secret123", want: []string{"upper-case"}},
		{name: "no digit", pw: "SecretPassword", want: []string{"digit"}},
		{name: "empty", pw: "", want: []string{"8 to 128", "upper-case", "digit"}},
		{name: "short lower letters", pw: "abc", want: []string{"8 to 128", "upper-case", "digit"}},
		{name: "long without upper", pw: strings.Repeat("a1", 65), want: []string{"8 to 128", "upper-case"}},
		{name: "NUL", pw: "Secret123\x00x", want: []string{"NUL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPassword(tt.pw)
			got := validationMessages(t, err, "body.password", nil)
			assertValidationMessages(t, got, tt.want)
			if err != nil && tt.pw != "" && strings.Contains(err.Error()+ErrorMessage(err), tt.pw) {
				t.Fatalf("error %v echoes the password", err)
			}
		})
	}
}

// longDomain is 185 characters: three labels of 61, the longest a label
// may be being 63.
var longDomain = strings.Repeat("b", 61) + "." + strings.Repeat("b", 61) + "." + strings.Repeat("b", 61)

func TestNormalizeEmail(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want string // "" when invalid
	}{
		{name: "plain", raw: "ada@example.com", want: "ada@example.com"},
		{name: "case kept", raw: "Ada.Lovelace@Example.COM", want: "Ada.Lovelace@Example.COM"},
		{name: "trimmed", raw: "  ada@example.com \t\n", want: "ada@example.com"},
		{name: "plus tag", raw: "ada+news@mail.example.org", want: "ada+news@mail.example.org"},
		{name: "unicode", raw: "δοκιμή@παράδειγμα.δοκιμή", want: "δοκιμή@παράδειγμα.δοκιμή"},
		{name: "local part of 64", raw: strings.Repeat("a", 64) + "@example.com", want: strings.Repeat("a", 64) + "@example.com"},
		{name: "254 total", raw: strings.Repeat("a", 64) + "@" + longDomain + ".com", want: strings.Repeat("a", 64) + "@" + longDomain + ".com"},
		{name: "label of 64", raw: "a@" + strings.Repeat("b", 64) + ".com"},
		{name: "label starting with a hyphen", raw: "x@-example.com"},
		{name: "label ending with a hyphen", raw: "x@example-.com"},
		{name: "underscore in the domain", raw: "x@exa_mple.com"},
		{name: "IP literal", raw: "x@[127.0.0.1]"},
		{name: "inner hyphen", raw: "x@ex-ample.com", want: "x@ex-ample.com"},
		{name: "punycode domain", raw: "x@xn--bcher-kva.example", want: "x@xn--bcher-kva.example"},
		{name: "empty", raw: ""},
		{name: "spaces only", raw: "   "},
		{name: "no at", raw: "ada.example.com"},
		{name: "two ats", raw: "ada@b@example.com"},
		{name: "empty local", raw: "@example.com"},
		{name: "empty domain", raw: "ada@"},
		{name: "no dot in domain", raw: "ada@localhost"},
		{name: "local part of 65", raw: strings.Repeat("a", 65) + "@example.com"},
		{name: "255 total", raw: strings.Repeat("a", 64) + "@" + strings.Repeat("b", 186) + ".com"},
		{name: "inner space", raw: "ada lovelace@example.com"},
		{name: "tab", raw: "ada\t@example.com"},
		{name: "nul", raw: "ada\x00@example.com"},
		{name: "zero width space", raw: "ada\u200b@example.com"},
		{name: "display name", raw: "Ada <ada@example.com>"},
		{name: "angle brackets", raw: "<ada@example.com>"},
		{name: "quoted local", raw: `"ada"@example.com`},
		{name: "comment", raw: "ada@example.com(work)"},
		{name: "double dot", raw: "ada..l@example.com"},
		{name: "trailing dot domain", raw: "ada@example.com."},
		{name: "leading dot domain", raw: "ada@.example.com"},
		{name: "list", raw: "a@example.com,b@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeEmail(tt.raw)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("NormalizeEmail(%q) = %q, want error", tt.raw, got)
				}
				if msgs := validationMessages(t, err, "body.email", tt.raw); len(msgs) != 1 || msgs[0] == "" {
					t.Fatalf("messages %q, want one", msgs)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("NormalizeEmail(%q) = %q, %v; want %q", tt.raw, got, err, tt.want)
			}
		})
	}
}

func TestCheckTitle(t *testing.T) {
	tests := []struct {
		name  string
		title string
		want  []string
	}{
		{name: "empty", title: ""},
		{name: "plain", title: "Spring sale"},
		{name: "255 characters", title: strings.Repeat("x", 255)},
		{name: "255 multibyte characters", title: strings.Repeat("日", 255)},
		{name: "256 characters", title: strings.Repeat("x", 256), want: []string{"longer than 255"}},
		{name: "256 multibyte characters", title: strings.Repeat("é", 256), want: []string{"longer than 255"}},
		{name: "nul", title: "a\x00b", want: []string{"control"}},
		{name: "newline", title: "a\nb", want: []string{"control"}},
		{name: "invalid utf-8", title: "a\xffb", want: []string{"UTF-8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertValidationMessages(t, validationMessages(t, CheckTitle(tt.title), "body.title", tt.title), tt.want)
		})
	}
}

// aliasPattern is the API's alias rule, written independently of
// CheckAlias.
var aliasPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{3,50}$`)

func FuzzCheckAlias(f *testing.F) {
	for _, s := range []string{"abc", "ab", "API", "my-alias_01", "ñandú", "openapi.json"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, alias string) {
		err := CheckAlias(alias)
		valid := aliasPattern.MatchString(alias) && !IsReservedCode(alias)
		if (err == nil) != valid {
			t.Fatalf("CheckAlias(%q) = %v; pattern match and not reserved = %v", alias, err, valid)
		}
		if err != nil {
			if msgs := validationMessages(t, err, "body.custom_alias", alias); len(msgs) == 0 {
				t.Fatalf("CheckAlias(%q): no field messages", alias)
			}
		}
	})
}

// validationMessages returns the messages of err's field errors, checking that
// err is nil or an EINVALID *Error whose fields all have the given
// location and value.
func validationMessages(t *testing.T, err error, location string, value any) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var e *Error
	if !errors.As(err, &e) || e.Code != EINVALID || len(e.Fields) == 0 {
		t.Fatalf("error = %#v, want EINVALID with fields", err)
	}
	var msgs []string
	for _, f := range e.Fields {
		if f.Location != location || f.Value != value {
			t.Fatalf("field %+v, want location %q and value %#v", f, location, value)
		}
		if !strings.Contains(e.Message, f.Message) {
			t.Fatalf("message %q does not include field message %q", e.Message, f.Message)
		}
		msgs = append(msgs, f.Message)
	}
	return msgs
}

// assertValidationMessages checks that got has one message per wanted part, in order.
func assertValidationMessages(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("messages %q, want %d matching %q", got, len(want), want)
	}
	for i := range want {
		if !strings.Contains(got[i], want[i]) {
			t.Fatalf("message %q does not mention %q", got[i], want[i])
		}
	}
}

func TestIsCodeText(t *testing.T) {
	for code, want := range map[string]bool{
		"a": true, "Ab_9-": true, strings.Repeat("x", MaxAliasLength): true,
		"": false, strings.Repeat("x", MaxAliasLength+1): false, "é": false, "a b": false, "a\x00": false,
		"a\xff": false, "a.b": false, "%41": false,
	} {
		if got := IsCodeText(code); got != want {
			t.Errorf("IsCodeText(%q) = %v, want %v", code, got, want)
		}
	}
}
