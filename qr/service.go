package qr

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/shortener-dev/shortener"
)

// Service answers QR requests for short links: it checks that the code
// exists, answers a revalidation from the ETag alone, and renders through a
// shared cache, since the same few codes are asked for again and again.
type Service struct {
	resolver shortener.Resolver
	baseURL  string
	shared   shortener.BlobCache // nil when caching is off
	local    shortener.BlobCache // nil when caching is off
	ttl      time.Duration
}

// Config holds a Service's dependencies.
type Config struct {
	Resolver shortener.Resolver // tells which codes exist
	BaseURL  string             // the images encode LinkShortURL(BaseURL, link)
	// Cache keeps the common renderings (see isCommon) for every instance;
	// Local, a cache bounded in bytes in this process, keeps the others. A
	// client can invent millions of colour and size combinations: they must
	// not grow the shared cache (Redis) without bound. nil caches or a TTL
	// of 0 turn caching off.
	Cache shortener.BlobCache
	Local shortener.BlobCache
	TTL   time.Duration
}

// NewService returns a Service.
func NewService(c Config) *Service {
	if c.TTL <= 0 {
		c.Cache, c.Local = nil, nil
	}
	return &Service{resolver: c.Resolver, baseURL: c.BaseURL, shared: c.Cache, local: c.Local, ttl: c.TTL}
}

// isCommon reports whether req is one of the few renderings worth sharing:
// default colours, margin and error correction, and an edge that is a
// multiple of 64 px. That is at most 2 formats × 32 sizes per code in the
// shared cache, whatever clients ask for.
func isCommon(req shortener.QRRequest, fg, bg string) bool {
	return fg == defaultForeground && bg == defaultBackground && req.Margin == DefaultMargin &&
		req.ECC == DefaultECC && req.Size%64 == 0
}

// cacheFor returns the cache a rendering goes to, nil for none.
func (s *Service) cacheFor(req shortener.QRRequest, fg, bg string) shortener.BlobCache {
	if isCommon(req, fg, bg) {
		return s.shared
	}
	return s.local
}

// QRCode returns the QR code of the short URL of req.Code, or NotModified
// when req.IfNoneMatch names its ETag. Returns ENOTFOUND when the code is
// unknown or deleted (a disabled or expired link still has its QR code),
// EINVALID for options Render refuses, and the resolver's error when the
// lookup itself fails. A cache that fails is skipped, never an error.
func (s *Service) QRCode(ctx context.Context, req shortener.QRRequest) (*shortener.QRImage, error) {
	t, err := s.resolver.Resolve(ctx, shortener.LinkKey(req.DomainID, req.Code))
	if err != nil {
		return nil, err
	}
	if !t.Found {
		return nil, shortener.ErrLinkNotFound
	}
	fg, bg := hexDigits(req.Foreground, defaultForeground), hexDigits(req.Background, defaultBackground)
	opts := Options{Format: Format(req.Format), Size: req.Size, Margin: req.Margin, ECC: req.ECC}
	if opts.Foreground, err = ParseHexColor(fg); err != nil {
		return nil, invalid("fg", "fg must be 6 hex digits", req.Foreground)
	}
	if opts.Background, err = ParseHexColor(bg); err != nil {
		return nil, invalid("bg", "bg must be 6 hex digits", req.Background)
	}
	content := shortener.LinkShortURL(s.baseURL, &shortener.Link{ShortCode: req.Code, DomainID: req.DomainID, Domain: req.DomainHost})
	etag := imageETag(content, req, fg, bg)
	if etagMatches(req.IfNoneMatch, etag) {
		return &shortener.QRImage{NotModified: true, ETag: etag}, nil
	}
	data, ctype, err := s.render(ctx, s.cacheFor(req, fg, bg), content, cacheKey(req.Code, etag), opts)
	if err != nil {
		return nil, err
	}
	return &shortener.QRImage{ETag: etag, ContentType: ctype, Data: data}, nil
}

// hexDigits returns a colour's digits without '#', lower-cased (so that
// "#ABCDEF" and "abcdef" share an ETag and a cache entry), or def for "".
func hexDigits(colour, def string) string {
	if colour == "" {
		return def
	}
	return strings.ToLower(strings.TrimPrefix(colour, "#"))
}

// Default colours of a QR code, as normalised hex digits.
const (
	defaultForeground = "000000"
	defaultBackground = "ffffff"
)

// render returns the image from cache, or renders it and caches it there
// (nil: no caching).
func (s *Service) render(ctx context.Context, cache shortener.BlobCache, content, key string, opts Options) ([]byte, string, error) {
	if cache != nil {
		if b, ok, err := cache.Get(ctx, key); err == nil && ok {
			return b, contentType(opts.Format), nil
		}
	}
	data, ctype, err := Render(content, opts)
	if err != nil {
		return nil, "", err
	}
	if cache != nil {
		_ = cache.Set(ctx, key, data, s.ttl)
	}
	return data, ctype, nil
}

// contentType is the content type Render gives images of format f.
func contentType(f Format) string {
	if f == FormatSVG {
		return ContentTypeSVG
	}
	return ContentTypePNG
}

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
