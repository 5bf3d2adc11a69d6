package auth_test

import (
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/shortener-dev/shortener/auth"
)

// A wrong password against a hash of a lower cost than BCRYPT_COST takes
// at least an unknown email's time (CheckDummy's): a login's time must not
// tell an account whose hash predates a raised cost from no account.
func TestWrongPasswordAgainstALowerCostTakesTheDummysTime(t *testing.T) {
	const cost = 10 // 64 times the work of cost 4
	h := auth.NewHasher(cost)
	h.Warm()
	low, err := bcrypt.GenerateFromPassword([]byte("Correct7Horse"), 4)
	if err != nil {
		t.Fatal(err)
	}
	fastest := func(f func()) time.Duration {
		best := time.Hour
		for range 3 {
			start := time.Now()
			f()
			best = min(best, time.Since(start))
		}
		return best
	}
	dummy := fastest(func() { h.CheckDummy("wrong-Horse7") })
	wrong := fastest(func() {
		if ok, _, err := h.Check(string(low), "wrong-Horse7"); ok || err != nil {
			t.Fatalf("wrong password: ok=%v err=%v", ok, err)
		}
	})
	if wrong < dummy*3/4 {
		t.Fatalf("a wrong password against a cost-4 hash took %v, an unknown email's check %v", wrong, dummy)
	}
	// The right one is not slowed: it is rehashed at the login instead.
	if ok, rehash, err := h.Check(string(low), "Correct7Horse"); !ok || !rehash || err != nil {
		t.Fatalf("right password: ok=%v rehash=%v err=%v", ok, rehash, err)
	}
}
