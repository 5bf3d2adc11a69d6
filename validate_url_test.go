package shortener

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

// checkURLOwnHosts stands for a BASE_URL of https://sho.rt.
var checkURLOwnHosts = []string{"sho.rt"}

func TestCheckURLRefusesUnsafeHosts(t *testing.T) {
	tests := []struct {
		name string
		url  string
		want string // part of the field message
	}{
		// Loopback and private IPv4, dotted.
		{name: "loopback", url: "http://127.0.0.1/", want: "private or reserved"},
		{name: "loopback other", url: "http://127.255.1.2:8080/admin", want: "private or reserved"},
		{name: "unspecified", url: "http://0.0.0.0/", want: "private or reserved"},
		{name: "this network", url: "http://0.1.2.3/", want: "private or reserved"},
		{name: "private 10", url: "http://10.0.0.1/", want: "private or reserved"},
		{name: "private 172.16", url: "http://172.16.0.1/", want: "private or reserved"},
		{name: "private 172.31", url: "http://172.31.255.255/", want: "private or reserved"},
		{name: "private 192.168", url: "http://192.168.1.1/", want: "private or reserved"},
		{name: "cgnat", url: "http://100.64.0.1/", want: "private or reserved"},
		{name: "cgnat end", url: "http://100.127.255.254/", want: "private or reserved"},
		{name: "link-local", url: "http://169.254.1.1/", want: "private or reserved"},
		{name: "cloud metadata", url: "http://169.254.169.254/latest/meta-data/", want: "private or reserved"},
		{name: "ietf protocol assignments", url: "http://192.0.0.8/", want: "private or reserved"},
		{name: "test-net-1", url: "http://192.0.2.1/", want: "private or reserved"},
		{name: "6to4 relay anycast", url: "http://192.88.99.1/", want: "private or reserved"},
		{name: "benchmarking", url: "http://198.18.0.1/", want: "private or reserved"},
		{name: "benchmarking end", url: "http://198.19.255.255/", want: "private or reserved"},
		{name: "test-net-2", url: "http://198.51.100.7/", want: "private or reserved"},
		{name: "test-net-3", url: "http://203.0.113.9/", want: "private or reserved"},
		{name: "multicast", url: "http://224.0.0.1/", want: "private or reserved"},
		{name: "multicast end", url: "http://239.255.255.250/", want: "private or reserved"},
		{name: "reserved 240", url: "http://240.0.0.1/", want: "private or reserved"},
		{name: "broadcast", url: "http://255.255.255.255/", want: "private or reserved"},
		{name: "loopback trailing dot", url: "http://127.0.0.1./", want: "private or reserved"},
		{name: "loopback with port", url: "https://127.0.0.1:443/", want: "private or reserved"},

		// Other spellings of IPv4 that inet_aton and browsers accept.
		{name: "short 127.1", url: "http://127.1/", want: "private or reserved"},
		{name: "short 127.0.1", url: "http://127.0.1/", want: "private or reserved"},
		{name: "short 10.1", url: "http://10.1/", want: "private or reserved"},
		{name: "short 192.168.257", url: "http://192.168.257/", want: "private or reserved"},
		{name: "decimal", url: "http://2130706433/", want: "private or reserved"},
		{name: "decimal metadata", url: "http://2852039166/", want: "private or reserved"},
		{name: "decimal zero", url: "http://0/", want: "private or reserved"},
		{name: "octal dotted", url: "http://0177.0.0.1/", want: "private or reserved"},
		{name: "octal single", url: "http://017700000001/", want: "private or reserved"},
		{name: "octal many zeros", url: "http://0000000177.0.0.1/", want: "private or reserved"},
		{name: "hex dotted", url: "http://0x7f.0.0.1/", want: "private or reserved"},
		{name: "hex upper", url: "http://0X7F.0X0.0X0.0X1/", want: "private or reserved"},
		{name: "hex single", url: "http://0x7f000001/", want: "private or reserved"},
		{name: "hex metadata", url: "http://0xa9fea9fe/", want: "private or reserved"},
		{name: "hex leading zeros", url: "http://0x00000000007f.1/", want: "private or reserved"},
		{name: "hex empty is zero", url: "http://0x/", want: "private or reserved"},
		{name: "mixed hex octal decimal", url: "http://0x7f.0.01/", want: "private or reserved"},
		{name: "mixed octal short", url: "http://0300.0250.1/", want: "private or reserved"},
		{name: "mixed hex short", url: "http://0xa9.254.0xa9fe/", want: "private or reserved"},
		{name: "short trailing dot", url: "http://127.1./", want: "private or reserved"},
		{name: "fullwidth digits", url: "http://１２７.０.０.１/", want: "private or reserved"},
		{name: "ideographic full stops", url: "http://127。0。0。1/", want: "private or reserved"},
		{name: "fullwidth full stops", url: "http://127．0．0．1/", want: "private or reserved"},
		{name: "halfwidth ideographic full stops", url: "http://127｡0｡0｡1/", want: "private or reserved"},
		{name: "fullwidth hex", url: "http://０ｘ７ｆ.１/", want: "private or reserved"},
		{name: "percent-encoded digits", url: "http://%31%32%37.0.0.1/", want: "percent-encoded"},
		{name: "percent-encoded dot", url: "http://127%2E0.0.1/", want: "percent-encoded"},
		{name: "percent-encoded fullwidth stop", url: "http://127%E3%80%820.0.1/", want: "percent-encoded"},
		{name: "numeric last label not an address", url: "http://foo.0x7f/", want: "not a valid host"},
		{name: "too many parts", url: "http://1.2.3.4.5/", want: "not a valid host"},
		{name: "part over 255", url: "http://256.0.0.1/", want: "not a valid host"},
		{name: "decimal over 32 bits", url: "http://4294967296/", want: "not a valid host"},
		{name: "bad octal", url: "http://08.0.0.1/", want: "not a valid host"},

		// IPv6 literals.
		{name: "v6 loopback", url: "http://[::1]/", want: "private or reserved"},
		{name: "v6 loopback long", url: "http://[0:0:0:0:0:0:0:1]:8080/", want: "private or reserved"},
		{name: "v6 unspecified", url: "http://[::]/", want: "private or reserved"},
		{name: "v6 mapped dotted", url: "http://[::ffff:127.0.0.1]/", want: "private or reserved"},
		{name: "v6 mapped hex", url: "http://[::ffff:7f00:1]/", want: "private or reserved"},
		{name: "v6 mapped metadata", url: "http://[::ffff:a9fe:a9fe]/", want: "private or reserved"},
		{name: "v6 compatible", url: "http://[::127.0.0.1]/", want: "private or reserved"},
		{name: "v6 compatible public", url: "http://[::8.8.8.8]/", want: "private or reserved"},
		{name: "v6 nat64 private", url: "http://[64:ff9b::10.0.0.1]/", want: "private or reserved"},
		{name: "v6 nat64 hex loopback", url: "http://[64:ff9b::7f00:1]/", want: "private or reserved"},
		{name: "v6 nat64 local-use", url: "http://[64:ff9b:1::8.8.8.8]/", want: "private or reserved"},
		{name: "v6 6to4 private", url: "http://[2002:c0a8:101::1]/", want: "private or reserved"},
		{name: "v6 6to4 loopback", url: "http://[2002:7f00:1::]/", want: "private or reserved"},
		{name: "v6 discard", url: "http://[100::1]/", want: "private or reserved"},
		{name: "v6 teredo", url: "http://[2001::1]/", want: "private or reserved"},
		{name: "v6 benchmarking", url: "http://[2001:2::1]/", want: "private or reserved"},
		{name: "v6 documentation", url: "http://[2001:db8::1]/", want: "private or reserved"},
		{name: "v6 documentation 3fff", url: "http://[3fff::1]/", want: "private or reserved"},
		{name: "v6 srv6", url: "http://[5f00::1]/", want: "private or reserved"},
		{name: "v6 unique local", url: "http://[fc00::1]/", want: "private or reserved"},
		{name: "v6 unique local fd", url: "http://[fd12:3456::1]/", want: "private or reserved"},
		{name: "v6 link-local", url: "http://[fe80::1]/", want: "private or reserved"},
		{name: "v6 site-local", url: "http://[fec0::1]/", want: "private or reserved"},
		{name: "v6 multicast", url: "http://[ff02::1]/", want: "private or reserved"},
		{name: "v6 upper case", url: "http://[FE80::ABCD]/", want: "private or reserved"},
		{name: "v6 zone", url: "http://[fe80::1%25eth0]/", want: "zone"},
		{name: "v6 zone on global address", url: "http://[2606:4700::1111%25eth0]/", want: "zone"},
		{name: "bracketed v4", url: "http://[127.0.0.1]/", want: "malformed"},
		{name: "bracket garbage", url: "http://[::1]x/", want: "malformed"},
		{name: "unbracketed v6", url: "http://::1/", want: "malformed"},

		// Local names.
		{name: "localhost", url: "http://localhost/", want: "localhost"},
		{name: "localhost upper", url: "http://LOCALHOST:3000/", want: "localhost"},
		{name: "localhost trailing dot", url: "http://localhost./", want: "localhost"},
		{name: "under localhost", url: "http://app.localhost/", want: "localhost"},
		{name: "mdns", url: "http://printer.local/", want: "localhost"},
		{name: "mdns mixed case", url: "https://Printer.LOCAL./", want: "localhost"},
		{name: "internal", url: "http://metadata.google.internal/", want: "localhost"},
		{name: "internal bare", url: "http://internal/", want: "localhost"},
		{name: "localdomain", url: "http://localhost.localdomain/", want: "localhost"},
		{name: "home.arpa", url: "http://router.home.arpa/", want: "localhost"},
		{name: "fullwidth localhost", url: "http://ｌｏｃａｌｈｏｓｔ/", want: "localhost"},
		{name: "fullwidth stop before local", url: "http://printer。local/", want: "localhost"},
		{name: "single label", url: "http://metadata/", want: "fully qualified"},

		// Characters a browser drops or maps on its way to localhost.
		{name: "circled letter", url: "http://ⓛocalhost/", want: "not a valid host"},
		{name: "math bold letter", url: "http://𝐥ocalhost/", want: "not a valid host"},
		{name: "soft hyphen", url: "http://local\u00adhost/", want: "control"},
		{name: "zero width space", url: "http://local\u200bhost/", want: "control"},
		{name: "grapheme joiner", url: "http://local\u034fhost/", want: "not a valid host"},
		{name: "variation selector", url: "http://local\ufe00host/", want: "not a valid host"},
		{name: "long s", url: "http://ſtatic.internal/", want: "not a valid host"},
		{name: "kelvin sign", url: "http://\u212a.example.com/", want: "not a valid host"},
		{name: "ligature", url: "http://ﬁle.internal/", want: "not a valid host"},
		{name: "roman numeral", url: "http://ⅼocalhost/", want: "not a valid host"},
		{name: "one dot leader", url: "http://127\u20240\u20240\u20241/", want: "not a valid host"},
		{name: "bad host character", url: "http://exa'mple.com/", want: "not a valid host"},
		{name: "empty label", url: "http://example..com/", want: "not a valid host"},
		{name: "leading dot", url: "http://.example.com/", want: "not a valid host"},
		{name: "label over 63", url: "http://" + strings.Repeat("a", 64) + ".com/", want: "not a valid host"},
		{name: "name over 253", url: "http://" + hostOfLength(254) + "/", want: "not a valid host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertURLRefused(t, tt.url, tt.want)
		})
	}
}

