package sqlite_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/sqlite"
)

func benchLink(b testing.TB, db *sqlite.DB, code string) string {
	b.Helper()
	l := &shortener.Link{ID: shortener.NewID(), ShortCode: code, OriginalURL: "https://example.com/",
		IsActive: true, IsPublic: true, CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := sqlite.NewLinkStore(db).CreateLink(context.Background(), l); err != nil {
		b.Fatal(err)
	}
	return l.ID
}

// seedLinks inserts n links of one owner in SQL, faster than n creates,
// with the indexes and search entries a real link fills.
func seedLinks(b *testing.B, db *sqlite.DB, n int) []string {
	b.Helper()
	const idFormat = "%08x-0000-4000-8000-%012x"
	sqlite.ExecForTest(b, db, `INSERT INTO users (id, email, email_key, password_hash, created_at, updated_at)
		VALUES ('00000000-0000-4000-8000-000000000000', 'seed@example.com', 'seed@example.com', 'x', 0, 0)`)
	sqlite.ExecForTest(b, db, `
		WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < ?)
		INSERT INTO short_urls (id, short_code, original_url, title, owner_id, tags, created_at, updated_at)
		SELECT printf('`+idFormat+`', n, n), 'seed' || n, 'https://www.example.com/articles/' || n || '?utm_source=bench',
			'Article number ' || n, '00000000-0000-4000-8000-000000000000', json_array('t' || (n % 20)), n, n
		FROM i`, n)
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf(idFormat, i+1, i+1)
	}
	return ids
}

// BenchmarkWriteClicks writes batches of clicks as they arrive live, a
// few milliseconds apart: "spread" over 100 links, 40 referrers and 20,000
// visitors; "hot" all for one link from one visitor, as in scenario 1 of
// bench/run.sh; "100k-links" over 100,000 titled links of one owner, seeded
// in SQL, as in scenario 6. The number is the batch size
// (ANALYTICS_BATCH_SIZE).
func BenchmarkWriteClicks(b *testing.B) {
	for _, bc := range []struct {
		name      string
		links     int
		visitors  int
		batchSize int
	}{
		{"spread-100", 100, 20000, 100},
		{"spread-500", 100, 20000, 500},
		{"hot-100", 1, 1, 100},
		{"100k-links-100", -100_000, 20000, 100},
	} {
		b.Run(bc.name, func(b *testing.B) {
			benchmarkWriteClicks(b, bc.links, bc.visitors, bc.batchSize)
		})
	}
}

func benchmarkWriteClicks(b *testing.B, nLinks, visitors, batchSize int) {
	db := openMigrated(b)
	var links []string
	if nLinks < 0 {
		links = seedLinks(b, db, -nLinks)
	}
	for i := range nLinks {
		links = append(links, benchLink(b, db, fmt.Sprintf("bench%d", i)))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	now := time.Date(2026, 3, 1, 23, 59, 0, 0, time.UTC)
	batches := make([][]shortener.ClickEvent, b.N)
	for i := range batches {
		for range batchSize {
			now = now.Add(2 * time.Millisecond)
			batches[i] = append(batches[i], shortener.ClickEvent{
				ID: shortener.NewIDAt(now), LinkID: links[rng.IntN(len(links))], OccurredAt: now,
				Referrer: fmt.Sprintf("ref%d.example.com", rng.IntN(40)), Browser: fmt.Sprintf("b%d", rng.IntN(6)),
				OS: fmt.Sprintf("os%d", rng.IntN(6)), Device: fmt.Sprintf("d%d", rng.IntN(4)),
				Country: fmt.Sprintf("C%d", rng.IntN(30)), IsBot: rng.IntN(10) == 0,
				VisitorHash: fmt.Sprintf("visitor%d", rng.IntN(visitors)),
			})
		}
	}
	store := sqlite.NewClickStore(db)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if err := store.WriteClicks(context.Background(), batches[i]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*batchSize)/b.Elapsed().Seconds(), "clicks/s")
}

