package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/migrate"
)

// Database is what an engine's DB offers for migrations.
type Database interface {
	EmailCollisions(ctx context.Context) ([]migrate.EmailCollision, error)
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
	// MigrateTo applies the migrations up to version only, as an older
	// binary would have left the database.
	MigrateTo func(t *testing.T, db Database, version int64)
	// InsertUser inserts a user row directly (as an older binary would
	// have), active, with the given email and creation time.
	InsertUser func(t *testing.T, db Database, id, email string, created time.Time)
	// Users returns the user store of db.
	Users func(db Database) shortener.UserStore
	// Exec runs a statement on db directly, with ? placeholders (rewritten
	// for the engine), as an older binary would have.
	Exec func(t *testing.T, db Database, query string, args ...any)
	// Links returns the link store of db.
	Links func(db Database) shortener.LinkStore
	// Clicks returns the click store of db.
	Clicks func(db Database) shortener.ClickStore
	// Count runs a query returning one integer, with ? placeholders.
	Count func(t *testing.T, db Database, query string, args ...any) int64
}

// RunMigrations checks the schema rules of both engines: pending
// migrations are reported and applied once; a schema newer than the binary
// knows is refused by Migrate and CheckSchema, and Migrate then applies
// nothing.
func RunMigrations(t *testing.T, h MigrationHooks) {
	ctx := context.Background()
	t.Run("PendingThenCurrent", func(t *testing.T) {
		db := h.Open(t)
		st, err := db.MigrationStatus(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(st) == 0 || st[0].Applied || st[0].Name != "00001_init.sql" || st[0].Version != 1 {
			t.Fatalf("status before migrating = %+v", st)
		}
		latest := st[len(st)-1].Version
		err = db.CheckSchema(ctx)
		want := fmt.Sprintf(`database schema is at version 0, this binary needs %d: run "shortener migrate"`, latest)
		if !errors.Is(err, migrate.ErrSchemaPending) || !strings.Contains(err.Error(), want) {
			t.Fatalf("CheckSchema on an empty database = %v, want %q", err, want)
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
		latest := latestVersion(t, db)
		h.SetVersion(t, db, int(latest)+6)
		want := fmt.Sprintf("database schema version %d is newer than this binary supports (version %d); upgrade shortener",
			latest+6, latest)
		for name, err := range map[string]error{"Migrate": db.Migrate(ctx), "CheckSchema": db.CheckSchema(ctx)} {
			if !errors.Is(err, migrate.ErrSchemaTooNew) || !strings.Contains(err.Error(), want) {
				t.Errorf("%s = %v, want %q", name, err, want)
			}
		}
	})

	t.Run("EmailKeys", func(t *testing.T) { testEmailKeyMigration(t, h) })

	t.Run("TooNewAppliesNothing", func(t *testing.T) {
		db := h.Open(t)
		if err := db.CheckSchema(ctx); err == nil { // creates the version table
			t.Fatal("CheckSchema on an empty database succeeded")
		}
		h.SetVersion(t, db, int(latestVersion(t, db))+8)
		if err := db.Migrate(ctx); !errors.Is(err, migrate.ErrSchemaTooNew) {
			t.Fatalf("Migrate = %v, want ErrSchemaTooNew", err)
		}
		if h.HasUsersTable(t, db) {
			t.Errorf("Migrate created tables despite refusing")
		}
	})
}

// latestVersion is the newest migration the binary embeds.
func latestVersion(t *testing.T, db Database) int64 {
	t.Helper()
	st, err := db.MigrationStatus(context.Background())
	if err != nil || len(st) == 0 {
		t.Fatalf("migration status: %v, %d migrations", err, len(st))
	}
	return st[len(st)-1].Version
}

// testEmailKeyMigration builds the users an older binary could hold, two of
// them one account once emails are Unicode-folded ("straße" and "STRASSE"
// differ to both engines' lower()), migrates, and checks that both are kept,
// reported, and reachable, and that neither form can register again.
func testEmailKeyMigration(t *testing.T, h MigrationHooks) {
	ctx := context.Background()
	db := h.Open(t)
	h.MigrateTo(t, db, 1)
	older, newer, other := shortener.NewID(), shortener.NewID(), shortener.NewID()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	h.InsertUser(t, db, older, "straße@example.com", start)
	h.InsertUser(t, db, newer, "STRASSE@example.com", start.Add(time.Second))
	h.InsertUser(t, db, other, "Ada@Example.com", start.Add(2*time.Second))
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := db.EmailCollisions(ctx)
	want := []migrate.EmailCollision{{Email: "STRASSE@example.com", OwnedBy: "straße@example.com"}}
	if err != nil || len(got) != 1 || got[0] != want[0] {
		t.Fatalf("EmailCollisions = %+v, %v; want %+v", got, err, want)
	}
	users := h.Users(db)
	for email, id := range map[string]string{
		"STRASSE@example.com": newer, // its exact address reaches the account without a key
		"Strasse@example.com": older, // any other spelling is the key's holder
		"STRAßE@EXAMPLE.COM":  older,
		"ada@example.com":     other,
	} {
		u, err := users.UserByEmail(ctx, email)
		if err != nil || u.ID != id {
			t.Errorf("UserByEmail(%q) = %+v, %v; want user %s", email, u, err, id)
		}
	}
	for _, email := range []string{"strasse@example.com", "STRASSE@example.com", "ADA@example.com"} {
		u := &shortener.User{ID: shortener.NewID(), Email: email, PasswordHash: "x", Role: shortener.RoleUser,
			IsActive: true, CreatedAt: time.Now().UTC(), UpdatedAt: time.Now().UTC()}
		if err := users.CreateUser(ctx, u); shortener.ErrorCode(err) != shortener.ECONFLICT {
			t.Errorf("registering %q after the migration = %v, want ECONFLICT", email, err)
		}
	}
}

// preDomainsVersion is the last schema before short domains (00040).
const preDomainsVersion = 30

// RunDomainMigration checks that a link made before domains existed keeps
// its code on the default domain and still resolves after the migration,
// and that its code may then be taken again on another domain.
func RunDomainMigration(t *testing.T, h MigrationHooks) {
	ctx := context.Background()
	db := h.Open(t)
	h.MigrateTo(t, db, preDomainsVersion)
	id := shortener.NewID()
	h.Exec(t, db, `INSERT INTO short_urls (id, short_code, original_url, is_active, is_public, click_count, created_at, updated_at)
		VALUES (?, 'keepme', 'https://example.com/kept', ?, ?, 0, ?, ?)`, id, true, true, t0, t0)
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate up from %d: %v", preDomainsVersion, err)
	}
	links := h.Links(db)
	l, err := links.LinkByCode(ctx, shortener.DefaultDomainID, "keepme")
	if err != nil || l.ID != id || l.DomainID != shortener.DefaultDomainID {
		t.Fatalf("old link after the migration = %+v, %v", l, err)
	}
	tg, err := shortener.StoreResolver{Links: links}.Resolve(ctx, "keepme")
	if err != nil || !tg.Found || tg.URL != "https://example.com/kept" {
		t.Fatalf("old link's key resolves to %+v, %v", tg, err)
	}
	if r, ok := links.(shortener.Resolver); ok {
		if tg, err := r.Resolve(ctx, "keepme"); err != nil || tg.LinkID != id {
			t.Fatalf("store resolves the old link's key to %+v, %v", tg, err)
		}
	}
}

// RunDimensionCountsMigration writes rollups as the schema before the
// bounded dimensions moved into the days' objects held them (a row per
// dimension value; preVersion is the engine's last schema before that) and
// checks that after the migration the link's summary is the same and only
// the referrer's rows are left; a day with dimension rows but no day row
// gets one.
func RunDimensionCountsMigration(t *testing.T, h MigrationHooks, preVersion int64) {
	ctx := context.Background()
	db := h.Open(t)
	h.MigrateTo(t, db, preVersion)
	id := shortener.NewID()
	h.Exec(t, db, `INSERT INTO short_urls (id, short_code, original_url, is_active, is_public, click_count, created_at, updated_at)
		VALUES (?, 'counted', 'https://example.com/', ?, ?, 0, ?, ?)`, id, true, true, t0, t0)
	h.Exec(t, db, `INSERT INTO link_daily_stats (link_id, day, clicks, bot_clicks, unique_visitors)
		VALUES (?, '2026-03-14', 5, 1, 3)`, id)
	for _, r := range []struct {
		day, dim, value string
		clicks          int
	}{
		{"2026-03-14", shortener.DimReferrer, "r.example", 3}, {"2026-03-14", shortener.DimReferrer, "q.example", 2},
		{"2026-03-14", shortener.DimCountry, "FR", 4}, {"2026-03-14", shortener.DimCountry, "DE", 1},
		{"2026-03-14", shortener.DimTarget, `https://example.com/"b"`, 5},
		{"2026-03-15", shortener.DimBrowser, "Firefox", 2},
	} {
		h.Exec(t, db, `INSERT INTO link_daily_dimensions (link_id, day, dimension, value, clicks) VALUES (?, ?, ?, ?, ?)`,
			id, r.day, r.dim, r.value, r.clicks)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate up from %d: %v", preVersion, err)
	}

	st, err := h.Clicks(db).ClickStats(ctx, id, day(2026, 3, 14), day(2026, 3, 15), 10)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		shortener.DimReferrer: "[{r.example 3} {q.example 2}]",
		shortener.DimCountry:  "[{FR 4} {DE 1}]",
		shortener.DimTarget:   `[{https://example.com/"b" 5}]`,
		shortener.DimBrowser:  "[{Firefox 2}]",
		shortener.DimOS:       "[]",
	}
	for dim, w := range want {
		if got := fmt.Sprint(st.Top[dim]); got != w {
			t.Errorf("top %s = %s, want %s", dim, got, w)
		}
	}
	wantDays(t, st.Days, "2026-03-14 5 3 1", "2026-03-15 0 0 0")
	if n := h.Count(t, db, `SELECT count(*) FROM link_daily_dimensions WHERE dimension <> 'referrer'`); n != 0 {
		t.Errorf("%d rows of bounded dimensions left", n)
	}
}
