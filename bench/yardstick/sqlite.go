package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"

	_ "modernc.org/sqlite" // the service's SQLite driver

	"github.com/shortener-dev/shortener/bench/benchdata"
)

// sqliteStore is a SQLite file with the service's settings (WAL,
// synchronous=NORMAL, one writer connection, immediate transactions):
// one primary-key SELECT per lookup, one INSERT per created link.
type sqliteStore struct {
	db   *sql.DB
	file string
}

func openSQLiteStore(ctx context.Context, file string) (*sqliteStore, error) {
	if file == "" {
		return nil, errors.New("-file is required with -mode sqlite")
	}
	q := url.Values{}
	for _, p := range []string{"busy_timeout(5000)", "synchronous(NORMAL)", "journal_mode(WAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+file+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("-file: %w", err)
	}
	// One connection, as the service's writer has: SQLite has one writer.
	db.SetMaxOpenConns(1)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open %s: %w", file, err)
	}
	return &sqliteStore{db: db, file: file}, nil
}

func (s *sqliteStore) Seed(ctx context.Context, n int) error {
	_, err := s.db.ExecContext(ctx, `DROP TABLE IF EXISTS links;
		CREATE TABLE links (short_code TEXT PRIMARY KEY, original_url TEXT NOT NULL)`)
	if err != nil {
		return fmt.Errorf("create table: %w", err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	for i := range n {
		if _, err := tx.ExecContext(ctx, "INSERT INTO links VALUES (?, ?)", benchdata.Code(i), benchdata.TargetURL(i)); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
	}
	return tx.Commit()
}

func (s *sqliteStore) Lookup(ctx context.Context, code string) (string, bool, error) {
	var t string
	err := s.db.QueryRowContext(ctx, "SELECT original_url FROM links WHERE short_code = ?", code).Scan(&t)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return t, err == nil, err
}

func (s *sqliteStore) Create(ctx context.Context, code, target string) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO links (short_code, original_url) VALUES (?, ?)", code, target)
	return err
}

// Close closes the database and removes its file and the WAL's.
func (s *sqliteStore) Close(context.Context) error {
	err := s.db.Close()
	for _, f := range []string{s.file, s.file + "-wal", s.file + "-shm"} {
		if rerr := os.Remove(f); rerr != nil && !errors.Is(rerr, os.ErrNotExist) && err == nil {
			err = rerr
		}
	}
	return err
}
