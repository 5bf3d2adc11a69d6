package postgres_test

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
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
	// visitors is how many visitor hashes clicks are drawn from; 0: 20,000.
	visitors int
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
			VisitorHash: g.pick("visitor", cmp.Or(g.visitors, 20000)),
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

// seedLinks inserts n links of one owner in SQL, the shape bench/run.sh
// seeds: faster than n creates, and with the indexes a real link fills.
func seedLinks(b testing.TB, db *postgres.DB, n int) []string {
	b.Helper()
	owner := shortener.NewID()
	postgres.ExecForTest(b, db, `INSERT INTO users (id, email, email_key, password_hash, created_at, updated_at)
		VALUES ($1::uuid, $2, $2, 'x', now(), now())`, owner, owner+"@example.com")
	postgres.ExecForTest(b, db, `
		INSERT INTO short_urls (id, short_code, original_url, title, owner_id, tags, created_at, updated_at)
		SELECT gen_random_uuid(), 'seed' || i, 'https://www.example.com/articles/' || i || '?utm_source=bench',
			'Article number ' || i, $1::uuid, ARRAY['t' || (i % 20)], now(), now()
		FROM generate_series(1, $2::int) i`, owner, n)
	postgres.ExecForTest(b, db, `VACUUM ANALYZE short_urls`)
	return postgres.QueryStringsForTest(b, db, `SELECT id::text FROM short_urls WHERE owner_id = $1`, owner)
}

// BenchmarkWriteClicks writes batches of clicks; clicks/s is the figure to
// watch (goal: >= 20,000), pg-cpu-us/click the database's CPU time per
// click when PostgreSQL runs on this machine (all its processes, from
// /proc), and client-cpu-us/click the benchmark's own, the service's part
// of a write (with the collector's work on the batches not yet written). Batches hold 500 clicks unless the name ends in -100, the
// pipeline's default ANALYTICS_BATCH_SIZE, written by its default two
// writers as bench/run.sh's scenarios do.
//
//   - live: clicks as they arrive, a few milliseconds apart (so a batch
//     falls on one or two days), on 1,000 links of Zipf-like popularity.
//   - live-4-writers: the same with four concurrent writers, as when several
//     instances consume the click stream.
//   - spread: the worst case, e.g. a spool replayed after an outage: every
//     click on a random day of a month and a random one of 100 links, so
//     almost no two clicks of a batch share a rollup row.
//   - 100k-links: clicks as they arrive, each on a random one of 100,000
//     titled links of one owner (bench/run.sh's scenario 6): every click
//     its own daily row, click_count update and dimension rows.
//   - hot-100: every click on one link from one visitor, a millisecond
//     apart (scenario 1).
func BenchmarkWriteClicks(b *testing.B) {
	start := time.Date(2026, 3, 1, 23, 59, 0, 0, time.UTC) // crosses midnight
	live := func(links []string) *clickGen {
		rng := rand.New(rand.NewPCG(1, 2))
		return &clickGen{rng: rng, links: links, now: start, step: 2 * time.Millisecond,
			zipf: rand.NewZipf(rng, 1.1, 1, uint64(len(links)-1))}
	}
	b.Run("live", func(b *testing.B) { benchWriteClicks(b, live, 1000, 1, 500) })
	b.Run("live-4-writers", func(b *testing.B) { benchWriteClicks(b, live, 1000, 4, 500) })
	b.Run("spread", func(b *testing.B) {
		benchWriteClicks(b, func(links []string) *clickGen {
			return &clickGen{rng: rand.New(rand.NewPCG(1, 2)), links: links, now: start}
		}, 100, 1, 500)
	})
	arriving := func(links []string) *clickGen {
		return &clickGen{rng: rand.New(rand.NewPCG(1, 2)), links: links, now: start, step: 2 * time.Millisecond}
	}
	b.Run("100k-links", func(b *testing.B) { benchWriteClicks(b, arriving, -100_000, 1, 500) })
	b.Run("100k-links-100", func(b *testing.B) { benchWriteClicks(b, arriving, -100_000, 2, 100) })
	b.Run("hot-100", func(b *testing.B) {
		benchWriteClicks(b, func(links []string) *clickGen {
			return &clickGen{rng: rand.New(rand.NewPCG(1, 2)), links: links, now: start, step: time.Millisecond, visitors: 1}
		}, 1, 2, 100)
	})
}

