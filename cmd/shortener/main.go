// Command shortener runs the URL shortener: the HTTP server by default,
// and the migrate, user promote and version commands (see CONFIG.md).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	goredis "github.com/redis/go-redis/v9"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	// go-redis reports dial failures on its own global logger; during a
	// Redis outage that would print a line per pool dial. The server logs
	// outages itself, rate-limited, so keep go-redis at debug level.
	goredis.SetLogger(redisLogger{})
	if len(os.Args) < 2 || os.Args[1] == "serve" {
		tuneCollector(os.Getenv)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// The first signal starts the graceful shutdown; a second one ends the
	// process at once (the signals' default), as an operator pressing
	// Ctrl-C again expects. Clicks already spooled to disk are kept.
	context.AfterFunc(ctx, stop)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "shortener:", err)
		if errors.Is(err, errConfig) || errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// redisLogger sends go-redis's internal messages to slog at debug level.
type redisLogger struct{}

func (redisLogger) Printf(ctx context.Context, format string, v ...any) {
	slog.DebugContext(ctx, fmt.Sprintf(format, v...), slog.String("component", "go-redis"))
}

var errUsage = errors.New("usage")

const usage = `usage: shortener [command]

commands:
  serve                  run the HTTP server (default)
  migrate [up|status]    apply or list database migrations
  user promote EMAIL     give an existing user the admin role
  version                print the version
`

func isHelpFlag(arg string) bool { return arg == "--help" || arg == "-h" }

// run is the whole program; tests call it with their own arguments,
// environment and outputs.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	if slices.ContainsFunc(args, isHelpFlag) {
		cmd = "help" // "serve --help", "migrate -h": the usage, not a refusal
	}
	switch cmd {
	case "version", "--version", "-v":
		if len(args) > 0 {
			return fmt.Errorf("%w: version takes no arguments\n%s", errUsage, usage)
		}
		fmt.Fprintln(stdout, "shortener", version)
		return nil
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
		return nil
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	switch cmd {
	case "serve":
		if len(args) > 0 {
			return fmt.Errorf("%w: serve takes no arguments\n%s", errUsage, usage)
		}
		return serve(ctx, cfg, stdout, stderr)
	case "migrate":
		return migrateCommand(ctx, cfg, args, stdout)
	case "user":
		if len(args) != 2 || args[0] != "promote" || strings.TrimSpace(args[1]) == "" {
			return fmt.Errorf("%w: user promote EMAIL\n%s", errUsage, usage)
		}
		return promote(ctx, cfg, args[1], stdout)
	default:
		return fmt.Errorf("%w: unknown command %q\n%s", errUsage, cmd, usage)
	}
}
