package shortener

import (
	"encoding/json"
	"fmt"
)

// The stored form of rules and variants: JSON in the shape of the API, so
// that a database row reads like the request that wrote it. Both engines
// use these, so they store the same text.

type ruleJSON struct {
	URL       string   `json:"url"`
	Devices   []string `json:"device,omitempty"`
	Countries []string `json:"country,omitempty"`
	Languages []string `json:"language,omitempty"`
}

type variantJSON struct {
	URL    string `json:"url"`
	Weight int    `json:"weight"`
}

// EncodeRules returns the stored form of rules ("[]" for none).
func EncodeRules(rules []TargetRule) string {
	out := make([]ruleJSON, len(rules))
	for i, r := range rules {
		out[i] = ruleJSON(r)
	}
	b, _ := json.Marshal(out) // strings and slices of strings: cannot fail
	return string(b)
}

// DecodeRules reads rules as EncodeRules wrote them; "" is none.
func DecodeRules(s string) ([]TargetRule, error) {
	if s == "" || s == "[]" {
		return nil, nil
	}
	var in []ruleJSON
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, fmt.Errorf("decode link rules: %w", err)
	}
	out := make([]TargetRule, len(in))
	for i, r := range in {
		out[i] = TargetRule(r)
	}
	return out, nil
}

// EncodeVariants returns the stored form of variants, nil for none.
func EncodeVariants(vs []Variant) *string {
	if vs == nil {
		return nil
	}
	out := make([]variantJSON, len(vs))
	for i, v := range vs {
		out[i] = variantJSON(v)
	}
	b, _ := json.Marshal(out)
	s := string(b)
	return &s
}

// DecodeVariants reads variants as EncodeVariants wrote them; nil is none.
func DecodeVariants(s *string) ([]Variant, error) {
	if s == nil {
		return nil, nil
	}
	var in []variantJSON
	if err := json.Unmarshal([]byte(*s), &in); err != nil {
		return nil, fmt.Errorf("decode link variants: %w", err)
	}
	out := make([]Variant, len(in))
	for i, v := range in {
		out[i] = Variant(v)
	}
	return out, nil
}

// StoredRules is the stored form of the update's rules, nil when it leaves
// them as they are.
func (u LinkUpdate) StoredRules() *string {
	if u.Rules == nil {
		return nil
	}
	s := EncodeRules(*u.Rules)
	return &s
}

// StoredVariants is the stored form of the update's variants, nil when it
// leaves them as they are (ClearVariants removes them).
func (u LinkUpdate) StoredVariants() *string {
	if u.Variants == nil {
		return nil
	}
	return EncodeVariants(*u.Variants)
}
