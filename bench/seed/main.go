// Command seed fills a shortener database for the load benchmark, straight
// through the project's own SQL stores, which is much faster than the HTTP
// API for the 100,000 links and 1,000,000 clicks the benchmark needs:
//
//	seed links  -db DB [-n 100000]
//	seed clicks -db DB -link ID [-n 1000000] [-days 30]
//	seed warm   -url http://127.0.0.1:PORT [-n 100000]
//
// DB is a postgres:// URL or the path of the SQLite file (the service must
// not be running on a SQLite file while it is seeded). The schema is
// migrated first, so seeding may come before the service's first start.
// warm sends one HEAD per code to a running service, which fills its caches
// without recording clicks, and fails unless every code answers 302.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/bench/benchdata"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

const usage = "usage: seed links -db DB [-n N] | seed clicks -db DB -link ID [-n N] [-days D] | seed warm -url URL [-n N]"

func run(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	fs := flag.NewFlagSet("seed "+args[0], flag.ContinueOnError)
	switch args[0] {
	case "links":
		return runLinks(ctx, fs, args[1:], stdout)
	case "clicks":
		return runClicks(ctx, fs, args[1:], stdout)
	case "warm":
		return runWarm(ctx, fs, args[1:], stdout)
	default:
		return errors.New(usage)
	}
}

func runLinks(ctx context.Context, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	db := fs.String("db", "", "postgres:// URL, or the path of the SQLite file")
	n := fs.Int("n", benchdata.DefaultCodes, "number of links")
	workers := fs.Int("workers", 8, "concurrent inserts")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := benchdata.CheckCount(*n); err != nil {
		return err
	}
	return withEngine(ctx, *db, func(e *engine) error {
		start := time.Now()
		if err := seedLinks(ctx, e.links, *n, *workers); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "seeded %d links in %s\n", *n, time.Since(start).Round(time.Millisecond))
		return nil
	})
}

func runClicks(ctx context.Context, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	db := fs.String("db", "", "postgres:// URL, or the path of the SQLite file")
	link := fs.String("link", "", "ID of the link that gets the clicks")
	n := fs.Int("n", 1_000_000, "number of clicks")
	days := fs.Int("days", 30, "UTC days, ending today, the clicks spread over")
	batch := fs.Int("batch", 1000, "clicks per WriteClicks call")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !shortener.IsID(*link) || *n < 1 || *days < 1 || *batch < 1 {
		return errors.New("-link must be a link ID, and -n, -days and -batch positive")
	}
	return withEngine(ctx, *db, func(e *engine) error {
		start := time.Now()
		plan := clickPlan{linkID: *link, count: *n, days: *days, batch: *batch, now: shortener.SystemClock()}
		if err := seedClicks(ctx, e.clicks, plan); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "seeded %d clicks in %s\n", *n, time.Since(start).Round(time.Millisecond))
		return nil
	})
}

func runWarm(ctx context.Context, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	base := fs.String("url", "", "base URL of the running service, on a loopback address")
	n := fs.Int("n", benchdata.DefaultCodes, "number of codes")
	workers := fs.Int("workers", 32, "requests in flight")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := benchdata.CheckCount(*n); err != nil {
		return err
	}
	start := time.Now()
	bad, err := warmCaches(ctx, strings.TrimRight(*base, "/"), *n, *workers)
	if err != nil {
		return err
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d codes did not answer 302: is the database seeded?", bad, *n)
	}
	fmt.Fprintf(stdout, "warmed %d codes in %s\n", *n, time.Since(start).Round(time.Millisecond))
	return nil
}
