package shortener

import "testing"

func TestPreferredLanguage(t *testing.T) {
	tests := map[string]string{
		"":                                 "",
		"de":                               "de",
		"de-CH, fr;q=0.9, en;q=0.8":        "de",
		"fr;q=0.9, de-CH;q=0.9, en;q=0.8":  "fr", // the first of equals
		"en;q=0.5, pt-BR;q=0.8":            "pt",
		"*":                                "",
		"*;q=1, es;q=0.1":                  "", // any language first: none in particular
		"*, de;q=0.5":                      "",
		"*;q=0.4, es;q=0.5":                "es",
		"en;q=0, it;q=0.2":                 "it",
		"EN-us":                            "en",
		"x1, zh-Hant-TW;q=0.7":             "zh",
		"fr;q=abc, de;q=0.3":               "de", // a malformed q counts as 0
		"  de ; q = 0.7 , nl ; q = 0.71  ": "nl",
		"de;q=2, en":                       "en", // q above 1 is malformed
		"x-klingon, de;q=0.9":              "",   // a private-use tag is preferred
		"de;q=0.9, x-klingon;q=0.5":        "de",
		"i-klingon;q=0.8, fr":              "fr",
	}
	for header, want := range tests {
		if got := PreferredLanguage(header); got != want {
			t.Errorf("PreferredLanguage(%q) = %q, want %q", header, got, want)
		}
	}
}
