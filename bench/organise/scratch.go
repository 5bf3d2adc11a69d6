package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite"
)

// scratch is the service's environment on a throwaway database.
type scratch struct {
	name    string
	env     []string
	dataDir string
	pgBase  string // the -db URL; "" for SQLite
	pgURL   string // with the scratch schema as search_path
	schema  string
}

func newScratch(ctx context.Context, o options) (*scratch, error) {
	dir, err := os.MkdirTemp("", "organise-bench-")
	if err != nil {
		return nil, err
	}
	s := &scratch{name: "embedded (SQLite, in-process)", dataDir: dir}
	s.env = append(os.Environ(), "LISTEN_ADDR=127.0.0.1:0", "DATA_DIR="+dir, "ENVIRONMENT=test",
		"SECRET_KEY=organise-bench-secret-0123456789abcdefghij", "BCRYPT_COST=4",
		"RATE_LIMIT_REQUESTS=1000000", "ANON_RATE_LIMIT_REQUESTS=1000000", "LOG_LEVEL=warn",
		"REGISTER_RATE_LIMIT_REQUESTS=1000000", "LOGIN_RATE_LIMIT_REQUESTS=1000000")
	if o.redis != "" {
		s.env = append(s.env, "REDIS_URL="+o.redis, fmt.Sprintf("REDIS_KEY_PREFIX=organise%d:", time.Now().UnixNano()))
	}
	if o.db == "" {
		return s, nil
	}
	s.pgBase, s.schema = o.db, fmt.Sprintf("organise_bench_%d", time.Now().UnixNano())
	conn, err := pgx.Connect(ctx, o.db)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+s.schema); err != nil {
		return nil, err
	}
	u, err := url.Parse(o.db)
	if err != nil {
		return nil, err
	}
	q := u.Query()
	q.Set("search_path", s.schema)
	u.RawQuery = q.Encode()
	s.pgURL = u.String()
	s.name = "postgres"
	if o.redis != "" {
		s.name += "+redis"
	}
	s.env = append(s.env, "DATABASE_URL="+s.pgURL)
	return s, nil
}

// drop removes the scratch database.
func (s *scratch) drop() {
	_ = os.RemoveAll(s.dataDir)
	if s.pgBase == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if conn, err := pgx.Connect(ctx, s.pgBase); err == nil {
		_, _ = conn.Exec(ctx, "DROP SCHEMA "+s.schema+" CASCADE")
		_ = conn.Close(ctx)
	}
}

// randomClickCounts gives every link a click count of 0-9999, so that
// sorting by it has work to do, and refreshes the planner's statistics.
func (s *scratch) randomClickCounts(ctx context.Context) error {
	start := time.Now()
	if s.pgBase != "" {
		conn, err := pgx.Connect(ctx, s.pgURL)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		for _, q := range []string{`UPDATE short_urls SET click_count = floor(random() * 10000)`, `VACUUM ANALYZE short_urls`} {
			if _, err := conn.Exec(ctx, q); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
	} else {
		db, err := sql.Open("sqlite", filepath.Join(s.dataDir, "shortener.db")+"?_pragma=busy_timeout(10000)")
		if err != nil {
			return err
		}
		defer db.Close()
		for _, q := range []string{`UPDATE short_urls SET click_count = abs(random()) % 10000`, `ANALYZE`} {
			if _, err := db.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
	}
	fmt.Printf("random click counts and ANALYZE in %s\n", since(start))
	return nil
}

// seedClicks writes n clicks of the link over the last 30 days with
// bench/seed.
func (s *scratch) seedClicks(ctx context.Context, seedBin, linkID string, n int) error {
	db := s.pgURL
	if db == "" {
		db = filepath.Join(s.dataDir, "shortener.db")
	}
	cmd := exec.CommandContext(ctx, seedBin, "clicks", "-db", db, "-link", linkID, "-n", fmt.Sprint(n), "-days", "30")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd.Run()
}
