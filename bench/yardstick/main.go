// Command yardstick is the ceiling the shortener's redirect is measured
// against: the smallest Go server that answers GET /{code} with a 302 to the
// code's target, or a 404 for an unknown code. It looks the code up in an
// in-memory map (-mode memory), with one Redis GET (-mode redis) or with one
// PostgreSQL primary-key SELECT (-mode postgres) per request, and does
// nothing else: no click, no metrics, no logging. Whatever the service does
// on top of that lookup is what the benchmark's ratio prices.
//
// It seeds its own data (the codes of package benchdata) under its own Redis
// key prefix or in its own table, and removes them again when it stops.
// It listens on a loopback address only.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/shortener-dev/shortener/bench/benchdata"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "yardstick:", err)
		os.Exit(1)
	}
}

// options are the command-line flags.
type options struct {
	addr     string
	mode     string
	codes    int
	redisURL string
	prefix   string
	dbURL    string
	table    string
	file     string
}

func parseFlags(args []string) (*options, error) {
	var o options
	fs := flag.NewFlagSet("yardstick", flag.ContinueOnError)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8100", "loopback address to listen on")
	fs.StringVar(&o.mode, "mode", "memory", "where codes are looked up: memory, redis, postgres or sqlite")
	fs.IntVar(&o.codes, "codes", benchdata.DefaultCodes, "number of codes to seed")
	fs.StringVar(&o.redisURL, "redis", "redis://127.0.0.1:6379/0", "Redis URL (-mode redis)")
	fs.StringVar(&o.prefix, "prefix", "yardstick:", "prefix of the Redis keys it seeds and deletes (-mode redis)")
	fs.StringVar(&o.dbURL, "db", "", "PostgreSQL URL of a scratch database (-mode postgres)")
	fs.StringVar(&o.table, "table", "yardstick_links", "table it creates, seeds and drops (-mode postgres)")
	fs.StringVar(&o.file, "file", "", "SQLite file it creates, seeds and removes (-mode sqlite)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if err := benchdata.CheckCount(o.codes); err != nil {
		return nil, err
	}
	if err := checkLoopback(o.addr); err != nil {
		return nil, err
	}
	return &o, nil
}

// checkLoopback refuses any listen address that is not on this machine's
// loopback: the benchmark's traffic never leaves the machine.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr: %w", err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-addr: %q is not a loopback address", host)
	}
	return nil
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	o, err := parseFlags(args)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	store, err := openStore(ctx, o)
	if err != nil {
		return err
	}
	defer func() {
		// Cleaning up must not depend on the cancelled run context.
		cctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := store.Close(cctx); err != nil {
			logger.Warn("clean up", slog.Any("error", err))
		}
	}()
	if err := store.Seed(ctx, o.codes); err != nil {
		return err
	}

	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", o.addr, err)
	}
	// The same server timeouts as the shortener's, so neither side gets
	// an advantage from them.
	srv := &http.Server{
		Handler:           newHandler(store),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(stdout, "yardstick (%s, %d codes) listening on http://%s\n", o.mode, o.codes, ln.Addr())

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// newHandler answers GET /{code} from store, with the headers the
// shortener sends on a redirect, and 200 on /healthz for readiness checks;
// with a store that can create links (postgres, sqlite), also
// POST /api/v1/urls.
func newHandler(store codeStore) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusOK)
	})
	if c, ok := store.(creator); ok {
		mux.HandleFunc("POST /api/v1/urls", handleCreate(c))
	}
	mux.HandleFunc("GET /{code}", func(w http.ResponseWriter, r *http.Request) {
		target, found, err := store.Lookup(r.Context(), r.PathValue("code"))
		switch {
		case err != nil:
			w.WriteHeader(http.StatusServiceUnavailable)
		case !found:
			w.WriteHeader(http.StatusNotFound)
		default:
			h := w.Header()
			h["Location"] = []string{target}
			h["Cache-Control"] = cacheControlPrivate
			w.WriteHeader(http.StatusFound)
		}
	})
	return mux
}

var cacheControlPrivate = []string{"private, max-age=0"}