func TestCheckURLRefusesMalformed(t *testing.T) {
	tests := []struct {
		name string
		url  string
		want string
	}{
		{name: "empty", url: "", want: "required"},
		{name: "relative", url: "/path", want: "absolute"},
		{name: "no scheme", url: "example.com/x", want: "absolute"},
		{name: "host and port without scheme", url: "example.com:80/x", want: "http or https"},
		{name: "ftp", url: "ftp://example.com/", want: "http or https"},
		{name: "javascript", url: "javascript:alert(1)", want: "http or https"},
		{name: "data", url: "data:text/html,<script>alert(1)</script>", want: "http or https"},
		{name: "file", url: "file:///etc/passwd", want: "http or https"},
		{name: "opaque http", url: "http:127.0.0.1", want: "absolute"},
		{name: "one slash", url: "http:/127.0.0.1/", want: "absolute"},
		{name: "three slashes", url: "http:///127.0.0.1/", want: "host"},
		{name: "no host", url: "https://", want: "host"},
		{name: "port only", url: "https://:443/", want: "host"},
		{name: "port too large", url: "https://example.com:65536/", want: "port"},
		{name: "port zero", url: "http://example.com:0/", want: "port"},
		{name: "port zero, written long", url: "http://example.com:000/", want: "port"},
		{name: "port not a number", url: "https://example.com:https/", want: "malformed"},
		{name: "user", url: "http://user@example.com/", want: "credentials"},
		{name: "user and password", url: "https://user:pass@example.com/", want: "credentials"},
		{name: "empty userinfo", url: "http://@example.com/", want: "credentials"},
		{name: "empty password", url: "http://:@example.com/", want: "credentials"},
		{name: "credentials hiding private host", url: "http://example.com@127.0.0.1/", want: "credentials"},
		{name: "encoded at in userinfo", url: "http://a%40b@example.com/", want: "credentials"},
		{name: "backslash", url: "http://example.com\\@127.0.0.1/", want: "backslash"},
		{name: "backslash in path", url: "https://example.com/a\\b", want: "backslash"},
		{name: "space", url: "http://example.com/a b", want: "spaces"},
		{name: "leading space", url: " http://example.com/", want: "spaces"},
		{name: "tab in host", url: "http://127.0.0.\t1/", want: "spaces"},
		{name: "newline", url: "http://example.com/\n", want: "spaces"},
		{name: "nul", url: "http://example.com/\x00", want: "spaces"},
		{name: "del", url: "http://example.com/\x7f", want: "spaces"},
		{name: "c1 control", url: "http://example.com/\u0085", want: "spaces"},
		{name: "ideographic space", url: "http://example.com/\u3000", want: "spaces"},
		{name: "invalid utf-8", url: "http://example.com/\xff", want: "UTF-8"},
		{name: "bad escape", url: "https://example.com/100%zz", want: "malformed"},
		{name: "2049 characters", url: urlOfLength(2049), want: "longer than 2048"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertURLRefused(t, tt.url, tt.want)
		})
	}
}

