package sqlite_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/sqlite"
)

// TestPruneClicksWalksTheLinks: with no index on occurred_at alone
// (migration 00053), the retention job deletes each link's old clicks
// through (link_id, occurred_at), a few links a pass: every link's old
// clicks go, across passes, and the new ones and the rollups stay.
func TestPruneClicksWalksTheLinks(t *testing.T) {
	ctx := context.Background()
	db := openMigrated(t)
	sqlite.SetPruneLinksForTest(t, 2)
	clicks := sqlite.NewClickStore(db)
	cutoff := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	var batch []shortener.ClickEvent
	for i := range 5 {
		link := benchLink(t, db, fmt.Sprintf("prune%d", i))
		for j, at := range []time.Time{cutoff.AddDate(0, -2, 0), cutoff.Add(-time.Microsecond), cutoff, cutoff.AddDate(0, 1, 0)} {
			batch = append(batch, shortener.ClickEvent{ID: shortener.NewIDAt(at), LinkID: link, OccurredAt: at,
				Browser: "Chrome", OS: "Linux", Device: shortener.DeviceDesktop, Country: "DE", VisitorHash: fmt.Sprint(i, j)})
		}
	}
	if err := clicks.WriteClicks(ctx, batch); err != nil {
		t.Fatal(err)
	}
	n, err := clicks.PruneClicks(ctx, cutoff.AddDate(0, 2, 0), cutoff)
	if err != nil {
		t.Fatal(err)
	}
	old := sqlite.CountForTest(t, db, `SELECT count(*) FROM click_events WHERE occurred_at < ?`, cutoff.UnixMicro())
	kept := sqlite.CountForTest(t, db, `SELECT count(*) FROM click_events WHERE occurred_at >= ?`, cutoff.UnixMicro())
	if n != 10 || old != 0 || kept != 10 {
		t.Errorf("pruned %d, %d old clicks left, %d kept; want the 10 old clicks of the 5 links pruned and 10 kept", n, old, kept)
	}
	if total := sqlite.CountForTest(t, db, `SELECT sum(clicks) FROM link_daily_stats`); total != 20 {
		t.Errorf("the rollups count %d clicks after pruning, want all 20", total)
	}
}

// The prune's delete reads click_events only through the index on
// (link_id, occurred_at), never by a scan of all clicks.
func TestPruneClicksUsesTheLinkIndex(t *testing.T) {
	db := openMigrated(t)
	var plan []string
	rows, err := sqlite.QueryForTest(db, `EXPLAIN QUERY PLAN `+sqlite.PruneClicksSQL, "", "z", 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	all := strings.Join(plan, "\n")
	if !strings.Contains(all, "click_events_link_occurred_idx (link_id=? AND occurred_at<?)") || strings.Contains(all, "SCAN click_events") {
		t.Errorf("the prune's plan:\n%s\nwant click_events read through click_events_link_occurred_idx only", all)
	}
}
