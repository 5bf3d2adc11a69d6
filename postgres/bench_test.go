package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/postgres"
)

// clickGen makes clicks with a few dozen values per dimension, repeat
// visitors and 10% bots.
type clickGen struct {
	rng   *rand.Rand
	links []string
	zipf  *rand.Zipf // nil: links uniformly
	now   time.Time
	step  time.Duration // clock advance per click; 0: random day of a month
}

func (g *clickGen) pick(prefix string, n int) string {
	return fmt.Sprintf("%s%d", prefix, g.rng.IntN(n))
}

func (g *clickGen) batch(n int) []shortener.ClickEvent {
	out := make([]shortener.ClickEvent, n)
	for i := range out {
		at := g.now
		if g.step == 0 {
			at = g.now.Add(time.Duration(g.rng.Int64N(int64(30 * 24 * time.Hour))))
		} else {
			g.now = g.now.Add(g.step)
		}
		link := g.links[g.rng.IntN(len(g.links))]
		if g.zipf != nil {
			link = g.links[g.zipf.Uint64()]
		}
		out[i] = shortener.ClickEvent{
			ID:          shortener.NewIDAt(at),
			LinkID:      link,
			OccurredAt:  at,
			Referrer:    g.pick("ref", 40) + ".example.com",
			Browser:     g.pick("browser", 6),
			OS:          g.pick("os", 6),
			Device:      g.pick("device", 4),
			Country:     g.pick("C", 30),
			IsBot:       g.rng.IntN(10) == 0,
			VisitorHash: g.pick("visitor", 20000),
		}
	}
	return out
}

func createLinks(b *testing.B, db *postgres.DB, n int) []string {
	b.Helper()
	links := postgres.NewLinkStore(db)
	ids := make([]string, n)
	for i := range ids {
		l := &shortener.Link{ID: shortener.NewID(), ShortCode: fmt.Sprintf("bench%d", i),
			OriginalURL: "https://example.com/", IsActive: true, IsPublic: true,
			CreatedAt: time.Now(), UpdatedAt: time.Now()}
		if err := links.CreateLink(context.Background(), l); err != nil {
			b.Fatal(err)
		}
		ids[i] = l.ID
	}
	return ids
}

// BenchmarkWriteClicks writes batches of 500 clicks, the shape the click
// pipeline flushes; clicks/s is the figure to watch (goal: >= 20,000).
//
//   - live: clicks as they arrive, a few milliseconds apart (so a batch
//     falls on one or two days), on 1,000 links of Zipf-like popularity.
//   - live-4-writers: the same with four concurrent writers, as when several
//     instances consume the click stream.
//   - spread: the worst case, e.g. a spool replayed after an outage: every
//     click on a random day of a month and a random one of 100 links, so
//     almost no two clicks of a batch share a rollup row.
func BenchmarkWriteClicks(b *testing.B) {
	start := time.Date(2026, 3, 1, 23, 59, 0, 0, time.UTC) // crosses midnight
	live := func(links []string) *clickGen {
		rng := rand.New(rand.NewPCG(1, 2))
		return &clickGen{rng: rng, links: links, now: start, step: 2 * time.Millisecond,
			zipf: rand.NewZipf(rng, 1.1, 1, uint64(len(links)-1))}
	}
	b.Run("live", func(b *testing.B) { benchWriteClicks(b, live, 1000, 1) })
	b.Run("live-4-writers", func(b *testing.B) { benchWriteClicks(b, live, 1000, 4) })
	b.Run("spread", func(b *testing.B) {
		benchWriteClicks(b, func(links []string) *clickGen {
			return &clickGen{rng: rand.New(rand.NewPCG(1, 2)), links: links, now: start}
		}, 100, 1)
	})
}

func benchWriteClicks(b *testing.B, newGen func([]string) *clickGen, nLinks, writers int) {
	const batchSize = 500
	db := openMigrated(b)
	store := postgres.NewClickStore(db)
	gen := newGen(createLinks(b, db, nLinks))
	batches := make([][]shortener.ClickEvent, b.N)
	for i := range batches {
		batches[i] = gen.batch(batchSize)
	}
	ctx := context.Background()
	next := make(chan []shortener.ClickEvent, len(batches))
	for _, batch := range batches {
		next <- batch
	}
	close(next)
	b.ResetTimer()
	var g errgroup.Group
	for range writers {
		g.Go(func() error {
			for batch := range next {
				if err := store.WriteClicks(ctx, batch); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N*batchSize)/b.Elapsed().Seconds(), "clicks/s")
}
