package clientip

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestOf(t *testing.T) {
	res := Resolver{Trusted: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}
	tests := []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"no proxy", "203.0.113.7:4000", nil, "203.0.113.7"},
		{"untrusted peer's header ignored", "203.0.113.7:4000", []string{"198.51.100.1"}, "203.0.113.7"},
		{"trusted proxy", "10.0.0.2:4000", []string{"198.51.100.1"}, "198.51.100.1"},
		{"a client cannot prepend itself", "10.0.0.2:4000", []string{"1.2.3.4, 198.51.100.1"}, "198.51.100.1"},
		{"chain of trusted proxies", "10.0.0.2:4000", []string{"198.51.100.1, 10.0.0.9", "10.0.0.3"}, "198.51.100.1"},
		{"garbled chain", "10.0.0.2:4000", []string{"nonsense"}, "10.0.0.2"},
		{"only proxies", "10.0.0.2:4000", []string{"10.0.0.5"}, "10.0.0.5"},
		{"IPv4-mapped peer", "[::ffff:203.0.113.9]:4000", nil, "203.0.113.9"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.peer
		for _, v := range tt.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := res.Of(r); got.String() != tt.want {
			t.Errorf("%s: Of = %s, want %s", tt.name, got, tt.want)
		}
	}
}
