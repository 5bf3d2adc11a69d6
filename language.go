package shortener

import (
	"strconv"
	"strings"
)

// PreferredLanguage returns the primary subtag, lower case, of the language
// an Accept-Language header prefers: the highest q, the first of equals;
// "*" and q=0 do not count. It returns "" when the header names none,
// and when it prefers a private-use tag (x-klingon), which no rule names.
// ("de-CH;q=0.9, fr;q=0.9, en;q=0.8" prefers "de".)
func PreferredLanguage(header string) string {
	best, bestQ := "", 0.0
	for part := range strings.SplitSeq(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		for p := range strings.SplitSeq(params, ";") {
			name, value, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(name), "q") {
				v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
				if err != nil || v < 0 || v > 1 {
					v = 0
				}
				q = v
			}
		}
		primary, rest, _ := strings.Cut(strings.TrimSpace(tag), "-")
		if q <= bestQ {
			continue
		}
		if (primary == "x" || primary == "X" || primary == "i" || primary == "I") && rest != "" {
			// A private-use or grandfathered tag (x-klingon) is a
			// preference too, for a language no rule can name.
			best, bestQ = "", q
			continue
		}
		if len(primary) < 2 || len(primary) > 8 || !isASCIILetters(primary) {
			continue
		}
		best, bestQ = strings.ToLower(primary), q
	}
	return best
}
