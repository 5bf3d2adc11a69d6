package httpapi

import "github.com/shortener-dev/shortener"

// validCode reports whether code could be a short code at all
// (shortener.IsCodeText). It is the one rule of every route that takes a
// code (the redirect, the summary, the QR code): anything else is answered
// 404 without a lookup, so junk never reaches a cache or the database, and
// NUL or invalid UTF-8 never reaches PostgreSQL (which refuses them with
// an error, a 500).
func validCode(code string) bool { return shortener.IsCodeText(code) }

// checkCode is validCode for the API: ENOTFOUND, as for an unknown code.
func checkCode(code string) error {
	if !validCode(code) {
		return shortener.ErrLinkNotFound
	}
	return nil
}
