package postgres_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/shortener-dev/shortener/postgres"
)

// TestClickRowsDieWithTheirLink races batches of clicks against deletes of
// their links. The click tables have no foreign keys (migration 00051), so
// nothing but the click store's locking keeps a row from outliving its
// link: afterwards no table may hold a row of a deleted link, and the
// links left must have theirs.
func TestClickRowsDieWithTheirLink(t *testing.T) {
	db := openMigrated(t)
	ids := seedLinks(t, db, 20)
	doomed, kept := ids[:10], ids[10:]
	store, links := postgres.NewClickStore(db), postgres.NewLinkStore(db)
	ctx := context.Background()

	var g errgroup.Group
	for w := range 4 {
		gen := &clickGen{rng: rand.New(rand.NewPCG(uint64(w), 7)), links: ids,
			now: time.Now().UTC(), step: time.Millisecond}
		g.Go(func() error {
			for range 25 {
				if err := store.WriteClicks(ctx, gen.batch(50)); err != nil {
					return err
				}
			}
			return nil
		})
	}
	for _, id := range doomed {
		g.Go(func() error {
			time.Sleep(time.Duration(rand.IntN(200)) * time.Millisecond)
			return links.DeleteLink(ctx, id)
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}

	for _, table := range []string{"click_events", "link_daily_stats", "link_daily_visitors", "link_daily_dimensions"} {
		orphans := postgres.CountForTest(t, db, `SELECT count(*) FROM `+table+` r
			WHERE NOT EXISTS (SELECT FROM short_urls u WHERE u.id = r.link_id)`)
		if orphans != 0 {
			t.Errorf("%s: %d rows of deleted links", table, orphans)
		}
		if n := postgres.CountForTest(t, db, `SELECT count(DISTINCT link_id) FROM `+table+` WHERE link_id = ANY($1::uuid[])`, kept); n != int64(len(kept)) {
			t.Errorf("%s: rows of %d of the %d links kept", table, n, len(kept))
		}
	}
}