func TestCheckURLRefusesOwnHost(t *testing.T) {
	own := []string{"sho.rt", "8.8.4.4"}
	tests := []struct {
		name string
		url  string
	}{
		{name: "same", url: "https://sho.rt/abc"},
		{name: "other scheme", url: "http://sho.rt/abc"},
		{name: "other port", url: "https://sho.rt:8443/abc"},
		{name: "upper case", url: "HTTPS://SHO.RT/abc"},
		{name: "trailing dot", url: "https://sho.rt./abc"},
		{name: "fullwidth", url: "https://ｓｈｏ.ｒｔ/"},
		{name: "own ip", url: "http://8.8.4.4/"},
		{name: "own ip decimal", url: "http://134743044/"},
		{name: "own ip mapped", url: "http://[::ffff:8.8.4.4]/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := CheckURL(tt.url, own); !strings.Contains(urlFieldMessage(t, err), "this service") {
				t.Fatalf("CheckURL(%q) = %v, want own-host refusal", tt.url, err)
			}
		})
	}
	// A sub-domain of the service is another host.
	if err := CheckURL("https://blog.sho.rt/", own); err != nil {
		t.Fatalf("CheckURL(sub-domain) = %v, want nil", err)
	}
	// A domain is configured in punycode; a browser turns the Unicode
	// spelling into it.
	for _, u := range []string{"https://bücher.example/", "https://BÜCHER.example./x", "https://xn--bcher-kva.example/"} {
		if err := CheckURL(u, []string{"xn--bcher-kva.example"}); !strings.Contains(urlFieldMessage(t, err), "this service") {
			t.Errorf("CheckURL(%q) with the domain xn--bcher-kva.example = %v, want own-host refusal", u, err)
		}
	}
	// A trailing dot or upper case in the configuration changes nothing.
	if err := CheckURL("https://sho.rt/", []string{"SHO.RT."}); err == nil {
		t.Fatal("CheckURL with own host SHO.RT. accepted https://sho.rt/")
	}
}

