package shortener_test

import (
	"reflect"
	"testing"

	"github.com/shortener-dev/shortener"
)

func TestUniqueClicks(t *testing.T) {
	const (
		idA   = "0190b6a0-0000-7000-8000-00000000000a"
		idB   = "0190b6a0-0000-7000-8000-00000000000b"
		link  = "0190b6a0-0000-7000-8000-0000000000aa"
		upper = "0190B6A0-0000-7000-8000-00000000000A" // idA in capitals
	)
	tests := []struct {
		name   string
		clicks []shortener.ClickEvent
		want   []shortener.ClickEvent
	}{
		{name: "empty", clicks: nil, want: []shortener.ClickEvent{}},
		{name: "distinct kept in order",
			clicks: []shortener.ClickEvent{{ID: idB, LinkID: link}, {ID: idA, LinkID: link}},
			want:   []shortener.ClickEvent{{ID: idB, LinkID: link}, {ID: idA, LinkID: link}}},
		{name: "first of a repeated ID wins",
			clicks: []shortener.ClickEvent{{ID: idA, LinkID: link, Browser: "first"}, {ID: idB, LinkID: link}, {ID: idA, LinkID: link, Browser: "second"}},
			want:   []shortener.ClickEvent{{ID: idA, LinkID: link, Browser: "first"}, {ID: idB, LinkID: link}}},
		{name: "IDs lower-cased, so two spellings are one click",
			clicks: []shortener.ClickEvent{{ID: upper, LinkID: "0190B6A0-0000-7000-8000-0000000000AA"}, {ID: idA, LinkID: link}},
			want:   []shortener.ClickEvent{{ID: idA, LinkID: link}}},
		{name: "ID not a UUID",
			clicks: []shortener.ClickEvent{{ID: "click-1", LinkID: link}, {ID: idB, LinkID: link}},
			want:   []shortener.ClickEvent{{ID: idB, LinkID: link}}},
		{name: "link ID not a UUID",
			clicks: []shortener.ClickEvent{{ID: idA, LinkID: "link-1"}, {ID: idB, LinkID: ""}},
			want:   []shortener.ClickEvent{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := append([]shortener.ClickEvent(nil), tt.clicks...)
			got := shortener.UniqueClicks(tt.clicks)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("UniqueClicks =\n%+v\nwant\n%+v", got, tt.want)
			}
			if !reflect.DeepEqual(tt.clicks, before) {
				t.Errorf("UniqueClicks changed its argument: %+v", tt.clicks)
			}
		})
	}
}
