package main

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/postgres"
	"github.com/shortener-dev/shortener/sqlite"
)

// engine is an opened, migrated database and the two stores seeding uses.
type engine struct {
	links  shortener.LinkStore
	clicks shortener.ClickStore
}

// withEngine opens and migrates the database named by db (a postgres://
// URL, or else a SQLite file path), runs fn and closes the database again.
func withEngine(ctx context.Context, db string, fn func(*engine) error) error {
	switch {
	case db == "":
		return errors.New("-db is required")
	case strings.HasPrefix(db, "postgres://"), strings.HasPrefix(db, "postgresql://"):
		pg, err := postgres.Open(ctx, withoutSyncCommit(db), slog.New(slog.DiscardHandler), false)
		if err != nil {
			return err
		}
		defer pg.Close()
		if err := pg.Migrate(ctx); err != nil {
			return err
		}
		return fn(&engine{links: postgres.NewLinkStore(pg), clicks: postgres.NewClickStore(pg)})
	default:
		lite, err := sqlite.Open(ctx, db)
		if err != nil {
			return err
		}
		defer lite.Close()
		if err := lite.Migrate(ctx); err != nil {
			return err
		}
		return fn(&engine{links: sqlite.NewLinkStore(lite), clicks: sqlite.NewClickStore(lite)})
	}
}

// withoutSyncCommit adds synchronous_commit=off to a PostgreSQL URL: the
// seed's many small commits then do not each wait for the disk, which makes
// seeding several times faster. The data is scratch; losing the last
// commits to a power cut would not matter.
func withoutSyncCommit(db string) string {
	u, err := url.Parse(db)
	if err != nil {
		return db // postgres.Open reports the bad URL
	}
	q := u.Query()
	if !q.Has("synchronous_commit") {
		q.Set("synchronous_commit", "off")
	}
	u.RawQuery = q.Encode()
	return u.String()
}
