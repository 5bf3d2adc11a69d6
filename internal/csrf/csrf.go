// Package csrf is the CSRF protection of every form the service serves,
// the web app's and a password link's: a random seed in an HttpOnly
// cookie, and in the form the HMAC of the seed and what the form is bound
// to (the signed-in user, a link) under a server key. A page on another
// site can neither read the seed nor compute the HMAC, and a pair planted
// by a sibling subdomain is bound to what the planter could get (its own
// account), not to the victim's.
package csrf

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
)

// MinKey is the shortest key New accepts: 256 bits.
const MinKey = 32

// Signer makes and checks the tokens of one key. It is safe for
// concurrent use.
type Signer struct{ key []byte }

// New returns a Signer for key, which every instance behind one BASE_URL
// must share; it refuses a key shorter than MinKey.
func New(key []byte) (*Signer, error) {
	if len(key) < MinKey {
		return nil, errors.New("csrf: the key must be at least 32 bytes")
	}
	return &Signer{key: key}, nil
}

// NewSeed returns a fresh seed for a browser's cookie.
func NewSeed() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand's contract since Go 1.24)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ValidSeed reports whether s looks like a seed NewSeed made.
func ValidSeed(s string) bool {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil && len(b) == 32
}

// Token is the token of a form bound to binding, for the browser whose
// cookie holds seed.
func (s *Signer) Token(seed, binding string) string {
	return base64.RawURLEncoding.EncodeToString(s.sign(seed, binding))
}

// Valid reports whether token is the token of a form bound to binding for
// the seed the request's cookie holds.
func (s *Signer) Valid(seed, token, binding string) bool {
	got, err := base64.RawURLEncoding.DecodeString(token)
	return err == nil && ValidSeed(seed) && hmac.Equal(got, s.sign(seed, binding))
}

func (s *Signer) sign(seed, binding string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("web csrf v1\x00" + seed + "\x00" + binding))
	return m.Sum(nil)
}
