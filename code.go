package shortener

import "crypto/rand"

// codeAlphabet is base62: the characters that survive in a URL path,
// a chat message and a QR code without escaping.
const codeAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// codeByteLimit is the largest multiple of 62 that fits in a byte. Bytes
// at or above it are dropped: taking them modulo 62 would favour the
// first eight characters of the alphabet.
const codeByteLimit = 256 / len(codeAlphabet) * len(codeAlphabet) // 248

// GenerateCode returns n random base62 characters from crypto/rand, each
// character equally likely. It returns "" for n <= 0. The caller checks
// the code for collisions and with IsReservedCode.
func GenerateCode(n int) string {
	if n <= 0 {
		return ""
	}
	out := make([]byte, 0, n)
	// 248 of 256 byte values are kept, so n plus an eighth plus a little
	// usually fills the code in one read.
	buf := make([]byte, n+n/8+8)
	for len(out) < n {
		// crypto/rand.Read never returns an error; it crashes the program
		// when the system generator fails.
		_, _ = rand.Read(buf)
		for _, b := range buf {
			if int(b) >= codeByteLimit {
				continue
			}
			out = append(out, codeAlphabet[int(b)%len(codeAlphabet)])
			if len(out) == n {
				break
			}
		}
	}
	return string(out)
}