func TestCheckURLAccepts(t *testing.T) {
	tests := []struct {
		name string
		url  string
	}{
		{name: "plain https", url: "https://example.com"},
		{name: "plain http", url: "http://example.com/"},
		{name: "upper-case scheme and host", url: "HTTPS://Example.COM"},
		{name: "mixed-case scheme", url: "hTTp://example.com/"},
		{name: "path query fragment", url: "https://example.com/a/b?q=1&r=%20x#frag"},
		{name: "port", url: "https://example.com:8443/x"},
		{name: "empty port", url: "https://example.com:/x"},
		{name: "trailing dot", url: "https://example.com./"},
		{name: "public ipv4", url: "https://8.8.8.8"},
		{name: "public ipv4 with port", url: "http://1.1.1.1:8080/dns"},
		{name: "just outside 172.16/12", url: "http://172.32.0.1/"},
		{name: "just below 172.16/12", url: "http://172.15.255.255/"},
		{name: "just outside cgnat", url: "http://100.128.0.1/"},
		{name: "just outside link-local", url: "http://169.255.0.1/"},
		{name: "public decimal", url: "http://134744072/"},
		{name: "public hex", url: "http://0x08080808/"},
		{name: "public short", url: "http://8.0x80808/"},
		{name: "public ipv6", url: "https://[2606:4700:4700::1111]/"},
		{name: "public ipv6 with port", url: "https://[2001:4860:4860::8888]:443/"},
		{name: "mapped public ipv4", url: "http://[::ffff:8.8.8.8]/"},
		{name: "nat64 public ipv4", url: "http://[64:ff9b::8.8.8.8]/"},
		{name: "6to4 public ipv4", url: "http://[2002:808:808::1]/"},
		{name: "punycode", url: "https://xn--mnchen-3ya.de/"},
		{name: "unicode host", url: "https://münchen.de/straße"},
		{name: "unicode upper-case host", url: "https://MÜNCHEN.de/"},
		{name: "chinese host", url: "http://例子.测试/"},
		{name: "chinese with ideographic stop", url: "http://例子。测试/"},
		{name: "japanese host", url: "https://コーヒー.jp/"},
		{name: "hindi host", url: "https://भारत.भारत/"},
		{name: "arabic host", url: "https://مثال.إختبار/"},
		{name: "cyrillic host", url: "https://пример.рф/"},
		{name: "thai host", url: "https://ตัวอย่าง.ไทย/"},
		{name: "unicode path", url: "https://ru.wikipedia.org/wiki/Москва"},
		{name: "underscore label", url: "https://my_host.example.com/"},
		{name: "hyphens", url: "https://a-b--c.example.com/"},
		{name: "digits in labels", url: "https://123.example.com/"},
		{name: "numeric-looking label not last", url: "https://127.0.0.1.nip.example/"},
		{name: "localhost as path", url: "https://example.com/localhost"},
		{name: "at sign in path", url: "https://example.com/@user"},
		{name: "at sign in query", url: "https://example.com/?a=@127.0.0.1"},
		{name: "at sign in fragment", url: "https://example.com/#@127.0.0.1"},
		{name: "local suffix inside a label", url: "https://notlocal.example/"},
		{name: "label of 63", url: "https://" + strings.Repeat("a", 63) + ".com/"},
		{name: "name of 253", url: "https://" + hostOfLength(253) + "/"},
		{name: "long unicode label", url: "https://" + strings.Repeat("例", 30) + ".com/"},
		{name: "2048 characters", url: urlOfLength(2048)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := CheckURL(tt.url, checkURLOwnHosts); err != nil {
				t.Fatalf("CheckURL(%q) = %v, want nil", tt.url, err)
			}
		})
	}
}

