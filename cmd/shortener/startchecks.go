package main

import (
	"context"
	"log/slog"

	"github.com/shortener-dev/shortener"
)

// Checks at start of what earlier versions may have left in the database,
// told in the log so an operator can act; none stops the server.

// warnEmailCollisions names the accounts that share an email once
// normalised (kept by the migration to email keys), so that an operator
// can merge or rename them. It runs at start; a failure only loses the
// warning.
func warnEmailCollisions(ctx context.Context, st *storage, logger *slog.Logger) {
	collisions, err := st.db.EmailCollisions(ctx)
	if err != nil {
		logger.Warn("could not list accounts with colliding emails", slog.Any("error", err))
	}
	for _, c := range collisions {
		logger.Warn("two accounts share an email once normalised; the newer one logs in with its exact address only",
			slog.String("email", c.Email), slog.String("same_as", c.OwnedBy))
	}
}

// warnShadowedCodes names links whose code became a reserved word after
// they were made (app, for the web app): the redirect no longer reaches
// them at that path, but they stay readable and manageable through the API.
func warnShadowedCodes(ctx context.Context, st *storage, logger *slog.Logger) {
	for _, code := range []string{"app"} {
		l, err := st.links.LinkByCode(ctx, shortener.DefaultDomainID, code)
		if err != nil {
			continue // none, or the check failed: nothing to tell
		}
		logger.Warn("a link's code is now a reserved word: /"+code+" serves the web app, the link stays manageable through the API",
			slog.String("code", code), slog.String("link_id", l.ID))
	}
}
