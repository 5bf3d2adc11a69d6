package httpapi

import (
	"net/http/httptest"
	"testing"
)

func TestAcceptsHTML(t *testing.T) {
	tests := map[string]bool{
		"": false,
		"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8": true, // a browser
		"*/*":                               false,
		"text/html":                         true,
		"TEXT/HTML; charset=utf-8":          true,
		"text/*":                            true,
		"application/json":                  false,
		"application/json, text/html":       true, // equals: the page
		"application/json, text/html;q=0.9": false,
		"text/html;q=0":                     false,
		"text/html;q=0, */*":                false,
		"text/html;q=0.5, */*;q=0.4":        true,
		"text/html;q=0.5, application/*":    false,
		"application/problem+json;q=0.1, text/html;q=0.2": true,
		"text/plain, */*;q=0.5":                           false,
	}
	for accept, want := range tests {
		r := httptest.NewRequest("GET", "/abc", nil)
		if accept != "" {
			r.Header.Set("Accept", accept)
		}
		if got := acceptsHTML(r); got != want {
			t.Errorf("acceptsHTML(Accept: %q) = %v, want %v", accept, got, want)
		}
	}
	// Two Accept lines are one list.
	r := httptest.NewRequest("GET", "/abc", nil)
	r.Header.Add("Accept", "application/json;q=0.5")
	r.Header.Add("Accept", "text/html")
	if !acceptsHTML(r) {
		t.Error("text/html in a second Accept line above JSON in the first: want the page")
	}
}