func TestCheckURLLengthCountsCharacters(t *testing.T) {
	base := "https://example.com/"
	// 2048 characters, most of them two bytes long.
	u := base + strings.Repeat("é", MaxURLLength-len(base))
	if err := CheckURL(u, nil); err != nil {
		t.Fatalf("CheckURL(2048 characters, %d bytes) = %v, want nil", len(u), err)
	}
	assertURLRefused(t, u+"é", "longer than")
}

func TestCheckURLErrorShape(t *testing.T) {
	raw := "http://127.0.0.1/"
	err := CheckURL(raw, nil)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("CheckURL error %T, want *Error", err)
	}
	if e.Code != EINVALID || len(e.Fields) != 1 {
		t.Fatalf("error = %+v, want one EINVALID field", e)
	}
	f := e.Fields[0]
	if f.Location != "body.original_url" || f.Value != raw || f.Message == "" {
		t.Fatalf("field = %+v", f)
	}
	if !strings.Contains(e.Message, f.Message) {
		t.Fatalf("message %q does not say %q", e.Message, f.Message)
	}
}

// FuzzCheckURL checks that whatever CheckURL accepts is an absolute
// http(s) URL without credentials whose host, if it is an IP address in
// any spelling, is global.
func FuzzCheckURL(f *testing.F) {
	for _, s := range []string{
		"https://example.com/", "http://127.0.0.1/", "http://0x7f.1/", "http://[::ffff:7f00:1]/",
		"http://１２７。０。０。１/", "http://user@example.com/", "https://münchen.de/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		err := CheckURL(raw, checkURLOwnHosts)
		if err != nil {
			if msg := urlFieldMessage(t, err); msg == "" {
				t.Fatalf("CheckURL(%q): empty message", raw)
			}
			return
		}
		u, perr := url.Parse(raw)
		if perr != nil {
			t.Fatalf("accepted %q but url.Parse fails: %v", raw, perr)
		}
		if u.Scheme != "http" && u.Scheme != "https" {
			t.Fatalf("accepted %q with scheme %q", raw, u.Scheme)
		}
		if u.User != nil || strings.Contains(strings.SplitN(u.Host, "/", 2)[0], "@") {
			t.Fatalf("accepted %q with userinfo", raw)
		}
		host := u.Hostname()
		if host == "" {
			t.Fatalf("accepted %q without host", raw)
		}
		folded, ok := foldHost(host)
		if !strings.HasPrefix(u.Host, "[") && !ok {
			t.Fatalf("accepted %q with host %q that foldHost refuses", raw, host)
		}
		for _, h := range []string{host, strings.TrimSuffix(host, "."), folded} {
			if a, ok := hostAddr(h); ok && !isGlobalAddr(a) {
				t.Fatalf("accepted %q whose host %q is %v", raw, h, a)
			}
		}
		for _, bad := range append([]string{"localhost"}, checkURLOwnHosts...) {
			if folded == bad {
				t.Fatalf("accepted %q with host %q", raw, folded)
			}
		}
	})
}

