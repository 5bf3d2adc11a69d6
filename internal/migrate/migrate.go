// Package migrate applies a store's embedded, numbered SQL migrations with
// goose and checks that a database's schema is the one the binary expects.
//
// Each engine (sqlite, postgres) keeps its own SQL files and hands them to a
// Migrator; only the logic around goose is shared here, never SQL. A binary
// refuses to touch a database whose schema is newer than the newest migration
// it embeds: an older binary must not run against tables it does not know.
package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"time"

	"github.com/pressly/goose/v3"
)

// Sentinel errors for schema checks; a *VersionError matches one of them
// with errors.Is.
var (
	// ErrSchemaTooNew means the database was migrated by a newer binary.
	ErrSchemaTooNew = errors.New("database schema is newer than this binary supports")
	// ErrSchemaPending means migrations embedded in this binary are not applied.
	ErrSchemaPending = errors.New("database schema has pending migrations")
)

// VersionError says how the database's schema version differs from the
// newest one the binary embeds.
type VersionError struct {
	Current int64 // highest version recorded in the database
	Latest  int64 // newest migration embedded in the binary
}

func (e *VersionError) Error() string {
	if e.Current > e.Latest {
		return fmt.Sprintf("database schema version %d is newer than this binary supports (version %d); upgrade shortener",
			e.Current, e.Latest)
	}
	return fmt.Sprintf("database schema is at version %d, this binary needs %d: run \"shortener migrate\"",
		e.Current, e.Latest)
}

// Is lets errors.Is match ErrSchemaTooNew or ErrSchemaPending.
func (e *VersionError) Is(target error) bool {
	switch target {
	case ErrSchemaTooNew:
		return e.Current > e.Latest
	case ErrSchemaPending:
		return e.Current <= e.Latest
	}
	return false
}

// Status is the state of one embedded migration.
type Status struct {
	Version   int64
	Name      string // file name, e.g. "00001_init.sql"
	Applied   bool
	AppliedAt time.Time // zero when not applied
}

// Migrator runs one engine's migrations against one database.
type Migrator struct {
	provider *goose.Provider
	latest   int64
}

// New returns a Migrator for the .sql files at the root of migrations.
// Extra goose options (a session locker, for example) are passed through.
func New(dialect goose.Dialect, db *sql.DB, migrations fs.FS, opts ...goose.ProviderOption) (*Migrator, error) {
	// The global registry holds Go migrations registered by init functions;
	// this project has none, and a stray one must not leak in.
	//
	// Features land in reserved ranges of version numbers (00020s, 00030s,
	// 00040s, ...), not in merge order, so a database may already hold a
	// higher version than a migration merged later: goose applies such a
	// lower, missing one instead of refusing to go on.
	opts = append([]goose.ProviderOption{goose.WithDisableGlobalRegistry(true), goose.WithAllowOutofOrder(true)}, opts...)
	p, err := goose.NewProvider(dialect, db, migrations, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrate: new provider: %w", err)
	}
	sources := p.ListSources()
	if len(sources) == 0 {
		return nil, errors.New("migrate: no migrations embedded")
	}
	return &Migrator{provider: p, latest: sources[len(sources)-1].Version}, nil
}

// Latest returns the version of the newest embedded migration.
func (m *Migrator) Latest() int64 { return m.latest }

// Up applies every pending migration, each in its own transaction. It
// refuses, applying nothing, when the schema is newer than Latest.
func (m *Migrator) Up(ctx context.Context) error {
	current, err := m.provider.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("migrate: read schema version: %w", err)
	}
	if current > m.latest {
		return &VersionError{Current: current, Latest: m.latest}
	}
	if _, err := m.provider.Up(ctx); err != nil {
		return fmt.Errorf("migrate: up: %w", err)
	}
	return nil
}

// UpTo applies the pending migrations up to and including version; tests
// use it to build a database as an older binary left it.
func (m *Migrator) UpTo(ctx context.Context, version int64) error {
	if _, err := m.provider.UpTo(ctx, version); err != nil {
		return fmt.Errorf("migrate: up to %d: %w", version, err)
	}
	return nil
}

// Status lists the embedded migrations, oldest first, and whether each is
// applied.
func (m *Migrator) Status(ctx context.Context) ([]Status, error) {
	list, err := m.provider.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: status: %w", err)
	}
	out := make([]Status, 0, len(list))
	for _, s := range list {
		st := Status{
			Version: s.Source.Version,
			Name:    path.Base(s.Source.Path),
			Applied: s.State == goose.StateApplied,
		}
		if s.Source.Type == goose.TypeGo {
			// A Go step registered in code has no file to name it.
			st.Name = fmt.Sprintf("%05d (Go step)", s.Source.Version)
		}
		if st.Applied {
			st.AppliedAt = s.AppliedAt.UTC()
		}
		out = append(out, st)
	}
	return out, nil
}

// Check returns nil when every embedded migration is applied and the
// database knows no newer one, and a *VersionError otherwise.
func (m *Migrator) Check(ctx context.Context) error {
	current, err := m.provider.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("migrate: read schema version: %w", err)
	}
	if current > m.latest {
		return &VersionError{Current: current, Latest: m.latest}
	}
	pending, err := m.provider.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("migrate: check pending: %w", err)
	}
	if pending {
		return &VersionError{Current: current, Latest: m.latest}
	}
	return nil
}
