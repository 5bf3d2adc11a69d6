package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/postgres"
)

// TestClickPartitions: pruning creates the coming months' partitions,
// moves rows that waited in the default partition into their month, and
// drops the months wholly before the cutoff instead of deleting their
// rows one by one.
func TestClickPartitions(t *testing.T) {
	ctx := context.Background()
	db := openMigrated(t)
	links, clicks := postgres.NewLinkStore(db), postgres.NewClickStore(db)
	at := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	l := &shortener.Link{ID: shortener.NewIDAt(at), ShortCode: "parts", OriginalURL: "https://example.com/",
		IsActive: true, CreatedAt: at, UpdatedAt: at, RedirectType: shortener.DefaultRedirectType}
	if err := links.CreateLink(ctx, l); err != nil {
		t.Fatal(err)
	}
	exists := func(name string) bool {
		return postgres.CountForTest(t, db, `SELECT count(*) FROM pg_class WHERE oid = to_regclass($1)`, name) == 1
	}
	rows := func(table string) int64 { return postgres.CountForTest(t, db, `SELECT count(*) FROM `+table) }

	// A January click, written before January's partition exists, waits
	// in the default partition.
	c := shortener.ClickEvent{ID: shortener.NewIDAt(at), LinkID: l.ID, OccurredAt: at.Add(time.Hour),
		Referrer: "(direct)", Browser: "Chrome", OS: "Linux", Device: "desktop", Country: "DE", VisitorHash: "v"}
	if err := clicks.WriteClicks(ctx, []shortener.ClickEvent{c}); err != nil {
		t.Fatal(err)
	}
	if exists("click_events_202601") || rows("click_events_default") != 1 {
		t.Fatalf("before pruning: January partition %v, default rows %d", exists("click_events_202601"), rows("click_events_default"))
	}
	if _, err := clicks.PruneClicks(ctx, at, time.Time{}); err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"202601", "202602", "202603"} {
		if !exists("click_events_" + m) {
			t.Errorf("partition %s not created", m)
		}
	}
	if rows("click_events_default") != 0 || rows("click_events_202601") != 1 {
		t.Errorf("the January click was not moved into its month: default %d, January %d",
			rows("click_events_default"), rows("click_events_202601"))
	}
	// Written again (a redelivery), it is the same click.
	if err := clicks.WriteClicks(ctx, []shortener.ClickEvent{c}); err != nil || rows("click_events") != 1 {
		t.Errorf("a redelivered click: %v, %d rows", err, rows("click_events"))
	}

	if _, err := clicks.PruneClicks(ctx, at.AddDate(0, 2, 0), time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if exists("click_events_202601") || !exists("click_events_202602") || !exists("click_events_202605") {
		t.Errorf("after pruning before 10 February: January %v (want dropped), February %v, May %v (want kept and created)",
			exists("click_events_202601"), exists("click_events_202602"), exists("click_events_202605"))
	}
	if n := postgres.CountForTest(t, db, `SELECT clicks FROM link_daily_stats WHERE link_id = $1`, l.ID); n != 1 {
		t.Errorf("the rollup of the dropped month holds %d clicks, want 1", n)
	}
}
