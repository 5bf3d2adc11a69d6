package main

import (
	"context"
	"database/sql"
	"net"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// TestSchemaChecksAtStart: a database migrated by a newer binary is refused
// with one clear error; so is one with pending migrations when
// AUTO_MIGRATE is off; "migrate" applies them and "migrate status" lists
// them.
func TestSchemaChecksAtStart(t *testing.T) {
	env := baseEnv(t)
	env["AUTO_MIGRATE"] = "false"
	getenv := func(k string) string { return env[k] }
	ctx := context.Background()

	err := run(ctx, []string{"serve"}, getenv, &syncBuffer{}, &syncBuffer{})
	if err == nil || !strings.Contains(err.Error(), `run "shortener migrate"`) {
		t.Fatalf("serve on an unmigrated database with AUTO_MIGRATE=false: %v, want a pending-migrations error", err)
	}

	var out syncBuffer
	if err := run(ctx, []string{"migrate"}, getenv, &out, &syncBuffer{}); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	out = syncBuffer{}
	if err := run(ctx, []string{"migrate", "status"}, getenv, &out, &syncBuffer{}); err != nil {
		t.Fatalf("migrate status: %v", err)
	}
	if !strings.Contains(out.String(), "00001") && !strings.Contains(out.String(), "init") {
		t.Fatalf("migrate status printed %q, want the applied migration", out.String())
	}
	if strings.Contains(out.String(), "pending") {
		t.Fatalf("migrate status after migrate still shows pending: %q", out.String())
	}

	db, err := sql.Open("sqlite", filepath.Join(env["DATA_DIR"], "shortener.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (999, 1)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, autoMigrate := range []string{"true", "false"} {
		env["AUTO_MIGRATE"] = autoMigrate
		err = run(ctx, []string{"serve"}, getenv, &syncBuffer{}, &syncBuffer{})
		if err == nil || !strings.Contains(err.Error(), "newer than this binary supports") {
			t.Fatalf("AUTO_MIGRATE=%s on a newer schema: %v, want it refused", autoMigrate, err)
		}
		if strings.Count(err.Error(), "\n") > 0 {
			t.Fatalf("error is not one line: %q", err)
		}
	}
	// "migrate status" lists this binary's migrations, and says the
	// database has a newer one (exit status 1) rather than looking fine.
	out = syncBuffer{}
	err = run(ctx, []string{"migrate", "status"}, getenv, &out, &syncBuffer{})
	if err == nil || !strings.Contains(err.Error(), "newer than this binary supports") || !strings.Contains(out.String(), "VERSION") {
		t.Fatalf("migrate status on a newer schema: %v, printed %q; want the list and the error", err, out.String())
	}
}

// TestServeLogsTheMigrationsItApplies: AUTO_MIGRATE says what it did.
func TestServeLogsTheMigrationsItApplies(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	env := baseEnv(t)
	env["LISTEN_ADDR"] = busy.Addr().String() // taken: serve stops after the schema step
	getenv := func(k string) string { return env[k] }
	var logs syncBuffer
	_ = run(context.Background(), []string{"serve"}, getenv, &syncBuffer{}, &logs)
	if !strings.Contains(logs.String(), "migrations applied") {
		t.Errorf("serve on a new database logged no migrations:\n%s", logs.String())
	}
}
