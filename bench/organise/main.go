// Command organise measures the organising calls of issue 16 against the
// real service, started from its binary on a scratch database:
//
//   - bulk: 100 POST /api/v1/urls/bulk requests of 1,000 links each (the
//     100,000 links of one user the list needs), links/s per request;
//   - list: GET /api/v1/urls?q=...&tag=...&sort=-click_count over those
//     links (click counts made random first), p50/p95/p99 of sequential
//     requests with varying terms;
//   - export: the service's RSS while it streams the clicks export of a
//     link with many clicks (seeded with bench/seed) and the CSV export of
//     the 100,000 links.
//
// Usage (see BENCHMARKS.md):
//
//	go build -o /tmp/shortener ./cmd/shortener && go build -o /tmp/seed ./bench/seed
//	go run ./bench/organise -bin /tmp/shortener -seed /tmp/seed [-db postgres://...] [-redis redis://...]
//
// Without -db the service runs embedded (SQLite in a temporary DATA_DIR).
// With -db it uses a fresh schema of that database, dropped at the end.
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "organise:", err)
		os.Exit(1)
	}
}

type options struct {
	bin, seed, db, redis string
	links, clicks        int
	requests             int
	keep                 bool
}

func run(ctx context.Context) error {
	var o options
	flag.StringVar(&o.bin, "bin", "", "the shortener binary")
	flag.StringVar(&o.seed, "seed", "", "the bench/seed binary (for the clicks)")
	flag.StringVar(&o.db, "db", "", "postgres:// URL; empty: embedded SQLite")
	flag.StringVar(&o.redis, "redis", "", "redis:// URL; empty: in-process")
	flag.IntVar(&o.links, "links", 100_000, "links of the user (a multiple of 1000)")
	flag.IntVar(&o.clicks, "clicks", 1_000_000, "clicks of the exported link (0: skip the export)")
	flag.IntVar(&o.requests, "requests", 300, "list requests measured")
	flag.BoolVar(&o.keep, "keep", false, "keep the scratch database (its place is printed) to look into it")
	flag.Parse()
	if o.bin == "" || (o.seed == "" && o.clicks > 0) {
		return fmt.Errorf("-bin and -seed are required")
	}
	scratch, err := newScratch(ctx, o)
	if err != nil {
		return err
	}
	if o.keep {
		fmt.Printf("keeping the scratch database: DATA_DIR %s, schema %q\n", scratch.dataDir, scratch.schema)
	} else {
		defer scratch.drop()
	}

	svc, err := startService(ctx, o.bin, scratch.env)
	if err != nil {
		return err
	}
	defer svc.stop()
	token, err := svc.account(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("backend %s, %d links, %d clicks\n", scratch.name, o.links, o.clicks)

	firstID, err := benchBulk(ctx, svc, token, o.links)
	if err != nil {
		return err
	}
	if err := scratch.randomClickCounts(ctx); err != nil {
		return err
	}
	if err := benchList(ctx, svc, token, o.requests); err != nil {
		return err
	}
	if o.clicks == 0 {
		return nil
	}
	// Clicks go straight into the store (a redirect can only record one
	// now), with the service stopped: SQLite has a single writer.
	svc.stop()
	if err := scratch.seedClicks(ctx, o.seed, firstID, o.clicks); err != nil {
		return err
	}
	if svc, err = startService(ctx, o.bin, scratch.env); err != nil {
		return err
	}
	defer svc.stop()
	if token, err = svc.login(ctx); err != nil {
		return err
	}
	return benchExports(ctx, svc, token, firstID)
}

// words are the search terms; each link's title holds one.
var words = []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
	"kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango",
	"uniform", "victor", "whiskey", "xray", "yankee", "zulu", "amber", "cobalt", "indigo", "scarlet"}

const tagCount = 20

// linkItem is the i-th link of the user: a word in its title and URL,
// two tags of 20.
func linkItem(rng *rand.Rand, i int) map[string]any {
	w := words[rng.IntN(len(words))]
	return map[string]any{
		"original_url": fmt.Sprintf("https://www.example.com/%s/page-%d?ref=bench", w, i),
		"title":        fmt.Sprintf("%s report %d", w, i),
		"tags":         []string{fmt.Sprintf("t%02d", i%tagCount), fmt.Sprintf("g%d", i%7)},
	}
}

func since(t time.Time) time.Duration { return time.Since(t).Round(time.Millisecond) }
