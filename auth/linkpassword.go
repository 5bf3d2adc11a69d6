package auth

import (
	"crypto/sha256"
	"sync/atomic"
	"time"

	"github.com/maypok86/otter/v2"
)

// LinkPasswords checks the passwords of password-protected links on the
// redirect. bcrypt on every request would let anyone who knows a link's
// password spend a server core per request, so a right password is
// remembered for a while, keyed by a SHA-256 of the stored hash and the
// password (neither kept in the clear): a repeat costs a map lookup. A
// wrong password always costs a bcrypt; the attempt limit per link and
// client bounds those.
type LinkPasswords struct {
	hasher   *Hasher
	verified *otter.Cache[[sha256.Size]byte, struct{}]
	bcrypts  atomic.Int64 // comparisons made, for tests
}

// Bounds of the memory of verified passwords.
const (
	verifiedLinkPasswords = 10000
	verifiedFor           = 10 * time.Minute
)

// NewLinkPasswords returns a checker; hashes are bcrypt of any cost.
func NewLinkPasswords() *LinkPasswords {
	return &LinkPasswords{
		hasher: NewHasher(0),
		verified: otter.Must(&otter.Options[[sha256.Size]byte, struct{}]{
			MaximumSize:      verifiedLinkPasswords,
			ExpiryCalculator: otter.ExpiryWriting[[sha256.Size]byte, struct{}](verifiedFor),
		}),
	}
}

// Check reports whether password is the one hash was made of, compared in
// NFC like account passwords.
func (p *LinkPasswords) Check(hash, password string) bool {
	h := sha256.New()
	h.Write([]byte(hash))
	h.Write([]byte{0})
	h.Write([]byte(password))
	var key [sha256.Size]byte
	h.Sum(key[:0])
	if _, ok := p.verified.GetIfPresent(key); ok {
		return true
	}
	p.bcrypts.Add(1)
	ok, _, err := p.hasher.Check(hash, password)
	if err != nil || !ok {
		return false
	}
	p.verified.Set(key, struct{}{})
	return true
}
