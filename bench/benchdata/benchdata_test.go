package benchdata

import (
	"testing"

	"github.com/shortener-dev/shortener"
)

func TestCodesAreDistinctSevenCharacterCodes(t *testing.T) {
	seen := map[string]bool{}
	for _, i := range []int{0, 1, 9, 10, 99_999, 100_000, MaxCodes - 1} {
		code := Code(i)
		if len(code) != 7 || seen[code] {
			t.Errorf("Code(%d) = %q: want 7 characters, not seen before", i, code)
		}
		seen[code] = true
		if err := shortener.CheckAlias(code); err != nil {
			t.Errorf("Code(%d) = %q is not a valid code: %v", i, code, err)
		}
		if err := shortener.CheckURL(TargetURL(i), []string{"127.0.0.1"}); err != nil {
			t.Errorf("TargetURL(%d) is refused by the service: %v", i, err)
		}
	}
	if HotCode() != Code(0) {
		t.Errorf("HotCode() = %q", HotCode())
	}
}

func TestCheckCount(t *testing.T) {
	for n, ok := range map[int]bool{-1: false, 0: false, 1: true, DefaultCodes: true, MaxCodes: true, MaxCodes + 1: false} {
		if err := CheckCount(n); (err == nil) != ok {
			t.Errorf("CheckCount(%d) = %v, want ok=%v", n, err, ok)
		}
	}
}
