package shortener

import (
	"net/netip"
	"testing"
)

func TestCheckURLParseLooseIPv4(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" when not an address
	}{
		{"127.0.0.1", "127.0.0.1"},
		{"127.1", "127.0.0.1"},
		{"127.0.1", "127.0.0.1"},
		{"1.2.772", "1.2.3.4"},
		{"2130706433", "127.0.0.1"},
		{"0x7f000001", "127.0.0.1"},
		{"017700000001", "127.0.0.1"},
		{"0x7f.1", "127.0.0.1"},
		{"0177.1", "127.0.0.1"},
		{"4294967295", "255.255.255.255"},
		{"0xffffffff", "255.255.255.255"},
		{"0", "0.0.0.0"},
		{"0x", "0.0.0.0"},
		{"1.2.3.4.", "1.2.3.4"},
		{"4294967296", ""},
		{"1.16777216", ""},
		{"1.2.65536", ""},
		{"256.1", ""},
		{"1.2.3.256", ""},
		{"1.2.3.4.5", ""},
		{"1..2", ""},
		{"", ""},
		{"09", ""},
		{"0xg", ""},
		{"1e2", ""},
		{"-1", ""},
		{"+1", ""},
		{"0x100000000", ""},
		{"00000000000000000000000000000000000001", "0.0.0.1"},
	}
	for _, tt := range tests {
		a, ok := parseLooseIPv4(tt.in)
		got := ""
		if ok {
			got = a.String()
		}
		if got != tt.want {
			t.Errorf("parseLooseIPv4(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCheckURLIsGlobalAddr(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"8.8.8.8", true},
		{"1.1.1.1", true},
		{"172.32.0.0", true},
		{"192.0.1.255", true},
		{"192.0.3.0", true},
		{"223.255.255.255", true},
		{"9.255.255.255", true},
		{"11.0.0.0", true},
		{"126.255.255.255", true},
		{"128.0.0.0", true},
		{"0.255.255.255", false},
		{"10.255.255.255", false},
		{"127.0.0.0", false},
		{"198.17.255.255", true},
		{"198.20.0.0", true},
		{"2606:4700::1", true},
		{"2001:4860::1", true},
		{"2001:200::1", true}, // just above 2001::/23
		{"2001:1ff:ffff::1", false},
		{"2001:db8:ffff::1", false},
		{"2001:db9::1", true},
		{"3ffe::1", true},
		{"3fff:fff::1", false},
		{"3fff:1000::1", true},
		{"4000::1", false},
		{"::ffff:1.1.1.1", true},
		{"::ffff:192.168.0.1", false},
		{"64:ff9b::1.1.1.1", true},
		{"64:ff9b::192.168.0.1", false},
		{"2002:101:101::", true},
		{"2002:a00:1::", false},
		{"fe80::1%eth0", false},
	}
	for _, tt := range tests {
		if got := isGlobalAddr(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("isGlobalAddr(%s) = %v, want %v", tt.addr, got, tt.want)
		}
	}
}
