package httpapi_test

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// seriesCount is the number of time series the registry exposes.
func seriesCount(t *testing.T, reg *prometheus.Registry) int {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range families {
		n += len(f.GetMetric())
	}
	return n
}

// madeUpMethod is a valid method token that no server knows.
func madeUpMethod(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('A' + r.IntN(26))
	}
	return string(b)
}

// A client picks the method: it must not pick metric series or log
// volume. Made-up methods share one label value and a bounded log field.
func TestMadeUpMethodsKeepTheSeriesFixed(t *testing.T) {
	f := newFakes()
	srv := f.server()
	r := rand.New(rand.NewPCG(1, 2))
	serve(t, srv, madeUpMethod(r, 40), "/api/v1/urls", "")
	before := seriesCount(t, f.registry)
	var longest string
	for i := range 200 {
		method := madeUpMethod(r, 1000+i)
		if i%2 == 0 {
			method = "GET" + method // a known method is not a prefix to trust
		}
		target := []string{"/api/v1/urls", "/abc", "/metrics", "/nope"}[i%4]
		w := serve(t, srv, method, target, "")
		p := decodeProblem(t, w, http.StatusNotImplemented)
		if strings.Contains(p.Detail, method[:20]) {
			t.Fatalf("detail %q echoes the method", p.Detail)
		}
		longest = method
	}
	if after := seriesCount(t, f.registry); after != before {
		t.Errorf("%d series after 200 made-up methods, want %d as after the first", after, before)
	}
	for _, line := range strings.Split(strings.TrimSpace(f.logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		method, _ := rec["method"].(string)
		if len(method) > 16 {
			t.Errorf("log field method has %d bytes: %.40q...", len(method), method)
		}
	}
	if strings.Contains(f.logs.String(), longest[:14]) {
		t.Error("the logs carry more than 13 characters of a made-up method (16 with the marker of the cut)")
	}
}

// Every known method keeps its own label value.
func TestKnownMethodsAreLabelled(t *testing.T) {
	f := newFakes()
	srv := f.server()
	for _, m := range []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} {
		serve(t, srv, m, "/api/v1/health", "")
	}
	families, err := f.registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, fam := range families {
		if fam.GetName() != "shortener_http_requests_total" {
			continue
		}
		for _, m := range fam.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "method" {
					seen[l.GetValue()] = true
				}
			}
		}
	}
	for _, m := range []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} {
		if !seen[m] {
			t.Errorf("no series with method=%q; have %v", m, seen)
		}
	}
}

// The path is logged, but never more than 256 bytes of it.
func TestLoggedPathIsBounded(t *testing.T) {
	f := newFakes()
	long := "/" + strings.Repeat("é", 2000)
	serve(t, f.server(), "GET", "/api/v1/urls"+long, "")
	for _, line := range strings.Split(strings.TrimSpace(f.logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		path, ok := rec["path"].(string)
		if !ok {
			continue
		}
		if len(path) > 256+len("...") || !strings.HasSuffix(path, "...") || strings.ContainsRune(path, '\uFFFD') {
			t.Errorf("path field of %d bytes %.60q..., want at most 256 whole characters and a marker", len(path), path)
		}
	}
}
