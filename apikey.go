package shortener

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"
)

// API keys (API.md, "API keys"): credentials for integrations that are not
// a user's password, limited to scopes, optionally expiring, revocable.

// Scope names what an API key may do.
type Scope string

// Scopes of API keys. An access token (a person's login) holds them all.
const (
	ScopeLinksRead     Scope = "links:read"     // reading links, tags, domains, QR codes
	ScopeLinksWrite    Scope = "links:write"    // creating, changing, deleting links; bulk, import
	ScopeAnalyticsRead Scope = "analytics:read" // summaries, click export
	ScopeWebhooksWrite Scope = "webhooks:write" // every webhook call
)

// AllScopes lists every scope, in the order they are documented.
var AllScopes = []Scope{ScopeLinksRead, ScopeLinksWrite, ScopeAnalyticsRead, ScopeWebhooksWrite}

// Format of an API key: APIKeyPrefix and APIKeyRandomChars base62
// characters from a CSPRNG (log2(62^40) ≈ 238 bits). KeyDisplayLength
// characters of it are kept in the clear, to recognise a key by.
const (
	APIKeyPrefix      = "shk_"
	APIKeyRandomChars = 40
	KeyDisplayLength  = 12
	MaxKeyNameLength  = 100
)

// APIKey is a stored API key. The key itself is never stored: only its
// hash (HashAPIKey) and its first KeyDisplayLength characters.
type APIKey struct {
	ID         string
	UserID     string
	Name       string
	Prefix     string // the key's first KeyDisplayLength characters
	KeyHash    string // HashAPIKey of the key
	Scopes     []Scope
	CreatedAt  time.Time
	ExpiresAt  *time.Time // nil: never
	LastUsedAt *time.Time // nil: never used; updated at most once a minute
}

// Expired reports whether k has expired at now.
func (k *APIKey) Expired(now time.Time) bool {
	return k.ExpiresAt != nil && !now.Before(*k.ExpiresAt)
}

// KeyStore keeps API keys.
type KeyStore interface {
	// CreateKey inserts k (ID and times set by the caller) for an
	// existing user.
	CreateKey(ctx context.Context, k *APIKey) error

	// KeyByHash returns the key with the given hash, expired or not.
	// Returns ENOTFOUND if there is none (never issued, or revoked).
	KeyByHash(ctx context.Context, hash string) (*APIKey, error)

	// ListKeys returns the user's keys, newest first; none is an empty list.
	ListKeys(ctx context.Context, userID string) ([]*APIKey, error)

	// DeleteKey deletes (revokes) the key id of the user. Returns ENOTFOUND
	// if the user has no such key, whoever else may have one.
	DeleteKey(ctx context.Context, userID, id string) error

	// TouchKey sets the key's last_used_at to at unless it is already
	// after at minus every (so that instances racing to record a use write
	// once). Touching a deleted key is not an error.
	TouchKey(ctx context.Context, id string, at time.Time, every time.Duration) error
}

// MsgKeyNotFound is the message of a key that does not exist or is not the
// caller's.
const MsgKeyNotFound = "API key not found."

// NewAPIKey returns a fresh API key: APIKeyPrefix and APIKeyRandomChars
// base62 characters from crypto/rand.
func NewAPIKey() string { return APIKeyPrefix + GenerateCode(APIKeyRandomChars) }

// IsAPIKey reports whether a credential has the shape of an API key
// rather than an access token (a JWT never starts with "shk_").
func IsAPIKey(credential string) bool { return strings.HasPrefix(credential, APIKeyPrefix) }

// APIKeyDisplayPrefix returns the part of key kept in the clear.
func APIKeyDisplayPrefix(key string) string {
	if len(key) < KeyDisplayLength {
		return key
	}
	return key[:KeyDisplayLength]
}

// HashAPIKey returns the stored form of an API key: hex SHA-256. A plain
// hash suffices (no bcrypt, no server-side key): the key has ≥ 238 random
// bits, so no dictionary or brute force can invert it, and a hash lookup
// costs one index probe per request. Without a server key, rotating
// SECRET_KEY does not invalidate every key.
func HashAPIKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// CheckScopes parses the scopes of a new key at location: at least one,
// each a known Scope; repeats are dropped. Returns them in AllScopes order,
// or EINVALID.
func CheckScopes(location string, names []string) ([]Scope, error) {
	if len(names) == 0 {
		return nil, Invalid(location, "at least one scope is required", nil)
	}
	var errs []error
	have := map[Scope]bool{}
	for i, n := range names {
		if !slices.Contains(AllScopes, Scope(n)) {
			errs = append(errs, Invalid(location+"["+strconv.Itoa(i)+"]", "unknown scope; use links:read, links:write, analytics:read or webhooks:write", n))
			continue
		}
		have[Scope(n)] = true
	}
	if err := JoinInvalid(errs...); err != nil {
		return nil, err
	}
	var out []Scope
	for _, s := range AllScopes {
		if have[s] {
			out = append(out, s)
		}
	}
	return out, nil
}

// JoinScopes is the stored form of scopes: space-separated.
func JoinScopes(scopes []Scope) string {
	parts := make([]string, len(scopes))
	for i, s := range scopes {
		parts[i] = string(s)
	}
	return strings.Join(parts, " ")
}

// SplitScopes reads the stored form of scopes.
func SplitScopes(s string) []Scope {
	var out []Scope
	for _, f := range strings.Fields(s) {
		out = append(out, Scope(f))
	}
	return out
}

// Caller is who sends a request: a user, through an access token (or a web
// session: a person, who may do everything the user may) or through one of
// the user's API keys, limited to its scopes.
type Caller struct {
	User   *User
	Key    *APIKey // nil for an access token or a session
	scopes []Scope
}

// PersonCaller is a user acting through an access token or a session.
func PersonCaller(u *User) *Caller { return &Caller{User: u} }

// KeyCaller is a user acting through the API key k.
func KeyCaller(u *User, k *APIKey) *Caller { return &Caller{User: u, Key: k, scopes: k.Scopes} }

// IsKey reports whether the caller authenticated with an API key.
func (c *Caller) IsKey() bool { return c != nil && c.Key != nil }

// Allows reports whether the caller may act within scope: a person always,
// a key when it holds the scope.
func (c *Caller) Allows(scope Scope) bool {
	if c == nil {
		return false
	}
	return c.Key == nil || slices.Contains(c.scopes, scope)
}

// UserOf returns the caller's user, or nil for no caller.
func (c *Caller) UserOf() *User {
	if c == nil {
		return nil
	}
	return c.User
}

// ErrKeyNotAllowed is the EFORBIDDEN of a call an API key may not make at
// all: key management and the account calls need a person's access token.
var ErrKeyNotAllowed = Errorf(EFORBIDDEN, "This call needs an access token; API keys may not make it.")

// ErrMissingScope is the EFORBIDDEN of a call outside an API key's scopes.
func ErrMissingScope(scope Scope) error {
	return Errorf(EFORBIDDEN, "This API key lacks the scope %s that this call needs.", scope)
}
