package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// minSecretBytes is the shortest SECRET_KEY production accepts.
const minSecretBytes = 32

// secretKey returns the signing key: SECRET_KEY, or in the embedded mode's
// development a key generated once and kept in DATA_DIR. Production refuses
// a missing or short key, and so does any instance on PostgreSQL: the
// instances that share a database must sign with one key (each generating
// its own, a token of one was refused by the others).
func secretKey(cfg *config, logger *slog.Logger) ([]byte, error) {
	if cfg.SecretKey != "" {
		if len(cfg.SecretKey) < minSecretBytes {
			if cfg.production() {
				return nil, fmt.Errorf("%w: SECRET_KEY: must be at least %d bytes in production", errConfig, minSecretBytes)
			}
			logger.Warn("SECRET_KEY is shorter than 32 bytes; production would refuse it")
		}
		return []byte(cfg.SecretKey), nil
	}
	if cfg.production() {
		return nil, fmt.Errorf("%w: SECRET_KEY: must be set in production (at least %d bytes)", errConfig, minSecretBytes)
	}
	if cfg.DatabaseURL != "" {
		return nil, fmt.Errorf("%w: SECRET_KEY: must be set with DATABASE_URL, the same on every instance (at least %d bytes); only the embedded mode generates one", errConfig, minSecretBytes)
	}
	path := filepath.Join(cfg.DataDir, "secret_key")
	b, err := os.ReadFile(path)
	if err == nil && len(strings.TrimSpace(string(b))) >= minSecretBytes {
		return []byte(strings.TrimSpace(string(b))), nil
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	key := hex.EncodeToString(raw)
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create DATA_DIR: %w", err)
	}
	if err := os.WriteFile(path, []byte(key+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	logger.Warn("SECRET_KEY not set: generated one for development", slog.String("path", path))
	return []byte(key), nil
}
