package auth_test

import (
	"testing"

	"github.com/shortener-dev/shortener/auth"
)

func TestLinkPasswords(t *testing.T) {
	hash, err := auth.NewHasher(4).Hash("open sesame")
	if err != nil {
		t.Fatal(err)
	}
	p := auth.NewLinkPasswords()
	if p.Check(hash, "open sesam") || p.Check(hash, "") {
		t.Fatal("a wrong password passed")
	}
	if !p.Check(hash, "open sesame") {
		t.Fatal("the right password failed")
	}
	before := auth.BcryptsForTest(p)
	for range 100 {
		if !p.Check(hash, "open sesame") {
			t.Fatal("the right password failed on a repeat")
		}
	}
	if n := auth.BcryptsForTest(p) - before; n != 0 {
		t.Fatalf("100 repeats of a right password cost %d bcrypt comparisons, want 0", n)
	}
	// Wrong passwords are never remembered: each costs a comparison.
	before = auth.BcryptsForTest(p)
	for range 3 {
		if p.Check(hash, "open sesame ") {
			t.Fatal("a wrong password passed")
		}
	}
	if n := auth.BcryptsForTest(p) - before; n != 3 {
		t.Fatalf("3 wrong passwords cost %d comparisons, want 3", n)
	}
	// NFC: the decomposed form is the same password.
	nfcHash, _ := auth.NewHasher(4).Hash("caf\u00e9")
	if !p.Check(nfcHash, "cafe\u0301") {
		t.Fatal("passwords are not compared in NFC")
	}
	other, _ := auth.NewHasher(4).Hash("other")
	if p.Check(other, "open sesame") {
		t.Fatal("a password remembered for one link opened another")
	}
}
