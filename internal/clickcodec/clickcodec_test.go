package clickcodec_test

import (
	"encoding/hex"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/clickcodec"
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
			got, err := clickcodec.DecodeEvents(nil, string(clickcodec.AppendEvent(nil, tt.event)))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if len(got) != 1 || got[0] != tt.event {
				t.Fatalf("round trip:\n got %+v\nwant %+v", got, tt.event)
			}
		})
	}
}

func TestClickEventCodecRejectsGarbage(t *testing.T) {
	good := string(clickcodec.AppendEvent(nil, shortener.ClickEvent{ID: "id", Browser: "b"}))
	for name, data := range map[string]string{
		"empty":       "",
		"text":        "garbage",
		"truncated":   good[:len(good)-1],
		"extra byte":  good + "\x00",
		"bad bot":     good[:len(good)-1] + "\x02",
		"no ID":       string(clickcodec.AppendEvent(nil, shortener.ClickEvent{})),
		"huge length": "\x01\xff\xff\xff\xff\x0f",
	} {
		t.Run(name, func(t *testing.T) {
			if events, err := clickcodec.DecodeEvents(nil, data); err == nil || len(events) != 0 {
				t.Fatalf("decoded garbage as %+v, %v", events, err)
			}
		})
	}
}

func TestClickEventsOfAnEntry(t *testing.T) {
	a := shortener.ClickEvent{ID: "a", LinkID: "l", OccurredAt: time.Unix(1, 2).UTC(), Browser: "Chrome"}
	b := shortener.ClickEvent{ID: "b", LinkID: "l", OccurredAt: time.Unix(3, 4).UTC(), IsBot: true}
	entry := string(clickcodec.AppendEvent(clickcodec.AppendEvent(nil, a), b))
	prior := shortener.ClickEvent{ID: "prior"}

	got, err := clickcodec.DecodeEvents([]shortener.ClickEvent{prior}, entry)
	if err != nil {
		t.Fatal(err)
	}
	if want := []shortener.ClickEvent{prior, a, b}; !reflect.DeepEqual(got, want) {
		t.Fatalf("decoded %+v, want %+v", got, want)
	}
	// A bad event anywhere spoils the entry: nothing of it is appended.
	for _, bad := range []string{"", entry + "\x00", entry[:len(entry)-1], entry + "garbage"} {
		got, err := clickcodec.DecodeEvents([]shortener.ClickEvent{prior}, bad)
		if err == nil || len(got) != 1 {
			t.Errorf("DecodeEvents(%q) = %d events, %v; want the prior one and an error", bad, len(got), err)
		}
	}
}

// TestClickEventCodecGolden pins the encoded bytes: entries written by an
// earlier build may still be pending in the stream when a new one starts,
// so the layout must only change deliberately (with a new
// clickEventFormat). The hex was captured from the hand-written encoder
// that preceded internal/wire.
func TestClickEventCodecGolden(t *testing.T) {
	tests := []struct {
		name  string
		event shortener.ClickEvent
		v1    string // as format 1 wrote it, before events kept their target
		want  string // format 2: the target after the bot byte
	}{
		{name: "full", event: shortener.ClickEvent{
			ID:          "01890a5d-ac96-774b-bcce-b302099a8057",
			LinkID:      "01890a5d-ac96-774b-bcce-b302099a8058",
			OccurredAt:  time.Date(2026, 11, 28, 1, 2, 3, 456789012, time.UTC),
			Referrer:    "例え.jp",
			Browser:     "Firefox",
			OS:          "Linux",
			Device:      shortener.DeviceDesktop,
			Country:     "DE",
			VisitorHash: strings.Repeat("ab", 16),
		}, v1: "01" +
			"2430313839306135642d616339362d373734622d626363652d623330323039396138303537" +
			"2430313839306135642d616339362d373734622d626363652d623330323039396138303538" +
			"96a0d1b00d" + "9498e8d901" +
			"09e4be8be381882e6a70" + "0746697265666f78" + "054c696e7578" +
			"076465736b746f70" + "024445" + "20" + strings.Repeat("6162", 16) + "00",
			want: "02" +
				"2430313839306135642d616339362d373734622d626363652d623330323039396138303537" +
				"2430313839306135642d616339362d373734622d626363652d623330323039396138303538" +
				"96a0d1b00d" + "9498e8d901" +
				"09e4be8be381882e6a70" + "0746697265666f78" + "054c696e7578" +
				"076465736b746f70" + "024445" + "20" + strings.Repeat("6162", 16) + "00" + "00"},
		{name: "bot before 1970, long referrer", event: shortener.ClickEvent{
			ID:         "y",
			OccurredAt: time.Date(1960, 1, 1, 0, 0, 0, 1, time.UTC),
			Referrer:   strings.Repeat("r", 200),
			Device:     shortener.DeviceBot,
			IsBot:      true,
		}, v1: "01" + "0179" + "00" + "ffddffac02" + "01" +
			"c801" + strings.Repeat("72", 200) + "00" + "00" + "03626f74" + "00" + "00" + "01",
			want: "02" + "0179" + "00" + "ffddffac02" + "01" +
				"c801" + strings.Repeat("72", 200) + "00" + "00" + "03626f74" + "00" + "00" + "01" + "00"},
		{name: "target", event: shortener.ClickEvent{ID: "z", OccurredAt: time.Unix(0, 0).UTC(), Target: "https://a.example/"},
			v1:   "01" + "017a" + "00" + "00" + "00" + "000000000000" + "00",
			want: "02" + "017a" + "00" + "00" + "00" + "000000000000" + "00" + "12" + "68747470733a2f2f612e6578616d706c652f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := hex.EncodeToString(clickcodec.AppendEvent(nil, tt.event))
			if got != tt.want {
				t.Errorf("AppendEvent =\n%s\nwant\n%s", got, tt.want)
			}
			for format, golden := range map[int]string{2: tt.want, 1: tt.v1} {
				data, err := hex.DecodeString(golden)
				if err != nil {
					t.Fatal(err)
				}
				events, err := clickcodec.DecodeEvents(nil, string(data))
				if err != nil {
					t.Fatalf("DecodeEvents(format %d golden): %v", format, err)
				}
				want := tt.event
				if format == 1 {
					want.Target = "" // format 1 had none
				}
				if len(events) != 1 || events[0] != want {
					t.Errorf("DecodeEvents(format %d golden):\n got %+v\nwant %+v", format, events, want)
				}
			}
		})
	}
}

// An event of a later format byte is told apart from garbage: the stream's
// consumer leaves the first for a newer build and drops the second.
func TestDecodeEventsOfALaterFormat(t *testing.T) {
	for data, newer := range map[string]bool{
		"\x03whatever a later build writes": true,
		"\x1f":                              true,
		"\x20not a format":                  false,
		"garbage":                           false,
		"\x00":                              false,
		// A batch is one build's: a later event of a newer format is damage.
		string(clickcodec.AppendEvent(nil, shortener.ClickEvent{ID: "a", LinkID: "l"})) + "\x03": false,
	} {
		_, err := clickcodec.DecodeEvents(nil, data)
		if err == nil || errors.Is(err, clickcodec.ErrNewerFormat) != newer {
			t.Errorf("DecodeEvents(%q): %v, want a newer format: %v", data, err, newer)
		}
	}
}