func benchWriteClicks(b *testing.B, newGen func([]string) *clickGen, nLinks, writers, batchSize int) {
	db := openMigrated(b)
	store := postgres.NewClickStore(db)
	var ids []string
	if nLinks < 0 {
		ids = seedLinks(b, db, -nLinks)
	} else {
		ids = createLinks(b, db, nLinks)
	}
	gen := newGen(ids)
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
	// Only the channel holds the batches now, each until it is written, so
	// the collector's part of client-cpu-us/click shrinks as the run goes.
	batches = nil
	runtime.GC()
	cpu0, measured := postgresCPU()
	self0 := processCPU(b)
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
	b.ReportMetric((processCPU(b)-self0).Seconds()*1e6/float64(b.N*batchSize), "client-cpu-us/click")
	if cpu1, _ := postgresCPU(); measured {
		b.ReportMetric((cpu1-cpu0).Seconds()*1e6/float64(b.N*batchSize), "pg-cpu-us/click")
	}
}

// processCPU returns the CPU time this process (the database's client) has
// used so far.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// postgresCPU returns the CPU time used so far by the processes named
// postgres on this machine, with the children they have reaped (the
// backends of closed connections), from /proc; false if there are none,
// e.g. when the database runs elsewhere. The clock tick is Linux's usual
// 100 Hz.
func postgresCPU() (time.Duration, bool) {
	procs, _ := filepath.Glob("/proc/[0-9]*/stat")
	var ticks int64
	found := false
	for _, p := range procs {
		stat, err := os.ReadFile(p)
		if err != nil || !bytes.Contains(stat, []byte("(postgres)")) {
			continue
		}
		// utime, stime, cutime and cstime: fields 14-17, the 12th to 15th
		// after the parenthesised command name.
		f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		for _, s := range f[11:15] {
			n, _ := strconv.ParseInt(s, 10, 64)
			ticks += n
		}
		found = true
	}
	return time.Duration(ticks) * 10 * time.Millisecond, found
}

// BenchmarkClickStats reads 30 days of a link whose rollups stand for
// about a million clicks: 2,000 referrers, 200 countries, 30 browsers, 20
// systems and 4 devices each day. ClickStats reads rollups only, so the
// raw clicks need not exist.
func BenchmarkClickStats(b *testing.B) {
	db := openMigrated(b)
	link := createLinks(b, db, 1)[0]
	postgres.ExecForTest(b, db, `
		INSERT INTO link_daily_stats (link_id, day, clicks, bot_clicks, unique_visitors, dims)
		SELECT $1, d, 33334, 3000, 20000, (
			SELECT jsonb_object_agg(dim.name || ':' || dim.name || i, 33334 / (i + 1) + 1)
			FROM (VALUES ('country', 200), ('browser', 30), ('os', 20), ('device', 4)) dim (name, n),
				generate_series(1, dim.n) i)
		FROM generate_series('2026-03-01'::date, '2026-03-30'::date, '1 day') d`, link)
	postgres.ExecForTest(b, db, `
		INSERT INTO link_daily_dimensions (link_id, day, dimension, value, clicks)
		SELECT $1, d, 'referrer', 'referrer' || i, 33334 / (i + 1) + 1
		FROM generate_series('2026-03-01'::date, '2026-03-30'::date, '1 day') d, generate_series(1, 2000) i`, link)
	postgres.ExecForTest(b, db, `ANALYZE`)
	store := postgres.NewClickStore(db)
	first, last := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 30, 0, 0, 0, 0, time.UTC)
	b.ResetTimer()
	for range b.N {
		st, err := store.ClickStats(context.Background(), link, first, last, 10)
		if err != nil {
			b.Fatal(err)
		}
		if len(st.Days) != 30 || len(st.Top[shortener.DimReferrer]) != 10 {
			b.Fatalf("got %d days, %d referrers", len(st.Days), len(st.Top[shortener.DimReferrer]))
		}
	}
}

// BenchmarkListLinks reads the first page of 20 of an owner with 100,000
// links in each order: the count of the owner's links and the page.
func BenchmarkListLinks(b *testing.B) {
	db := openMigrated(b)
	ids := seedLinks(b, db, 100_000)
	postgres.ExecForTest(b, db, `UPDATE short_urls SET click_count = (random() * 10000)::int`)
	postgres.ExecForTest(b, db, `VACUUM ANALYZE short_urls`)
	link, err := postgres.NewLinkStore(db).LinkByID(context.Background(), ids[0])
	if err != nil {
		b.Fatal(err)
	}
	store := postgres.NewLinkStore(db)
	for _, sort := range shortener.LinkSorts {
		b.Run(string(sort), func(b *testing.B) {
			for range b.N {
				page, err := store.ListLinks(context.Background(),
					shortener.LinkQuery{OwnerID: *link.OwnerID, Limit: 20, Sort: sort})
				if err != nil {
					b.Fatal(err)
				}
				if page.Total != 100_000 || len(page.Links) != 20 {
					b.Fatalf("total %d, %d links", page.Total, len(page.Links))
				}
			}
		})
	}
}
