package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/shortener-dev/shortener"
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

// TestDailyDimensionCountsMigration writes rollups as the schema before
// migration 00052 held them (a row per dimension value) and checks that
// after it the link's summary is the same and its referrers are the only
// rows left; a day with dimension rows but no day row gets one.
func TestDailyDimensionCountsMigration(t *testing.T) {
	db := openDB(t)
	postgres.MigrateToForTest(t, db, 51)
	link := seedLinks(t, db, 1)[0]
	postgres.ExecForTest(t, db, `INSERT INTO link_daily_stats (link_id, day, clicks, bot_clicks, unique_visitors)
		VALUES ($1, '2026-03-14', 5, 1, 3)`, link)
	postgres.ExecForTest(t, db, `INSERT INTO link_daily_dimensions (link_id, day, dimension, value, clicks)
		VALUES ($1, '2026-03-14', 'referrer', 'r.example', 3), ($1, '2026-03-14', 'referrer', 'q.example', 2),
			($1, '2026-03-14', 'country', 'FR', 4), ($1, '2026-03-14', 'country', 'DE', 1),
			($1, '2026-03-14', 'target', 'https://example.com/"b"', 5),
			($1, '2026-03-15', 'browser', 'Firefox', 2)`, link)
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}

	st, err := postgres.NewClickStore(db).ClickStats(context.Background(), link,
		time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC), 10)
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
	if got := fmt.Sprint(st.Days); !strings.Contains(got, " 5 3 1}") || len(st.Days) != 2 {
		t.Errorf("days = %s, want the 14th's counters kept and a row for the 15th", got)
	}
	if n := postgres.CountForTest(t, db, `SELECT count(*) FROM link_daily_dimensions WHERE dimension <> 'referrer'`); n != 0 {
		t.Errorf("%d rows of bounded dimensions left", n)
	}
}
