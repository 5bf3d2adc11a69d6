package shortener_test

import (
	"testing"

	"github.com/shortener-dev/shortener"
)

func TestLocationURI(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"https://example.com/a?b=c#d", "https://example.com/a?b=c#d"},
		{"https://example.com/%C3%BC?q=%20", "https://example.com/%C3%BC?q=%20"},
		{"https://example.com/ü?q=ä#ö", "https://example.com/%C3%BC?q=%C3%A4#%C3%B6"},
		{"https://bücher.example/ü", "https://xn--bcher-kva.example/%C3%BC"},
		{"https://bücher.example:8443?x=ü", "https://xn--bcher-kva.example:8443?x=%C3%BC"},
		{"https://[2001:db8::1]:8443/ü", "https://[2001:db8::1]:8443/%C3%BC"},
		{"https://example.com/?x=\xfc&y=\xc0\xaf", "https://example.com/?x=%FC&y=%C0%AF"},
		{"https://example.com/a b\x7f", "https://example.com/a%20b%7F"},
	} {
		if got := shortener.LocationURI(c.in); got != c.want {
			t.Errorf("LocationURI(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	ascii := "https://example.com/some/path?with=query"
	if n := testing.AllocsPerRun(100, func() { _ = shortener.LocationURI(ascii) }); n != 0 {
		t.Errorf("LocationURI of an ASCII URL allocates %v times, want 0", n)
	}
}
