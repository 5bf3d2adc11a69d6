package qr_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/qr"
)

// codeResolver knows the codes of its map; err fails every lookup.
type codeResolver struct {
	codes map[string]bool
	err   error
}

func (r codeResolver) Resolve(_ context.Context, code string) (shortener.Target, error) {
	if r.err != nil {
		return shortener.Target{}, r.err
	}
	return shortener.Target{Found: r.codes[code]}, nil
}

// mapCache is a BlobCache in a map that counts its reads.
type mapCache struct {
	m    map[string][]byte
	gets int
}

func (c *mapCache) Get(_ context.Context, key string) ([]byte, bool, error) {
	c.gets++
	b, ok := c.m[key]
	return b, ok, nil
}

func (c *mapCache) Set(_ context.Context, key string, value []byte, _ time.Duration) error {
	c.m[key] = value
	return nil
}

func (c *mapCache) Delete(_ context.Context, keys ...string) error {
	for _, k := range keys {
		delete(c.m, k)
	}
	return nil
}

func newService(cache *mapCache, ttl time.Duration) *qr.Service {
	return newServiceLocal(cache, &mapCache{m: map[string][]byte{}}, ttl)
}

func newServiceLocal(cache, local *mapCache, ttl time.Duration) *qr.Service {
	return qr.NewService(qr.Config{
		Resolver: codeResolver{codes: map[string]bool{"abc": true}},
		BaseURL:  "https://sho.rt/", Cache: cache, Local: local, TTL: ttl,
	})
}

var defaultRequest = shortener.QRRequest{Code: "abc", Format: "png", Size: 256, Margin: 4, ECC: "M"}

// The ETag and the cache key are shared with clients and other instances,
// so they are pinned to the values every earlier version computed.
func TestQRCodeETagAndCacheKeyAreStable(t *testing.T) {
	tests := []struct {
		name string
		req  shortener.QRRequest
		etag string
		ct   string
		// shared: the rendering is a common one, kept in the shared cache
		// (else in the local one).
		shared bool
	}{
		{"defaults", defaultRequest, `"535d4bb368c08999df754236"`, qr.ContentTypePNG, true},
		{"every option, colours normalised",
			shortener.QRRequest{Code: "abc", Format: "svg", Size: 512, Margin: 2, ECC: "H", Foreground: "#1A2B3C", Background: "FAFAFA"},
			`"1ad0c5d56d31ec3e05d09ce4"`, qr.ContentTypeSVG, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shared, local := &mapCache{m: map[string][]byte{}}, &mapCache{m: map[string][]byte{}}
			cache, other := shared, local
			if !tt.shared {
				cache, other = local, shared
			}
			img, err := newServiceLocal(shared, local, time.Hour).QRCode(context.Background(), tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if img.NotModified || img.ETag != tt.etag || img.ContentType != tt.ct || len(img.Data) == 0 {
				t.Fatalf("got NotModified=%v ETag=%s ContentType=%s %d bytes; want the image with ETag %s, %s",
					img.NotModified, img.ETag, img.ContentType, len(img.Data), tt.etag, tt.ct)
			}
			key := "qr:{abc}:" + tt.etag[1:len(tt.etag)-1]
			if !bytes.Equal(cache.m[key], img.Data) || len(cache.m) != 1 || len(other.m) != 0 {
				t.Fatalf("cache holds %d entries (the other %d), want the image under %s", len(cache.m), len(other.m), key)
			}
		})
	}
}

func TestQRCodeServesTheCachedImage(t *testing.T) {
	cache := &mapCache{m: map[string][]byte{}}
	svc := newService(cache, time.Hour)
	first, err := svc.QRCode(context.Background(), defaultRequest)
	if err != nil {
		t.Fatal(err)
	}
	for k := range cache.m {
		cache.m[k] = []byte("cached")
	}
	again, err := svc.QRCode(context.Background(), defaultRequest)
	if err != nil {
		t.Fatal(err)
	}
	if string(again.Data) != "cached" || again.ETag != first.ETag || again.ContentType != qr.ContentTypePNG {
		t.Fatalf("second answer %q %s %s, want the cached bytes with the same ETag", again.Data, again.ETag, again.ContentType)
	}
}

