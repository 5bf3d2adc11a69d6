package main

import (
	"net/http"
	"testing"

	"github.com/shortener-dev/shortener/internal/testenv"
)

// TestE2EFullDisk puts DATA_DIR on a small real filesystem and fills it:
// redirects keep answering, the health check names the clicks check as
// failing while clicks cannot be spooled, the clicks of that time are kept
// in memory and counted, and once there is room again the service recovers
// by itself. In embedded mode the database is on the full disk too, so its
// writes wait for the room as well.
func TestE2EFullDisk(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b, func(t *testing.T) {
			t.Parallel()
			disk := testenv.SmallDisk(t, "32m")
			srv := startServer(t, b, map[string]string{"DATA_DIR": disk})
			owner := srv.newAccount(t)
			l := srv.createLink(t, owner.access, map[string]any{"original_url": "https://example.com/full-disk"})
			code, id := str(l["short_code"]), str(l["id"])
			clicks := 0
			follow := func(n int) {
				t.Helper()
				for range n {
					expectRedirect(t, srv.redirect(t, code, withHeader("User-Agent", uaChrome)), "https://example.com/full-disk")
					clicks++
				}
			}
			health := func() map[string]any {
				r := srv.do(t, "GET", "/api/v1/health", nil)
				var h map[string]any
				r.decode(t, &h)
				h["http_status"] = r.Status
				return h
			}

			follow(20)
			free := testenv.FillDisk(t, disk)
			follow(200)
			h := health()
			checks, _ := h["checks"].(map[string]any)
			if h["http_status"] != http.StatusServiceUnavailable || checks["clicks"] != "unavailable" {
				t.Fatalf("health with a full disk = %v, want 503 with clicks unavailable", h)
			}

			free()
			waitFor(t, "the clicks check to recover", func() bool { return health()["http_status"] == http.StatusOK })
			follow(30)
			waitFor(t, "every click to be counted", func() bool {
				r := srv.do(t, "GET", "/api/v1/urls/"+id, nil, withToken(owner.access))
				return integer(t, "click_count", r.object(t)["click_count"]) == clicks
			})
		})
	}
}
