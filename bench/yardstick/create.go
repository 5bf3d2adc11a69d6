package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"net/http"
)

// creator is a store that can also add a link: the yardstick of link
// creation is one primary-key INSERT per request, on the same database
// engine as the service's, and nothing else (no auth, no validation beyond
// a non-empty URL, no cache, no events).
type creator interface {
	Create(ctx context.Context, code, target string) error
}

// createBodyLimit is the service's MAX_BODY_BYTES default.
const createBodyLimit = 64 << 10

// handleCreate answers POST /api/v1/urls like the service's create, in
// shape: 201 with the new code in a small JSON body.
func handleCreate(store creator) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			OriginalURL string `json:"original_url"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, createBodyLimit)).Decode(&in); err != nil || in.OriginalURL == "" {
			w.WriteHeader(http.StatusUnprocessableEntity)
			return
		}
		code := rand.Text()[:7] // 7 of base32's characters: 35 random bits
		if err := store.Create(r.Context(), code, in.OriginalURL); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(map[string]string{"short_code": code, "original_url": in.OriginalURL})
	}
}
