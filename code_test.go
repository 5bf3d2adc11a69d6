package shortener

import (
	"strings"
	"testing"
)

func TestGenerateCodeLengthAndAlphabet(t *testing.T) {
	for _, n := range []int{1, 2, 7, 12, 64, 1000} {
		code := GenerateCode(n)
		if len(code) != n {
			t.Fatalf("GenerateCode(%d) has length %d", n, len(code))
		}
		if i := strings.IndexFunc(code, func(r rune) bool { return !strings.ContainsRune(codeAlphabet, r) }); i >= 0 {
			t.Fatalf("GenerateCode(%d) = %q has %q outside base62", n, code, code[i])
		}
	}
	for _, n := range []int{0, -1} {
		if code := GenerateCode(n); code != "" {
			t.Fatalf("GenerateCode(%d) = %q, want empty", n, code)
		}
	}
	if len(codeAlphabet) != 62 {
		t.Fatalf("alphabet has %d characters", len(codeAlphabet))
	}
}

func TestGenerateCodeIsRandom(t *testing.T) {
	seen := make(map[string]bool)
	for range 1000 {
		c := GenerateCode(7)
		if seen[c] {
			t.Fatalf("GenerateCode(7) repeated %q within 1000 calls", c)
		}
		seen[c] = true
	}
}

// TestGenerateCodeUniform runs a chi-square test over 100,000 characters.
// With 61 degrees of freedom the statistic averages 61 (standard deviation
// 11); 150 is exceeded by chance with probability below 1e-8, while the
// bias of a plain "byte % 62" (the first 8 characters 25% more likely)
// scores about 660.
func TestGenerateCodeUniform(t *testing.T) {
	const n = 100_000
	var counts [128]int
	for _, c := range []byte(GenerateCode(n)) {
		counts[c]++
	}
	expected := float64(n) / float64(len(codeAlphabet))
	chi2 := 0.0
	for i := 0; i < len(codeAlphabet); i++ {
		d := float64(counts[codeAlphabet[i]]) - expected
		chi2 += d * d / expected
	}
	if chi2 > 150 {
		t.Fatalf("chi-square = %.1f over 61 degrees of freedom, want <= 150", chi2)
	}
	t.Logf("chi-square = %.1f", chi2)
}
