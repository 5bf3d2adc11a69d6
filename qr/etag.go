package qr

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/shortener-dev/shortener"
)

// imageETag returns the quoted entity tag of an image. Rendering is
// deterministic, so the tag follows from the inputs, and a revalidation needs
// no rendering at all. fg and bg are the normalised colour digits.
//
// The tag is also part of the cache key and may be held by clients and by
// other instances' caches: changing what goes into it changes every tag.
func imageETag(content string, req shortener.QRRequest, fg, bg string) string {
	params := fmt.Sprintf("%s|%s|%d|%d|%s|%s|%s", content, req.Format, req.Size, req.Margin, req.ECC, fg, bg)
	sum := sha256.Sum256([]byte(params))
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

// cacheKey names an image in the BlobCache. The code is a hash tag, so that
// in Redis Cluster a code's images share its slot.
func cacheKey(code, etag string) string {
	return "qr:{" + code + "}:" + strings.Trim(etag, `"`)
}

// etagMatches reports whether an If-None-Match header names etag: "*", the
// tag itself, or its weak form (If-None-Match compares weakly).
func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, v := range strings.Split(header, ",") {
		v = strings.TrimSpace(v)
		if v == "*" || strings.TrimPrefix(v, "W/") == etag {
			return true
		}
	}
	return false
}
