package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"sync"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/text/unicode/norm"
)

// prehashKey keys the reduction of long passwords. It is fixed (not the
// SECRET_KEY) so that rotating the signing key never locks users out.
var prehashKey = []byte("shortener/bcrypt-prehash/v1")

// bcryptInput returns what bcrypt hashes for password. bcrypt reads only
// 72 bytes, so a longer password is first reduced with a keyed hash: every
// character then counts.
func bcryptInput(password string) []byte {
	if len(password) <= 72 {
		return []byte(password)
	}
	mac := hmac.New(sha256.New, prehashKey)
	mac.Write([]byte(password))
	sum := mac.Sum(nil)
	out := make([]byte, base64.RawStdEncoding.EncodedLen(len(sum)))
	base64.RawStdEncoding.Encode(out, sum)
	return out
}

// Hasher hashes and checks passwords with bcrypt at a fixed cost.
type Hasher struct {
	cost      int
	dummyOnce sync.Once
	dummy     []byte
}

// NewHasher returns a Hasher using the bcrypt cost (4-31).
func NewHasher(cost int) *Hasher { return &Hasher{cost: cost} }

// Hash returns the bcrypt hash of password in Unicode NFC, so that an "é"
// typed as one code point or as "e" + U+0301 is the same password.
func (h *Hasher) Hash(password string) (string, error) {
	b, err := bcrypt.GenerateFromPassword(bcryptInput(norm.NFC.String(password)), h.cost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(b), nil
}

// Check reports whether password matches hash, compared in NFC, and
// whether the caller should store a new Hash of the password (rehash):
//   - hashes made before passwords were normalised hold the password as it
//     was typed: when the NFC form does not match and differs from the raw
//     form, the raw form is tried too;
//   - a hash made at another cost than the Hasher's (BCRYPT_COST changed
//     since): its check takes another time than CheckDummy's, so a login's
//     time would tell such an account from an unknown email. Until the
//     account's next login replaces it, a wrong password against a hash
//     of a lower cost also spends CheckDummy's time.
func (h *Hasher) Check(hash, password string) (ok, rehash bool, err error) {
	nfc := norm.NFC.String(password)
	ok, err = compare(hash, nfc)
	if !ok && err == nil && nfc != password {
		ok, err = compare(hash, password)
		rehash = ok
	}
	cost, cerr := bcrypt.Cost([]byte(hash))
	switch {
	case cerr != nil || err != nil:
	case ok && !rehash:
		rehash = cost != h.cost
	case !ok && cost < h.cost:
		h.CheckDummy(password)
	}
	return ok, rehash, err
}

func compare(hash, password string) (bool, error) {
	err := bcrypt.CompareHashAndPassword([]byte(hash), bcryptInput(password))
	if errors.Is(err, bcrypt.ErrMismatchedHashAndPassword) {
		return false, nil
	}
	return err == nil, err
}

// CheckDummy spends as long as Check does against a real hash, so that a
// login for an unknown email takes as long as one with a wrong password.
func (h *Hasher) CheckDummy(password string) {
	h.dummyOnce.Do(func() {
		h.dummy, _ = bcrypt.GenerateFromPassword([]byte("dummy password for timing"), h.cost)
	})
	_ = bcrypt.CompareHashAndPassword(h.dummy, bcryptInput(password))
}

// Warm computes the dummy hash ahead of the first login.
func (h *Hasher) Warm() { h.CheckDummy("") }
