package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/shortener-dev/shortener/internal/migrate"
)

// Database is what an engine's DB offers for migrations.
type Database interface {
	Migrate(ctx context.Context) error
	CheckSchema(ctx context.Context) error
	MigrationStatus(ctx context.Context) ([]migrate.Status, error)
}

// MigrationHooks give RunMigrations an engine's test access.
type MigrationHooks struct {
	// Open returns a fresh, unmigrated database.
	Open func(t *testing.T) Database
	// SetVersion records version as applied in goose's version table,
	// as a newer binary would have.
	SetVersion func(t *testing.T, db Database, version int)
	// HasUsersTable reports whether the users table exists.
	HasUsersTable func(t *testing.T, db Database) bool
}

// RunMigrations checks the schema rules of both engines: pending
// migrations are reported and applied once; a schema newer than the binary
// knows is refused by Migrate and CheckSchema, and Migrate then applies
// nothing.
func RunMigrations(t *testing.T, h MigrationHooks) {
	ctx := context.Background()
	t.Run("PendingThenCurrent", func(t *testing.T) {
		db := h.Open(t)
		err := db.CheckSchema(ctx)
		if !errors.Is(err, migrate.ErrSchemaPending) ||
			!strings.Contains(err.Error(), `database schema is at version 0, this binary needs 1: run "shortener migrate"`) {
			t.Fatalf("CheckSchema on an empty database = %v, want pending", err)
		}
		st, err := db.MigrationStatus(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(st) == 0 || st[0].Applied || st[0].Name != "00001_init.sql" || st[0].Version != 1 {
			t.Fatalf("status before migrating = %+v", st)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("second Migrate: %v", err)
		}
		if err := db.CheckSchema(ctx); err != nil {
			t.Fatalf("CheckSchema after Migrate: %v", err)
		}
		if st, err = db.MigrationStatus(ctx); err != nil {
			t.Fatal(err)
		}
		for _, s := range st {
			if !s.Applied || s.AppliedAt.IsZero() {
				t.Errorf("after Migrate: %+v, want applied with a time", s)
			}
		}
	})

	t.Run("SchemaTooNew", func(t *testing.T) {
		db := h.Open(t)
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		h.SetVersion(t, db, 7)
		want := "database schema version 7 is newer than this binary supports (version 1); upgrade shortener"
		for name, err := range map[string]error{"Migrate": db.Migrate(ctx), "CheckSchema": db.CheckSchema(ctx)} {
			if !errors.Is(err, migrate.ErrSchemaTooNew) || !strings.Contains(err.Error(), want) {
				t.Errorf("%s = %v, want %q", name, err, want)
			}
		}
	})

	t.Run("TooNewAppliesNothing", func(t *testing.T) {
		db := h.Open(t)
		if err := db.CheckSchema(ctx); err == nil { // creates the version table
			t.Fatal("CheckSchema on an empty database succeeded")
		}
		h.SetVersion(t, db, 9)
		if err := db.Migrate(ctx); !errors.Is(err, migrate.ErrSchemaTooNew) {
			t.Fatalf("Migrate = %v, want ErrSchemaTooNew", err)
		}
		if h.HasUsersTable(t, db) {
			t.Errorf("Migrate created tables despite refusing")
		}
	})
}
