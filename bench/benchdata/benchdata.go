// Package benchdata is the one definition of the links the load benchmark
// uses, shared by the seeding program and the yardstick server so that both
// answer for exactly the same codes. The wrk scripts under bench/wrk repeat
// the code format (Lua cannot import Go); keep them in step with CodeFormat.
package benchdata

import "fmt"

// CodeFormat makes the i-th short code: seven characters, the service's
// default code length, so lookups hash and compare keys of the real size.
const CodeFormat = "b%06d"

// MaxCodes is how many distinct codes CodeFormat can make.
const MaxCodes = 1_000_000

// DefaultCodes is the number of links of the rotating scenario.
const DefaultCodes = 100_000

// Code returns the i-th short code, 0 <= i < MaxCodes.
func Code(i int) string { return fmt.Sprintf(CodeFormat, i) }

// HotCode is the single code of the hot-link scenario.
func HotCode() string { return Code(0) }

// TargetURL returns where the i-th code redirects to. It is a public
// https URL, so the service's URL checks accept it; nothing ever follows
// the redirect.
func TargetURL(i int) string { return fmt.Sprintf("https://example.com/landing/%06d", i) }

// CheckCount reports whether n codes can be made.
func CheckCount(n int) error {
	if n < 1 || n > MaxCodes {
		return fmt.Errorf("code count must be between 1 and %d, got %d", MaxCodes, n)
	}
	return nil
}
