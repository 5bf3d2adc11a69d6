package postgres_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/postgres"
)

// BenchmarkCreateLinks1000 inserts 1,000 links of one owner (tagged,
// titled, with an endpoint subscribed to link.created) per operation in
// one CreateLinks call: the store's share of a 1,000-item bulk create.
func BenchmarkCreateLinks1000(b *testing.B) {
	ctx := context.Background()
	db := openMigrated(b)
	users, links := postgres.NewUserStore(db), postgres.NewLinkStore(db)
	now := time.Now()
	u := &shortener.User{ID: shortener.NewID(), Email: "bulk@example.com", PasswordHash: "x", Role: "user",
		IsActive: true, CreatedAt: now, UpdatedAt: now}
	if err := users.CreateUser(ctx, u); err != nil {
		b.Fatal(err)
	}
	hooks := postgres.NewWebhookStore(db)
	if err := hooks.CreateWebhook(ctx, &shortener.Webhook{ID: shortener.NewID(), UserID: u.ID, URL: "https://example.com/hook",
		Events: []string{shortener.EventLinkCreated}, Secret: "s", IsActive: true, CreatedAt: now, UpdatedAt: now}); err != nil {
		b.Fatal(err)
	}
	for _, ix := range strings.Fields(os.Getenv("BENCH_DROP_INDEXES")) {
		postgres.ExecForTest(b, db, "DROP INDEX "+ix) // to weigh an index's cost
	}
	n := 0
	b.ResetTimer()
	for range b.N {
		batch := make([]*shortener.Link, 1000)
		for i := range batch {
			n++
			title := fmt.Sprintf("bravo report %d", n)
			batch[i] = &shortener.Link{ID: shortener.NewID(), ShortCode: fmt.Sprintf("c%07d", n), OwnerID: &u.ID,
				OriginalURL: fmt.Sprintf("https://www.example.com/bravo/page-%d?ref=bench", n), Title: &title,
				Tags: []string{fmt.Sprintf("t%02d", n%20), fmt.Sprintf("g%d", n%7)}, IsActive: true, IsPublic: true,
				CreatedAt: now, UpdatedAt: now, RedirectType: shortener.DefaultRedirectType}
		}
		if _, err := links.CreateLinks(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*1000)/b.Elapsed().Seconds(), "links/s")
}
