package main

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	goredis "github.com/redis/go-redis/v9"

	"github.com/shortener-dev/shortener/bench/benchdata"
	"github.com/shortener-dev/shortener/postgres"
)

// codeStore is where the yardstick looks codes up: one lookup per request,
// the least any real shortener must do.
type codeStore interface {
	// Seed stores the first n codes of benchdata with their targets.
	Seed(ctx context.Context, n int) error
	// Lookup returns the target of code; found is false for an unknown code.
	Lookup(ctx context.Context, code string) (target string, found bool, err error)
	// Close removes what Seed stored and releases connections.
	Close(ctx context.Context) error
}

// seedBatch is how many codes go to Redis or PostgreSQL in one round trip.
const seedBatch = 1000

func openStore(ctx context.Context, o *options) (codeStore, error) {
	switch o.mode {
	case "memory":
		return memoryStore{}, nil
	case "redis":
		return openRedisStore(ctx, o.redisURL, o.prefix)
	case "postgres":
		return openPostgresStore(ctx, o.dbURL, o.table)
	case "sqlite":
		return openSQLiteStore(ctx, o.file)
	default:
		return nil, fmt.Errorf("-mode: want memory, redis, postgres or sqlite, got %q", o.mode)
	}
}

// memoryStore is a plain map, read-only once seeded, so it needs no lock.
type memoryStore map[string]string

func (m memoryStore) Seed(_ context.Context, n int) error {
	for i := range n {
		m[benchdata.Code(i)] = benchdata.TargetURL(i)
	}
	return nil
}

func (m memoryStore) Lookup(_ context.Context, code string) (string, bool, error) {
	t, ok := m[code]
	return t, ok, nil
}

func (m memoryStore) Close(context.Context) error { return nil }

// redisStore does one GET of prefix+code per lookup.
type redisStore struct {
	client *goredis.Client
	prefix string
	seeded int
}

func openRedisStore(ctx context.Context, url, prefix string) (*redisStore, error) {
	if prefix == "" {
		return nil, errors.New("-prefix must not be empty: it keeps the yardstick's keys apart")
	}
	opts, err := goredis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("-redis: %w", err)
	}
	client := goredis.NewClient(opts)
	if err := client.Ping(ctx).Err(); err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("ping redis: %w", err)
	}
	return &redisStore{client: client, prefix: prefix}, nil
}

func (s *redisStore) Seed(ctx context.Context, n int) error {
	for start := 0; start < n; start += seedBatch {
		pairs := make([]any, 0, 2*seedBatch)
		for i := start; i < min(start+seedBatch, n); i++ {
			pairs = append(pairs, s.prefix+benchdata.Code(i), benchdata.TargetURL(i))
		}
		if err := s.client.MSet(ctx, pairs...).Err(); err != nil {
			return fmt.Errorf("seed redis: %w", err)
		}
		s.seeded = min(start+seedBatch, n)
	}
	return nil
}

func (s *redisStore) Lookup(ctx context.Context, code string) (string, bool, error) {
	t, err := s.client.Get(ctx, s.prefix+code).Result()
	if errors.Is(err, goredis.Nil) {
		return "", false, nil
	}
	return t, err == nil, err
}

func (s *redisStore) Close(ctx context.Context) error {
	defer s.client.Close()
	for start := 0; start < s.seeded; start += seedBatch {
		keys := make([]string, 0, seedBatch)
		for i := start; i < min(start+seedBatch, s.seeded); i++ {
			keys = append(keys, s.prefix+benchdata.Code(i))
		}
		if err := s.client.Del(ctx, keys...).Err(); err != nil {
			return fmt.Errorf("delete seeded keys: %w", err)
		}
	}
	return nil
}

// postgresStore does one primary-key SELECT per lookup, on a pool with
// pgx's default size, as the service's pool is.
type postgresStore struct {
	pool   *pgxpool.Pool
	table  string
	lookup string
	insert string
}

// tableName keeps the table flag from becoming SQL.
var tableName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

func openPostgresStore(ctx context.Context, url, table string) (*postgresStore, error) {
	if url == "" {
		return nil, errors.New("-db is required with -mode postgres")
	}
	if !tableName.MatchString(table) {
		return nil, fmt.Errorf("-table: %q is not a plain lower-case identifier", table)
	}
	// The service's pool rule, so that both sides may wait for as many
	// commits at once.
	cfg, err := postgres.PoolConfig(url)
	if err != nil {
		return nil, errors.New("-db: invalid PostgreSQL URL")
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("-db: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("ping postgres: %w", err)
	}
	return &postgresStore{pool: pool, table: table,
		lookup: "SELECT original_url FROM " + table + " WHERE short_code = $1",
		insert: "INSERT INTO " + table + " (short_code, original_url) VALUES ($1, $2)"}, nil
}

func (s *postgresStore) Seed(ctx context.Context, n int) error {
	ddl := "DROP TABLE IF EXISTS " + s.table + "; CREATE TABLE " + s.table +
		" (short_code text PRIMARY KEY, original_url text NOT NULL)"
	if _, err := s.pool.Exec(ctx, ddl); err != nil {
		return fmt.Errorf("create %s: %w", s.table, err)
	}
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = []any{benchdata.Code(i), benchdata.TargetURL(i)}
	}
	_, err := s.pool.CopyFrom(ctx, pgx.Identifier{s.table}, []string{"short_code", "original_url"}, pgx.CopyFromRows(rows))
	if err != nil {
		return fmt.Errorf("seed %s: %w", s.table, err)
	}
	// Fresh statistics, so the planner uses the index from the first query.
	if _, err := s.pool.Exec(ctx, "ANALYZE "+s.table); err != nil {
		return fmt.Errorf("analyze %s: %w", s.table, err)
	}
	return nil
}

func (s *postgresStore) Lookup(ctx context.Context, code string) (string, bool, error) {
	var t string
	err := s.pool.QueryRow(ctx, s.lookup, code).Scan(&t)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	return t, err == nil, err
}

func (s *postgresStore) Create(ctx context.Context, code, target string) error {
	_, err := s.pool.Exec(ctx, s.insert, code, target)
	return err
}

func (s *postgresStore) Close(ctx context.Context) error {
	defer s.pool.Close()
	if _, err := s.pool.Exec(ctx, "DROP TABLE IF EXISTS "+s.table); err != nil {
		return fmt.Errorf("drop %s: %w", s.table, err)
	}
	return nil
}