func TestQRCodeWithoutCacheTTL(t *testing.T) {
	cache := &mapCache{m: map[string][]byte{}}
	if _, err := newService(cache, 0).QRCode(context.Background(), defaultRequest); err != nil {
		t.Fatal(err)
	}
	if cache.gets != 0 || len(cache.m) != 0 {
		t.Fatalf("a TTL of 0 used the cache: %d reads, %d entries", cache.gets, len(cache.m))
	}
}

func TestQRCodeNotModified(t *testing.T) {
	const etag = `"535d4bb368c08999df754236"`
	tests := []struct {
		header string
		want   bool
	}{
		{etag, true},
		{"W/" + etag, true},
		{`"other", ` + etag, true},
		{"*", true},
		{`"other"`, false},
		{"", false},
	}
	for _, tt := range tests {
		cache := &mapCache{m: map[string][]byte{}}
		req := defaultRequest
		req.IfNoneMatch = tt.header
		img, err := newService(cache, time.Hour).QRCode(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if img.NotModified != tt.want || img.ETag != etag {
			t.Errorf("If-None-Match %q: NotModified=%v ETag=%s, want %v and %s", tt.header, img.NotModified, img.ETag, tt.want, etag)
		}
		if tt.want && (len(img.Data) != 0 || img.ContentType != "" || cache.gets != 0) {
			t.Errorf("If-None-Match %q: a revalidation rendered or read the cache", tt.header)
		}
	}
}

func TestQRCodeErrors(t *testing.T) {
	down := errors.New("database down")
	tests := []struct {
		name     string
		resolver codeResolver
		req      shortener.QRRequest
		wantCode string
		location string
	}{
		{"unknown code", codeResolver{}, defaultRequest, shortener.ENOTFOUND, ""},
		{"lookup fails", codeResolver{err: down}, defaultRequest, shortener.EINTERNAL, ""},
		{"bad foreground", codeResolver{codes: map[string]bool{"abc": true}},
			shortener.QRRequest{Code: "abc", Format: "png", Size: 256, ECC: "M", Foreground: "12345g"}, shortener.EINVALID, "query.fg"},
		{"bad background", codeResolver{codes: map[string]bool{"abc": true}},
			shortener.QRRequest{Code: "abc", Format: "png", Size: 256, ECC: "M", Background: "#fff"}, shortener.EINVALID, "query.bg"},
		{"same colours", codeResolver{codes: map[string]bool{"abc": true}},
			shortener.QRRequest{Code: "abc", Format: "png", Size: 256, ECC: "M", Foreground: "ffffff"}, shortener.EINVALID, "query.fg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := qr.NewService(qr.Config{Resolver: tt.resolver, BaseURL: "https://sho.rt"})
			_, err := svc.QRCode(context.Background(), tt.req)
			if code := shortener.ErrorCode(err); code != tt.wantCode {
				t.Fatalf("error %v has code %q, want %q", err, code, tt.wantCode)
			}
			var e *shortener.Error
			if tt.location != "" && (!errors.As(err, &e) || len(e.Fields) == 0 || e.Fields[0].Location != tt.location) {
				t.Fatalf("error %v does not name %s", err, tt.location)
			}
		})
	}
}

// A client that invents colours, margins and sizes fills only the local
// cache (bounded in bytes); the shared cache keeps at most the common
// renderings of a code: 2 formats times 32 sizes.
func TestQRCodeSharedCacheIsBounded(t *testing.T) {
	shared, local := &mapCache{m: map[string][]byte{}}, &mapCache{m: map[string][]byte{}}
	svc := newServiceLocal(shared, local, time.Hour)
	ctx := context.Background()
	for i := range 300 {
		req := defaultRequest
		req.Size = 64 + i%200
		req.Foreground = fmt.Sprintf("%06x", i)
		if i%3 == 0 {
			req.Foreground = ""
		}
		req.Margin = i % 5
		if _, err := svc.QRCode(ctx, req); err != nil {
			t.Fatal(err)
		}
	}
	for _, format := range []string{"png", "svg"} {
		for size := 64; size <= 2048; size += 64 {
			req := defaultRequest
			req.Format, req.Size = format, size
			if _, err := svc.QRCode(ctx, req); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := len(shared.m); n > 64 {
		t.Fatalf("the shared cache holds %d renderings of one code, want at most 64", n)
	}
	if len(local.m) == 0 {
		t.Fatal("uncommon renderings were not cached locally")
	}
}
