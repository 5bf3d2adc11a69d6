package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/migrate"
)

// migrateCommand runs "migrate [up|status]".
func migrateCommand(ctx context.Context, cfg *config, args []string, stdout io.Writer) error {
	sub := "up"
	if len(args) > 0 {
		sub = args[0]
	}
	if len(args) > 1 || (sub != "up" && sub != "status") {
		return fmt.Errorf("%w: migrate [up|status]", errUsage)
	}
	logger := newLogger(cfg, io.Discard)
	st, err := openStorage(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer st.db.Close()
	if sub == "up" {
		if err := st.db.Migrate(ctx); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: migrations applied\n", st.engine)
	}
	status, err := st.db.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tNAME\tAPPLIED")
	for _, s := range status {
		applied := "pending"
		if s.Applied {
			applied = s.AppliedAt.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\n", s.Version, s.Name, applied)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if err := printEmailCollisions(ctx, st, status, stdout); err != nil {
		return err
	}
	// The list names only this binary's migrations: a database that a
	// newer binary migrated has more, and this one must not run on it.
	if err := st.db.CheckSchema(ctx); errors.Is(err, migrate.ErrSchemaTooNew) {
		return err
	}
	return nil
}

// printEmailCollisions lists the accounts that share an email once
// normalised, once the migration to email keys has run.
func printEmailCollisions(ctx context.Context, st *storage, status []migrate.Status, stdout io.Writer) error {
	for _, s := range status {
		if !s.Applied {
			return nil // the keys are not filled yet
		}
	}
	collisions, err := st.db.EmailCollisions(ctx)
	if err != nil || len(collisions) == 0 {
		return err
	}
	fmt.Fprintf(stdout, "\n%d account(s) share an email with an older account once emails are normalised;\n"+
		"each logs in with its exact address only (merge or rename them):\n", len(collisions))
	for _, c := range collisions {
		fmt.Fprintf(stdout, "  %s  (same as %s)\n", c.Email, c.OwnedBy)
	}
	return nil
}

// promote runs "user promote EMAIL".
func promote(ctx context.Context, cfg *config, email string, stdout io.Writer) error {
	st, err := openStorage(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	defer st.db.Close()
	if err := prepareSchema(ctx, cfg, st, slog.New(slog.DiscardHandler)); err != nil {
		return err
	}
	email = strings.TrimSpace(email)
	err = st.users.SetUserRole(ctx, email, shortener.RoleAdmin, time.Now().UTC())
	if shortener.ErrorCode(err) == shortener.ENOTFOUND {
		return fmt.Errorf("no user with email %q", email)
	} else if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s is now an admin\n", email)
	return nil
}