// BenchmarkClickStats reads 30 days of a link whose rollups stand for
// about a million clicks: 2,000 referrers, 200 countries, 30 browsers, 20
// systems and 4 devices each day.
func BenchmarkClickStats(b *testing.B) {
	db := openMigrated(b)
	link := benchLink(b, db, "stats")
	sqlite.ExecForTest(b, db, `
		WITH RECURSIVE
			days(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM days WHERE i < 29),
			n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200),
			dim(name, n) AS (VALUES ('country', 200), ('browser', 30), ('os', 20), ('device', 4))
		INSERT INTO link_daily_stats (link_id, day, clicks, bot_clicks, unique_visitors, dims)
		SELECT ?, date('2026-03-01', '+' || i || ' days'), 33334, 3000, 20000,
			(SELECT json_group_object(dim.name || ':' || dim.name || n.i, 33334 / (n.i + 1) + 1) FROM dim, n WHERE n.i <= dim.n)
		FROM days`, link)
	sqlite.ExecForTest(b, db, `
		WITH RECURSIVE
			days(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM days WHERE i < 29),
			n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
		INSERT INTO link_daily_dimensions (link_id, day, dimension, value, clicks)
		SELECT ?, date('2026-03-01', '+' || days.i || ' days'), 'referrer', 'referrer' || n.i, 33334 / (n.i + 1) + 1
		FROM days, n`, link)
	sqlite.ExecForTest(b, db, `ANALYZE`)
	store := sqlite.NewClickStore(db)
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

// BenchmarkCreateLink creates one owned link per operation, as the API's
// create does: the row, its search index entry and its link.created event
// (none here: the owner has no endpoints) in one transaction.
func BenchmarkCreateLink(b *testing.B) {
	db := openMigrated(b)
	ctx := context.Background()
	users := sqlite.NewUserStore(db)
	owner := &shortener.User{ID: shortener.NewID(), Email: "bench@example.com", Role: shortener.RoleUser,
		PasswordHash: "x", IsActive: true, CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := users.CreateUser(ctx, owner); err != nil {
		b.Fatal(err)
	}
	store := sqlite.NewLinkStore(db)
	title := "A title to search"
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		now := time.Now()
		l := &shortener.Link{ID: shortener.NewIDAt(now), ShortCode: fmt.Sprintf("c%07d", i),
			OriginalURL: fmt.Sprintf("https://example.com/page/%d", i), Title: &title, OwnerID: &owner.ID,
			IsActive: true, IsPublic: true, CreatedAt: now, UpdatedAt: now, Tags: []string{"bench"}}
		if err := store.CreateLink(ctx, l); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListLinks reads the first page of 20 of an owner with 100,000
// links in each order: the count of the owner's links and the page.
func BenchmarkListLinks(b *testing.B) {
	db := openMigrated(b)
	seedLinks(b, db, 100_000)
	sqlite.ExecForTest(b, db, `UPDATE short_urls SET click_count = abs(random()) % 10000`)
	sqlite.ExecForTest(b, db, `ANALYZE`)
	store := sqlite.NewLinkStore(db)
	for _, sort := range shortener.LinkSorts {
		b.Run(string(sort), func(b *testing.B) {
			for range b.N {
				page, err := store.ListLinks(context.Background(),
					shortener.LinkQuery{OwnerID: "00000000-0000-4000-8000-000000000000", Limit: 20, Sort: sort})
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

// BenchmarkUserByID reads a user by ID, as authentication does on every
// request with a bearer token.
func BenchmarkUserByID(b *testing.B) {
	db := openMigrated(b)
	ctx := context.Background()
	users := sqlite.NewUserStore(db)
	u := &shortener.User{ID: shortener.NewID(), Email: "bench@example.com", Role: shortener.RoleUser,
		PasswordHash: "x", IsActive: true, CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := users.CreateUser(ctx, u); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := users.UserByID(ctx, u.ID); err != nil {
			b.Fatal(err)
		}
	}
}
