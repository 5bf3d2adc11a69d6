package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shortener-dev/shortener"
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
	return tw.Flush()
}

// promote runs "user promote EMAIL".
func promote(ctx context.Context, cfg *config, email string, stdout io.Writer) error {
	st, err := openStorage(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	defer st.db.Close()
	if err := prepareSchema(ctx, cfg, st); err != nil {
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
