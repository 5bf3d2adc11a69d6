package auth

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/shortener-dev/shortener"
)

// API keys: made from a CSPRNG, shown once, stored as a SHA-256 hash and
// looked up by it on every request. There is no key cache: a lookup is one
// probe of a unique index (the access-token path already reads the user on
// every request), so a revoked key fails on every instance with the very
// next request, and nothing needs invalidating.

var errBadKey = shortener.Errorf(shortener.EUNAUTHORIZED, "Invalid, revoked or expired API key.")

// keyUseEvery is how often a key's last_used_at is written at most.
const keyUseEvery = time.Minute

// authenticateKey returns the caller of an API key: its active user, with
// the key's scopes.
func (s *Service) authenticateKey(ctx context.Context, key string) (*shortener.Caller, error) {
	if s.keys == nil || len(key) > 256 {
		return nil, errBadKey
	}
	k, err := s.keys.KeyByHash(ctx, shortener.HashAPIKey(key))
	if shortener.ErrorCode(err) == shortener.ENOTFOUND {
		return nil, errBadKey
	} else if err != nil {
		return nil, err
	}
	now := s.clock()
	if k.Expired(now) {
		return nil, errBadKey
	}
	u, err := s.activeUser(ctx, k.UserID, "", errBadKey)
	if err != nil {
		return nil, err
	}
	s.noteKeyUse(ctx, k, now)
	return shortener.KeyCaller(u, k), nil
}

// noteKeyUse writes the key's last_used_at at most once a minute: skipped
// when the stored value is that recent (another instance wrote it) or this
// instance wrote it that recently. A failed write is only logged: a lost
// update costs nothing but precision.
func (s *Service) noteKeyUse(ctx context.Context, k *shortener.APIKey, now time.Time) {
	if k.LastUsedAt != nil && now.Sub(*k.LastUsedAt) < keyUseEvery {
		return
	}
	if !s.keyUses.due(k.ID, now) {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := s.keys.TouchKey(ctx, k.ID, now, keyUseEvery); err != nil {
		s.logger.WarnContext(ctx, "could not record an API key's use", slog.Any("error", err))
	}
}

// keyUses is the in-process throttle of last_used_at writes: when this
// instance last wrote each key's.
type keyUses struct {
	mu   sync.Mutex
	last map[string]time.Time
}

func newKeyUses() *keyUses { return &keyUses{last: map[string]time.Time{}} }

// maxKeyUses bounds the throttle's memory; past it, entries older than
// keyUseEvery (which throttle nothing any more) are dropped.
const maxKeyUses = 10000

// due reports whether a use of key id at now should be written, and if so
// notes it as written.
func (u *keyUses) due(id string, now time.Time) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	if last, ok := u.last[id]; ok && now.Sub(last) < keyUseEvery {
		return false
	}
	if len(u.last) >= maxKeyUses {
		for k, t := range u.last {
			if now.Sub(t) >= keyUseEvery {
				delete(u.last, k)
			}
		}
	}
	u.last[id] = now
	return true
}

// KeyInput is a request for a new API key.
type KeyInput struct {
	Name      string
	Scopes    []string
	ExpiresAt *time.Time
}

// CreateKey makes an API key for the caller and returns it with the key
// itself, which is shown this once. Returns EFORBIDDEN when the caller is
// an API key (keys are managed with a person's credentials) and EINVALID
// for a bad name, scope or expiry.
func (s *Service) CreateKey(ctx context.Context, caller *shortener.Caller, in KeyInput) (*shortener.APIKey, string, error) {
	if caller.IsKey() {
		return nil, "", shortener.ErrKeyNotAllowed
	}
	now := s.clock()
	name := strings.TrimSpace(in.Name)
	errs := []error{checkKeyName(name)}
	scopes, err := shortener.CheckScopes("body.scopes", in.Scopes)
	errs = append(errs, err)
	if in.ExpiresAt != nil {
		err := shortener.CheckTimestamp("body.expires_at", "expires_at", *in.ExpiresAt)
		if err == nil && !in.ExpiresAt.After(now) {
			err = shortener.Invalid("body.expires_at", "expires_at must be in the future", in.ExpiresAt.UTC().Format(time.RFC3339))
		}
		errs = append(errs, err)
	}
	if err := shortener.JoinInvalid(errs...); err != nil {
		return nil, "", err
	}
	raw := shortener.NewAPIKey()
	k := &shortener.APIKey{
		ID: shortener.NewIDAt(now), UserID: caller.User.ID, Name: name, Prefix: shortener.APIKeyDisplayPrefix(raw),
		KeyHash: shortener.HashAPIKey(raw), Scopes: scopes, CreatedAt: now,
	}
	if in.ExpiresAt != nil {
		t := in.ExpiresAt.UTC()
		k.ExpiresAt = &t
	}
	if err := s.keys.CreateKey(ctx, k); err != nil {
		return nil, "", err
	}
	return k, raw, nil
}

func checkKeyName(name string) error {
	if name == "" {
		return shortener.Invalid("body.name", "name is required", nil)
	}
	return shortener.CheckDisplayText("body.name", "name", name, shortener.MaxKeyNameLength)
}

// ListKeys returns the caller's keys, newest first. Returns EFORBIDDEN when
// the caller is an API key.
func (s *Service) ListKeys(ctx context.Context, caller *shortener.Caller) ([]*shortener.APIKey, error) {
	if caller.IsKey() {
		return nil, shortener.ErrKeyNotAllowed
	}
	return s.keys.ListKeys(ctx, caller.User.ID)
}

// RevokeKey deletes one of the caller's keys; the next request with it is
// refused, on every instance. Returns ENOTFOUND when the caller has no
// such key and EFORBIDDEN when the caller is an API key.
func (s *Service) RevokeKey(ctx context.Context, caller *shortener.Caller, id string) error {
	if caller.IsKey() {
		return shortener.ErrKeyNotAllowed
	}
	if !shortener.IsID(id) {
		return shortener.Errorf(shortener.ENOTFOUND, "%s", shortener.MsgKeyNotFound)
	}
	return s.keys.DeleteKey(ctx, caller.User.ID, strings.ToLower(id))
}
