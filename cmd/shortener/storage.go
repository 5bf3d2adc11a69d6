package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/migrate"
	"github.com/shortener-dev/shortener/postgres"
	"github.com/shortener-dev/shortener/sqlite"
)

// database is what both SQL engines offer besides their stores.
type database interface {
	Ping(ctx context.Context) error
	Close() error
	Migrate(ctx context.Context) error
	MigrationStatus(ctx context.Context) ([]migrate.Status, error)
	CheckSchema(ctx context.Context) error
	EmailCollisions(ctx context.Context) ([]migrate.EmailCollision, error)
}

// storage is the opened SQL engine and its stores.
type storage struct {
	engine string
	db     database
	users  shortener.UserStore
	tokens shortener.TokenStore
	links  shortener.LinkStore
	clicks shortener.ClickStore
	keys   shortener.KeyStore
	// domains keeps the short domains.
	domains shortener.DomainStore
	// webhooks keeps endpoints and the outbox the link and click stores
	// write to.
	webhooks interface {
		shortener.WebhookStore
		shortener.Outbox
	}
}

// openStorage opens PostgreSQL when DATABASE_URL is set, else the SQLite
// file in DATA_DIR. An unreachable database is an error, never a fallback.
func openStorage(ctx context.Context, cfg *config, logger *slog.Logger) (*storage, error) {
	if cfg.DatabaseURL != "" {
		db, err := postgres.Open(ctx, cfg.DatabaseURL, logger, cfg.Debug)
		if err != nil {
			return nil, fmt.Errorf("open PostgreSQL (DATABASE_URL): %w", err)
		}
		return &storage{engine: "postgres", db: db, users: postgres.NewUserStore(db), tokens: postgres.NewTokenStore(db),
			links: postgres.NewLinkStore(db), clicks: postgres.NewClickStore(db),
			keys: postgres.NewKeyStore(db), webhooks: postgres.NewWebhookStore(db), domains: postgres.NewDomainStore(db)}, nil
	}
	path := filepath.Join(cfg.DataDir, "shortener.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("open SQLite %s: %w", path, err)
	}
	return &storage{engine: "sqlite", db: db, users: sqlite.NewUserStore(db), tokens: sqlite.NewTokenStore(db),
		links: sqlite.NewLinkStore(db), clicks: sqlite.NewClickStore(db),
		keys: sqlite.NewKeyStore(db), webhooks: sqlite.NewWebhookStore(db), domains: sqlite.NewDomainStore(db)}, nil
}

// prepareSchema migrates when AUTO_MIGRATE is on, and otherwise refuses a
// schema that is not exactly the one this binary knows. The migrations it
// applies are logged, with the time they took.
func prepareSchema(ctx context.Context, cfg *config, st *storage, logger *slog.Logger) error {
	if !cfg.AutoMigrate {
		return st.db.CheckSchema(ctx)
	}
	var pending []int64
	if err := st.db.CheckSchema(ctx); errors.Is(err, migrate.ErrSchemaPending) {
		status, err := st.db.MigrationStatus(ctx)
		if err != nil {
			return err
		}
		for _, s := range status {
			if !s.Applied {
				pending = append(pending, s.Version)
			}
		}
	}
	start := time.Now()
	if err := st.db.Migrate(ctx); err != nil {
		return err
	}
	if len(pending) > 0 {
		logger.Info("migrations applied", slog.String("database", st.engine), slog.Int("count", len(pending)),
			slog.Int64("from", pending[0]), slog.Int64("to", pending[len(pending)-1]), slog.Duration("took", time.Since(start)))
	}
	return nil
}
