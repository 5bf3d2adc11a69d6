package shortener_test

import (
	"encoding/base64"
	"net/netip"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

func TestCheckWebhookURL(t *testing.T) {
	own := []string{"sho.rt"}
	tests := []struct {
		url          string
		allowPrivate bool
		ok           bool
	}{
		{"https://hooks.example.com/in", false, true},
		{"http://127.0.0.1:9000/hook", false, false},
		{"http://127.0.0.1:9000/hook", true, true},
		{"http://[::1]/hook", true, true},
		{"http://localhost:8080/", false, false},
		{"http://localhost:8080/", true, true},
		{"http://receiver:8080/", false, false},
		{"http://receiver:8080/", true, true},
		{"https://sho.rt/hook", false, false},
		{"https://sho.rt/hook", true, true},
		{"http://169.254.169.254/latest", false, false},
		// Syntax stays refused, private or not.
		{"ftp://example.com/", true, false},
		{"http://user:pw@127.0.0.1/", true, false},
		{"not a url", true, false},
		{"", true, false},
	}
	for _, tt := range tests {
		err := shortener.CheckWebhookURL("body.url", tt.url, own, tt.allowPrivate)
		if (err == nil) != tt.ok {
			t.Errorf("CheckWebhookURL(%q, allowPrivate=%v) = %v, want ok=%v", tt.url, tt.allowPrivate, err, tt.ok)
		}
		if err != nil && shortener.ErrorCode(err) != shortener.EINVALID {
			t.Errorf("CheckWebhookURL(%q) = %v, want EINVALID", tt.url, err)
		}
	}
}

func TestIsGlobalAddr(t *testing.T) {
	for s, want := range map[string]bool{"8.8.8.8": true, "127.0.0.1": false, "10.1.2.3": false, "::1": false,
		"::ffff:192.168.1.1": false, "2606:4700::1111": true, "169.254.169.254": false, "100.64.0.1": false} {
		if got := shortener.IsGlobalAddr(netip.MustParseAddr(s)); got != want {
			t.Errorf("IsGlobalAddr(%s) = %v, want %v", s, got, want)
		}
	}
}

func TestCheckWebhookEvents(t *testing.T) {
	got, err := shortener.CheckWebhookEvents("body.events", []string{"link.clicked", "link.created", "link.clicked"})
	if err != nil || !slices.Equal(got, []string{"link.created", "link.clicked"}) {
		t.Errorf("CheckWebhookEvents = %v, %v", got, err)
	}
	for _, bad := range [][]string{nil, {"ping"}, {"link.created", "link.exploded"}} {
		if _, err := shortener.CheckWebhookEvents("body.events", bad); shortener.ErrorCode(err) != shortener.EINVALID {
			t.Errorf("CheckWebhookEvents(%q) = %v, want EINVALID", bad, err)
		}
	}
	if e := shortener.SplitEvents(shortener.JoinEvents(shortener.WebhookEvents)); !slices.Equal(e, shortener.WebhookEvents) {
		t.Errorf("events do not survive JoinEvents/SplitEvents: %v", e)
	}
}

func TestWebhookSecret(t *testing.T) {
	s := shortener.NewWebhookSecret()
	if !strings.HasPrefix(s, "whsec_") {
		t.Fatalf("secret %q lacks whsec_", s)
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s, "whsec_"))
	if err != nil || len(raw) != 32 {
		t.Fatalf("secret %q is not base64 of 32 bytes", s)
	}
	key, err := shortener.WebhookSecretKey(s)
	if err != nil || !slices.Equal(key, raw) {
		t.Errorf("WebhookSecretKey = %x, %v", key, err)
	}
	if _, err := shortener.WebhookSecretKey("whsec_!!"); err == nil {
		t.Error("a malformed secret gave a key")
	}
	if shortener.NewWebhookSecret() == s {
		t.Error("two secrets alike")
	}
}

func TestLinkSnapshot(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	title, max := "T", int64(5)
	l := &shortener.Link{ID: "id", ShortCode: "abc", OriginalURL: "https://example.com/", Title: &title,
		IsActive: true, CreatedAt: at, UpdatedAt: at, RedirectType: 301, MaxClicks: &max,
		PasswordHash: "$2a$12$secret", Rules: []shortener.TargetRule{{URL: "https://m.example.com/", Devices: []string{"mobile"}}},
		Variants: []shortener.Variant{{URL: "https://a.example.com/", Weight: 1}, {URL: "https://b.example.com/", Weight: 2}}}
	b := shortener.EncodeLinkSnapshot(l)
	if strings.Contains(string(b), "$2a$") {
		t.Fatalf("snapshot keeps the password hash: %s", b)
	}
	got, err := shortener.DecodeLinkSnapshot(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.PasswordHash == "" {
		t.Error("snapshot lost that the link has a password")
	}
	got.PasswordHash = l.PasswordHash
	if !reflect.DeepEqual(got, l) {
		t.Errorf("snapshot round trip:\n got %+v\nwant %+v", got, l)
	}
	if l.PasswordHash != "$2a$12$secret" {
		t.Error("EncodeLinkSnapshot changed the link")
	}
}
