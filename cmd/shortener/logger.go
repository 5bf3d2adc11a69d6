package main

import (
	"io"
	"log/slog"
	"strings"

	"github.com/shortener-dev/shortener/httpapi"
)

// newLogger returns the program's logger: JSON in production, text
// otherwise, with the request ID of the context on every line.
func newLogger(cfg *config, w io.Writer) *slog.Logger {
	var level slog.Level
	switch strings.ToLower(cfg.LogLevel) {
	case "debug":
		level = slog.LevelDebug
	case "warn":
		level = slog.LevelWarn
	case "error":
		level = slog.LevelError
	}
	if cfg.Debug {
		level = slog.LevelDebug
	}
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if cfg.production() {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(httpapi.ContextHandler{Handler: h})
}
