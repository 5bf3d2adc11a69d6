package shortener

import "testing"

func TestWaitText(t *testing.T) {
	for seconds, want := range map[int]string{
		1: "1 second", 42: "42 seconds", 120: "120 seconds", 121: "3 minutes", 900: "15 minutes",
		3600: "60 minutes", 7200: "120 minutes", 7201: "3 hours", 86400: "24 hours",
	} {
		if got := WaitText(seconds); got != want {
			t.Errorf("WaitText(%d) = %q, want %q", seconds, got, want)
		}
	}
}
