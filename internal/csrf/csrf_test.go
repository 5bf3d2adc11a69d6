package csrf_test

import (
	"bytes"
	"testing"

	"github.com/shortener-dev/shortener/internal/csrf"
)

func TestTokens(t *testing.T) {
	if _, err := csrf.New(make([]byte, csrf.MinKey-1)); err == nil {
		t.Fatal("a key of 31 bytes was taken")
	}
	s, err := csrf.New(bytes.Repeat([]byte("k"), csrf.MinKey))
	if err != nil {
		t.Fatal(err)
	}
	other, _ := csrf.New(bytes.Repeat([]byte("o"), csrf.MinKey))
	seed, seed2 := csrf.NewSeed(), csrf.NewSeed()
	if seed == seed2 || !csrf.ValidSeed(seed) || csrf.ValidSeed("x") || csrf.ValidSeed(seed+"A") {
		t.Fatalf("seeds %q, %q", seed, seed2)
	}
	token := s.Token(seed, "user-1")
	for _, c := range []struct {
		name                 string
		signer               *csrf.Signer
		seed, token, binding string
		want                 bool
	}{
		{"its own", s, seed, token, "user-1", true},
		{"another binding", s, seed, token, "user-2", false},
		{"another seed", s, seed2, token, "user-1", false},
		{"another key", other, seed, token, "user-1", false},
		{"the seed as token", s, seed, seed, "user-1", false},
		{"a made-up seed", s, "x", s.Token("x", "user-1"), "user-1", false},
		{"not base64", s, seed, token + "!", "user-1", false},
	} {
		if got := c.signer.Valid(c.seed, c.token, c.binding); got != c.want {
			t.Errorf("%s: Valid = %v, want %v", c.name, got, c.want)
		}
	}
}