func assertURLRefused(t *testing.T, raw, want string) {
	t.Helper()
	err := CheckURL(raw, checkURLOwnHosts)
	if err == nil {
		t.Fatalf("CheckURL(%q) = nil, want refusal mentioning %q", raw, want)
	}
	if msg := urlFieldMessage(t, err); !strings.Contains(msg, want) {
		t.Fatalf("CheckURL(%q) message %q, want it to mention %q", raw, msg, want)
	}
}

// urlFieldMessage returns the field message of a CheckURL error, failing
// the test unless it is one EINVALID field at body.original_url.
func urlFieldMessage(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var e *Error
	if !errors.As(err, &e) || e.Code != EINVALID || len(e.Fields) != 1 || e.Fields[0].Location != "body.original_url" {
		t.Fatalf("CheckURL error = %#v, want one EINVALID field at body.original_url", err)
	}
	return e.Fields[0].Message
}

// urlOfLength returns an acceptable URL of exactly n characters.
func urlOfLength(n int) string {
	base := "https://example.com/"
	return base + strings.Repeat("a", n-len(base))
}

// hostOfLength returns a host name of n characters (n >= 200) with
// labels of at most 63.
func hostOfLength(n int) string {
	l := strings.Repeat("a", 63)
	return l + "." + l + "." + l + "." + strings.Repeat("d", n-196) + ".com"
}
