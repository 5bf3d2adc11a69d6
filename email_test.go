package shortener

import "testing"

func TestEmailKey(t *testing.T) {
	tests := []struct{ a, b string }{
		{"Alice@Example.com", "alice@example.com"},
		{"  alice@example.com ", "ALICE@EXAMPLE.COM"},
		{"ÄLICE@example.com", "älice@example.com"},       // beyond ASCII: SQLite's lower() misses it
		{"a\u0308lice@example.com", "älice@example.com"}, // decomposed ä is the composed one
		{"straße@example.com", "STRASSE@example.com"},    // full case folding
		{"ada@BÜCHER.de", "ada@xn--bcher-kva.de"},        // IDNA: Unicode domain is its ASCII form
		{"ada@example.com.", "ada@example.com"},          // a trailing dot names the same domain
		{"ΣΊΣΥΦΟΣ@example.gr", "σίσυφοσ@example.gr"},     // final sigma folds with the others
	}
	for _, tt := range tests {
		if ka, kb := EmailKey(tt.a), EmailKey(tt.b); ka != kb {
			t.Errorf("EmailKey(%q) = %q, EmailKey(%q) = %q; want the same key", tt.a, ka, tt.b, kb)
		}
	}
	for _, pair := range [][2]string{
		{"alice@example.com", "alice@example.org"},
		{"alice@example.com", "alice2@example.com"},
		{"älice@example.com", "alice@example.com"}, // ä is not a
	} {
		if EmailKey(pair[0]) == EmailKey(pair[1]) {
			t.Errorf("EmailKey(%q) == EmailKey(%q); want different accounts", pair[0], pair[1])
		}
	}
	if got := EmailKey("Ada@Example.COM"); got != "ada@example.com" {
		t.Errorf("EmailKey = %q, want ada@example.com", got)
	}
}
