package shortener

import (
	"iter"
	"strconv"
	"strings"
)

// PreferredLanguage returns the primary subtag, lower case, of the language
// an Accept-Language header prefers: the highest q, the first of equals;
// q=0 does not count. It returns "" when the header names none, and when
// it prefers "*" (any language: no rule's in particular) or a private-use
// tag (x-klingon), which no rule names.
// ("de-CH;q=0.9, fr;q=0.9, en;q=0.8" prefers "de".)
func PreferredLanguage(header string) string {
	best, bestQ := "", 0.0
	for tag, q := range QualityValues(header) {
		primary, rest, _ := strings.Cut(tag, "-")
		if q <= bestQ {
			continue
		}
		if primary == "*" || ((primary == "x" || primary == "X" || primary == "i" || primary == "I") && rest != "") {
			// "*", a private-use or a grandfathered tag (x-klingon) is
			// a preference too, for no language a rule can name.
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

// QualityValues yields each element of a header list with quality values
// (Accept, Accept-Language; RFC 9110, 12.4.2), in the header's order: the
// element without its parameters, trimmed, and its q (1 when absent; 0
// when it is not a number from 0 to 1).
func QualityValues(header string) iter.Seq2[string, float64] {
	return func(yield func(string, float64) bool) {
		for part := range strings.SplitSeq(header, ",") {
			value, params, _ := strings.Cut(part, ";")
			q := 1.0
			for p := range strings.SplitSeq(params, ";") {
				name, v, ok := strings.Cut(strings.TrimSpace(p), "=")
				if ok && strings.EqualFold(strings.TrimSpace(name), "q") {
					f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
					if err != nil || f < 0 || f > 1 {
						f = 0
					}
					q = f
				}
			}
			if !yield(strings.TrimSpace(value), q) {
				return
			}
		}
	}
}
