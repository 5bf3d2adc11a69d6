package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shortener-dev/shortener/bench/benchdata"
)

func TestHandlerAnswersLikeTheRedirect(t *testing.T) {
	store := memoryStore{}
	if err := store.Seed(context.Background(), 10); err != nil {
		t.Fatal(err)
	}
	h := newHandler(store)
	tests := []struct {
		name         string
		path         string
		wantStatus   int
		wantLocation string
	}{
		{"known code", "/" + benchdata.Code(3), http.StatusFound, benchdata.TargetURL(3)},
		{"hot code", "/" + benchdata.HotCode(), http.StatusFound, benchdata.TargetURL(0)},
		{"code past the seeded ones", "/" + benchdata.Code(10), http.StatusNotFound, ""},
		{"unknown code", "/zAbCdEf", http.StatusNotFound, ""},
		{"health", "/healthz", http.StatusOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.path, nil))
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			if got := rec.Header().Get("Location"); got != tt.wantLocation {
				t.Errorf("Location = %q, want %q", got, tt.wantLocation)
			}
			if tt.wantStatus == http.StatusFound && rec.Header().Get("Cache-Control") != "private, max-age=0" {
				t.Errorf("Cache-Control = %q", rec.Header().Get("Cache-Control"))
			}
		})
	}
}

func TestCheckLoopback(t *testing.T) {
	tests := []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:8100", true},
		{"127.0.0.2:0", true},
		{"[::1]:8100", true},
		{"localhost:8100", true},
		{":8100", false},
		{"0.0.0.0:8100", false},
		{"10.0.0.1:8100", false},
		{"example.com:80", false},
		{"127.0.0.1", false},
	}
	for _, tt := range tests {
		if err := checkLoopback(tt.addr); (err == nil) != tt.ok {
			t.Errorf("checkLoopback(%q) = %v, want ok=%v", tt.addr, err, tt.ok)
		}
	}
}

func TestRunServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-codes", "100"}, pw)
		_ = pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("read the listening line: %v (run: %v)", err, <-done)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	base := strings.TrimSpace(line[strings.Index(line, "http://"):])

	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(base + "/" + benchdata.Code(99))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != benchdata.TargetURL(99) {
		t.Errorf("GET code 99: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not return after cancel")
	}
}

func TestRunRefusesBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-addr", "0.0.0.0:0"},
		{"-codes", "0"},
		{"-codes", "1000001"},
		{"-addr", "127.0.0.1:0", "-mode", "bogus"},
		{"-addr", "127.0.0.1:0", "-mode", "postgres"},
		{"-addr", "127.0.0.1:0", "-mode", "postgres", "-db", "postgres://x@127.0.0.1/y", "-table", "t; DROP"},
	} {
		if err := run(context.Background(), args, io.Discard); err == nil {
			t.Errorf("run(%q) succeeded, want an error", args)
		}
	}
}
