package postgres_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/shortener-dev/shortener/postgres"
)

func TestPoolConfig(t *testing.T) {
	want := int32(max(16, runtime.GOMAXPROCS(0)))
	for _, tt := range []struct {
		url  string
		want int32
	}{
		{"postgres://u:p@127.0.0.1:5432/db?sslmode=disable", want},
		{"postgres://u:p@127.0.0.1:5432/db?pool_max_conns=3", 3},
		{"host=127.0.0.1 user=u dbname=db", want},
		{"host=127.0.0.1 user=u dbname=db pool_max_conns=5", 5},
	} {
		cfg, err := postgres.PoolConfig(tt.url)
		if err != nil {
			t.Fatalf("PoolConfig(%q): %v", tt.url, err)
		}
		if cfg.MaxConns != tt.want {
			t.Errorf("PoolConfig(%q).MaxConns = %d, want %d", tt.url, cfg.MaxConns, tt.want)
		}
		if d := cfg.ConnConfig.ConnectTimeout; d <= 0 || d > 5e9 {
			t.Errorf("PoolConfig(%q): connect timeout %v, want (0, 5s]", tt.url, d)
		}
	}
	_, err := postgres.PoolConfig("postgres://u:s3cret@127.0.0.1:notaport/db")
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("PoolConfig of a bad URL: %v; want an error without the password", err)
	}
}
