package shortener

import (
	"net/url"
	"strings"
)

// ForwardQuery merges the request's raw query into target's (API.md,
// forward_query): the target's parameters in their order, then the
// request's new ones in theirs; a name the request sends replaces all of
// the target's values for that name, at the place of its first one.
// Parameters keep their encoding as sent; the target's fragment stays last.
func ForwardQuery(target, rawQuery string) string {
	reqPairs := splitQuery(rawQuery)
	if len(reqPairs) == 0 {
		return target
	}
	base, fragment, hasFragment := strings.Cut(target, "#")
	path, targetQuery, _ := strings.Cut(base, "?")

	sent := map[string][]string{} // request name → its raw pairs, in order
	for _, p := range reqPairs {
		name := queryName(p)
		sent[name] = append(sent[name], p)
	}
	var out []string
	had := map[string]bool{}
	for _, p := range splitQuery(targetQuery) {
		name := queryName(p)
		if repl, ok := sent[name]; ok {
			if !had[name] {
				out = append(out, repl...)
			}
			had[name] = true
			continue
		}
		had[name] = true
		out = append(out, p)
	}
	for _, p := range reqPairs {
		if !had[queryName(p)] {
			out = append(out, p)
		}
	}
	result := path + "?" + strings.Join(out, "&")
	if hasFragment {
		result += "#" + fragment
	}
	return result
}

// splitQuery returns the non-empty name=value segments of a raw query.
func splitQuery(q string) []string {
	var out []string
	for _, p := range strings.Split(q, "&") {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// queryName returns the decoded name of a raw name=value segment, so that
// "a%20b" and "a+b" name the same parameter.
func queryName(pair string) string {
	name, _, _ := strings.Cut(pair, "=")
	if n, err := url.QueryUnescape(name); err == nil {
		return n
	}
	return name
}
