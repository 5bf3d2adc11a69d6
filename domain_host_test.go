package shortener_test

import (
	"testing"

	"github.com/shortener-dev/shortener"
)

func TestNormalizeDomainHost(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{name: "plain", in: "go.example", want: "go.example"},
		{name: "case and trailing dot", in: " Go.EXAMPLE. ", want: "go.example"},
		{name: "unicode to punycode", in: "bücher.example", want: "xn--bcher-kva.example"},
		{name: "unicode upper case", in: "BÜCHER.example.", want: "xn--bcher-kva.example"},
		{name: "IDNA's lower case, not Go's", in: "İ.example.test", want: "xn--i-9bb.example.test"},
		{name: "hyphens inside", in: "a-b.c-d.example", want: "a-b.c-d.example"},
		{name: "port", in: "go.example:8080"},
		{name: "scheme", in: "https://go.example"},
		{name: "path", in: "go.example/x"},
		{name: "userinfo", in: "u@go.example"},
		{name: "single label", in: "localhost"},
		{name: "IPv4", in: "10.0.0.1"},
		{name: "short IPv4", in: "127.1"},
		{name: "IPv6", in: "[::1]"},
		{name: "leading hyphen", in: "-go.example"},
		{name: "underscore", in: "go_x.example"},
		{name: "empty", in: ""},
		{name: "empty label", in: "go..example"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := shortener.NormalizeDomainHost(tc.in)
			if tc.want == "" {
				if shortener.ErrorCode(err) != shortener.EINVALID {
					t.Fatalf("NormalizeDomainHost(%q) = %q, %v; want EINVALID", tc.in, got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("NormalizeDomainHost(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestRequestHost(t *testing.T) {
	for in, want := range map[string]string{
		"go.example": "go.example", "Go.Example": "go.example", "go.example.:8443": "go.example",
		"go.example:80": "go.example", "[::1]:80": "[::1]", "": "",
	} {
		if got := shortener.RequestHost(in); got != want {
			t.Errorf("RequestHost(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLinkKey(t *testing.T) {
	id := "0190a0f4-0000-7000-8000-0000000000aa"
	for _, tc := range []struct{ domain, code, key string }{
		{shortener.DefaultDomainID, "abc", "abc"},
		{"", "abc", "abc"},
		{id, "abc", id + "/abc"},
	} {
		if got := shortener.LinkKey(tc.domain, tc.code); got != tc.key {
			t.Errorf("LinkKey(%q, %q) = %q, want %q", tc.domain, tc.code, got, tc.key)
		}
		domain, code := shortener.SplitLinkKey(tc.key)
		if want := tc.domain; code != tc.code || (want != "" && domain != want) {
			t.Errorf("SplitLinkKey(%q) = %q, %q", tc.key, domain, code)
		}
	}
}
