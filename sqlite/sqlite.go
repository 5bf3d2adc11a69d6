// Package sqlite implements the shortener's stores on an embedded SQLite
// file (modernc.org/sqlite, pure Go), the default when no DATABASE_URL is
// configured.
//
// The file runs in WAL mode so that readers never wait for the writer. All
// writes go through one connection: SQLite allows one writer at a time
// anyway, and queuing writers in Go instead of in SQLite's busy handler keeps
// latency predictable. Reads use a separate pool of read-only connections.
//
// Times are stored as INTEGER unix microseconds in UTC, so they round-trip
// exactly as PostgreSQL's timestamptz does and sort correctly.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/shortener-dev/shortener/internal/migrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// DB is an open SQLite database: one writer connection and a reader pool.
type DB struct {
	write *sql.DB
	read  *sql.DB
	path  string
	stmts *stmtCache // the writer's prepared statements
	reads *stmtCache // the readers' prepared statements, for the hot reads

	search searchBacklog // new links not yet in the search index
}

// Open opens the SQLite file at path, creating it and its directory if
// needed. It does not migrate; call Migrate.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" || strings.ContainsAny(path, "?#") || path == ":memory:" {
		return nil, fmt.Errorf("sqlite: open: unsupported path %q", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("sqlite: open: create directory: %w", err)
	}

	// synchronous=NORMAL is durable across process crashes in WAL mode; only
	// a power loss can drop the last commits, and it never corrupts the file.
	common := url.Values{}
	common.Add("_pragma", "busy_timeout(5000)")
	common.Add("_pragma", "foreign_keys(1)")
	common.Add("_pragma", "synchronous(NORMAL)")

	wq := cloneValues(common)
	wq.Add("_pragma", "journal_mode(WAL)")
	// BEGIN IMMEDIATE takes the write lock up front, so a transaction never
	// fails half-way when it first writes after reading.
	wq.Set("_txlock", "immediate")
	write, err := sql.Open("sqlite", path+"?"+wq.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	if err := write.PingContext(ctx); err != nil {
		_ = write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}

	rq := cloneValues(common)
	rq.Add("_pragma", "query_only(1)")
	read, err := sql.Open("sqlite", path+"?"+rq.Encode())
	if err != nil {
		_ = write.Close()
		return nil, fmt.Errorf("sqlite: open reader: %w", err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	if err := read.PingContext(ctx); err != nil {
		_ = read.Close()
		_ = write.Close()
		return nil, fmt.Errorf("sqlite: open reader %s: %w", path, err)
	}
	return &DB{write: write, read: read, path: path, stmts: &stmtCache{db: write}, reads: &stmtCache{db: read}}, nil
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// Close closes both connection pools.
func (db *DB) Close() error {
	return errors.Join(db.stmts.close(), db.reads.close(), db.read.Close(), db.write.Close())
}

// Ping checks that the database answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	return nil
}

func (db *DB) migrator() (*migrate.Migrator, error) {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("sqlite: migrations: %w", err)
	}
	// Migrations run on the writer: its single connection already
	// serialises them against every other write of this process.
	return migrate.New(goose.DialectSQLite3, db.write, sub, goose.WithGoMigrations(goMigrations()...))
}

// goMigrations are the steps that SQL cannot express on both engines alike.
func goMigrations() []*goose.Migration {
	return []*goose.Migration{migrate.EmailKeys(3, asIs)}
}

// asIs leaves ? placeholders as they are: SQLite takes them.
func asIs(query string) string { return query }

// EmailCollisions lists the accounts that share an email once normalised
// and were both kept by the migration to email keys.
func (db *DB) EmailCollisions(ctx context.Context) ([]migrate.EmailCollision, error) {
	return migrate.EmailCollisions(ctx, db.read, asIs)
}

// Migrate applies pending migrations. It refuses, applying nothing, when
// the schema is newer than this binary knows (migrate.ErrSchemaTooNew).
func (db *DB) Migrate(ctx context.Context) error {
	m, err := db.migrator()
	if err != nil {
		return err
	}
	if err := m.Up(ctx); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	return nil
}

// MigrateTo applies the pending migrations up to and including version
// only, leaving the database as an older binary would have: for tests of
// what a migration does to existing rows.
func (db *DB) MigrateTo(ctx context.Context, version int64) error {
	m, err := db.migrator()
	if err != nil {
		return err
	}
	if err := m.UpTo(ctx, version); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	return nil
}

// MigrationStatus lists the embedded migrations and whether each is applied.
func (db *DB) MigrationStatus(ctx context.Context) ([]migrate.Status, error) {
	m, err := db.migrator()
	if err != nil {
		return nil, err
	}
	st, err := m.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return st, nil
}

// CheckSchema returns nil when the schema is exactly the one this binary
// expects, and an error matching migrate.ErrSchemaTooNew or
// migrate.ErrSchemaPending otherwise.
func (db *DB) CheckSchema(ctx context.Context) error {
	m, err := db.migrator()
	if err != nil {
		return err
	}
	if err := m.Check(ctx); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	return nil
}
