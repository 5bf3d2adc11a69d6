// Package postgres implements the shortener's stores on PostgreSQL with
// pgx (pgxpool) and hand-written SQL, for deployments that run many
// stateless instances.
//
// IDs are uuid columns but strings in the domain; times are timestamptz,
// kept to the microsecond and returned in UTC.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"log/slog"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/jackc/pgx/v5/tracelog"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/shortener-dev/shortener/internal/migrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// openTimeout bounds connecting at Open: a configured but unreachable
// server must fail the start quickly and clearly.
const openTimeout = 5 * time.Second

// DB is a pool of connections to one PostgreSQL database.
type DB struct {
	pool *pgxpool.Pool
}

// Open connects to the database at url and checks that it answers. When
// logSQL is true every statement is logged at debug level.
func Open(ctx context.Context, url string, logger *slog.Logger, logSQL bool) (*DB, error) {
	cfg, err := PoolConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	if logSQL {
		if logger == nil {
			logger = slog.New(slog.DiscardHandler)
		}
		// Statements, batches, copies and connects; not the pool's
		// acquire and release of a connection for each of them (twice the
		// lines, and pgx logs a release without the request's context).
		cfg.ConnConfig.Tracer = &tracelog.TraceLog{
			Logger:   sqlLogger(logger),
			LogLevel: tracelog.LogLevelInfo,
		}
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, openTimeout)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: cannot connect to %s:%d: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, err)
	}
	return &DB{pool: pool}, nil
}

// PoolConfig parses url (a URL or key=value string) with the service's
// defaults: a connect timeout of at most openTimeout, and, unless url sets
// pool_max_conns, a pool of DefaultMaxConns connections.
func PoolConfig(url string) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// The parse error may quote the URL, password included.
		return nil, errors.New("invalid database URL")
	}
	if cfg.ConnConfig.ConnectTimeout == 0 || cfg.ConnConfig.ConnectTimeout > openTimeout {
		cfg.ConnConfig.ConnectTimeout = openTimeout
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = DefaultMaxConns()
	}
	return cfg, nil
}

// DefaultMaxConns is the pool size when the URL sets none: pgx's own rule,
// one per core, but at least 16 instead of 4. Four connections made the
// API's transactions and the two click writers queue for the pool while
// each waited for its commit's WAL flush (BENCHMARKS.md, "The connection
// pool"); more per core would crowd a server's max_connections when many
// instances share it.
func DefaultMaxConns() int32 { return int32(max(16, runtime.GOMAXPROCS(0))) }

// sqlLogger adapts pgx's trace log to slog; every entry is a debug line.
// A statement's arguments are logged by number only: they hold password
// hashes, token hashes, emails and client addresses.
func sqlLogger(logger *slog.Logger) tracelog.Logger {
	return tracelog.LoggerFunc(func(ctx context.Context, _ tracelog.LogLevel, msg string, data map[string]any) {
		attrs := make([]slog.Attr, 0, len(data)+1)
		attrs = append(attrs, slog.String("component", "sql"))
		for k, v := range data {
			if args, ok := v.([]any); ok && k == "args" {
				attrs = append(attrs, slog.Int("args", len(args)))
				continue
			}
			attrs = append(attrs, slog.Any(k, v))
		}
		logger.LogAttrs(ctx, slog.LevelDebug, msg, attrs...)
	})
}

// Close closes every connection of the pool.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	return nil
}

// withMigrator runs fn with a migrator over a database/sql view of the
// pool, which goose needs.
func (db *DB) withMigrator(ctx context.Context, fn func(*migrate.Migrator) error) error {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	// An advisory lock makes instances that start together migrate one
	// after the other. Its key is derived from the schema, so databases
	// that keep several schemas (tests do) migrate them independently.
	var schema string
	if err := db.pool.QueryRow(ctx, `SELECT coalesce(current_schema(), '')`).Scan(&schema); err != nil {
		return fmt.Errorf("postgres: current schema: %w", err)
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte("shortener-migrate:" + schema))
	locker, err := lock.NewPostgresSessionLocker(
		lock.WithLockID(int64(h.Sum64())),
		lock.WithLockTimeout(1, 600), // poll every second, for ten minutes
	)
	if err != nil {
		return fmt.Errorf("postgres: migration lock: %w", err)
	}
	sqlDB := stdlib.OpenDBFromPool(db.pool)
	defer sqlDB.Close() // leaves the pool open
	m, err := migrate.New(goose.DialectPostgres, sqlDB, sub, goose.WithSessionLocker(locker),
		goose.WithGoMigrations(migrate.EmailKeys(3, migrate.Numbered)))
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	if err := fn(m); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	return nil
}

// EmailCollisions lists the accounts that share an email once normalised
// and were both kept by the migration to email keys.
func (db *DB) EmailCollisions(ctx context.Context) ([]migrate.EmailCollision, error) {
	sqlDB := stdlib.OpenDBFromPool(db.pool)
	defer sqlDB.Close() // leaves the pool open
	return migrate.EmailCollisions(ctx, sqlDB, migrate.Numbered)
}

// Migrate applies pending migrations. It refuses, applying nothing, when
// the schema is newer than this binary knows (migrate.ErrSchemaTooNew).
func (db *DB) Migrate(ctx context.Context) error {
	return db.withMigrator(ctx, func(m *migrate.Migrator) error { return m.Up(ctx) })
}

// MigrateTo applies the pending migrations up to and including version
// only, leaving the database as an older binary would have: for tests of
// what a migration does to existing rows.
func (db *DB) MigrateTo(ctx context.Context, version int64) error {
	return db.withMigrator(ctx, func(m *migrate.Migrator) error { return m.UpTo(ctx, version) })
}

// MigrationStatus lists the embedded migrations and whether each is applied.
func (db *DB) MigrationStatus(ctx context.Context) ([]migrate.Status, error) {
	var st []migrate.Status
	err := db.withMigrator(ctx, func(m *migrate.Migrator) (err error) {
		st, err = m.Status(ctx)
		return err
	})
	return st, err
}

// CheckSchema returns nil when the schema is exactly the one this binary
// expects, and an error matching migrate.ErrSchemaTooNew or
// migrate.ErrSchemaPending otherwise.
func (db *DB) CheckSchema(ctx context.Context) error {
	return db.withMigrator(ctx, func(m *migrate.Migrator) error { return m.Check(ctx) })
}
