package redis

import (
	"strings"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

func TestClickEventCodecRoundTrip(t *testing.T) {
	tests := []struct {
		name  string
		event shortener.ClickEvent
	}{
		{name: "minimal", event: shortener.ClickEvent{ID: "x", OccurredAt: time.Unix(0, 0).UTC()}},
		{name: "full", event: shortener.ClickEvent{
			ID: shortener.NewID(), LinkID: shortener.NewID(),
			OccurredAt: time.Date(2026, 11, 28, 1, 2, 3, 456789012, time.UTC),
			Referrer:   "news.ycombinator.com", Browser: "Firefox", OS: "Linux",
			Device: shortener.DeviceDesktop, Country: "DE", VisitorHash: strings.Repeat("ab", 16),
		}},
		{name: "bot with unicode", event: shortener.ClickEvent{
			ID: "y", Referrer: "例え.jp", Browser: shortener.LabelUnknown, Device: shortener.DeviceBot,
			IsBot: true, OccurredAt: time.Date(1960, 1, 1, 0, 0, 0, 1, time.UTC),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeClickEvent(string(appendClickEvent(nil, tt.event)))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if got != tt.event {
				t.Fatalf("round trip:\n got %+v\nwant %+v", got, tt.event)
			}
		})
	}
}

func TestClickEventCodecRejectsGarbage(t *testing.T) {
	good := string(appendClickEvent(nil, shortener.ClickEvent{ID: "id", Browser: "b"}))
	for name, data := range map[string]string{
		"empty":       "",
		"text":        "garbage",
		"truncated":   good[:len(good)-1],
		"extra byte":  good + "\x00",
		"bad bot":     good[:len(good)-1] + "\x02",
		"no ID":       string(appendClickEvent(nil, shortener.ClickEvent{})),
		"huge length": "\x01\xff\xff\xff\xff\x0f",
	} {
		t.Run(name, func(t *testing.T) {
			if e, err := decodeClickEvent(data); err == nil {
				t.Fatalf("decoded garbage as %+v", e)
			}
		})
	}
}
