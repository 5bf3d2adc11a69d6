package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"time"
)

// benchBulk creates n links in bulk requests of 1,000 and prints links/s
// per request; it returns the ID of the first link.
func benchBulk(ctx context.Context, s *service, token string, n int) (string, error) {
	rng := rand.New(rand.NewPCG(16, 1))
	var rates []float64
	var first string
	start := time.Now()
	for r := 0; r < n/1000; r++ {
		items := make([]map[string]any, 1000)
		for i := range items {
			items[i] = linkItem(rng, r*1000+i)
		}
		var out struct {
			Created int `json:"created"`
			Items   []struct {
				Link struct {
					ID string `json:"id"`
				} `json:"link"`
			} `json:"items"`
		}
		t := time.Now()
		if err := s.call(ctx, "POST", "/api/v1/urls/bulk", token, map[string]any{"items": items}, 200, &out); err != nil {
			return "", err
		}
		rates = append(rates, float64(out.Created)/time.Since(t).Seconds())
		if out.Created != 1000 {
			return "", fmt.Errorf("bulk request %d created %d of 1000", r, out.Created)
		}
		if first == "" {
			first = out.Items[0].Link.ID
		}
	}
	slices.Sort(rates)
	fmt.Printf("bulk: %d requests of 1000 links in %s: links/s per request min %.0f, median %.0f, max %.0f\n",
		len(rates), since(start), rates[0], rates[len(rates)/2], rates[len(rates)-1])
	return first, nil
}

// benchList measures the filtered, sorted list, and for comparison the
// plain list and a search alone.
func benchList(ctx context.Context, s *service, token string, requests int) error {
	rng := rand.New(rand.NewPCG(16, 2))
	queries := map[string]func() string{
		"q+tag+sort=-click_count": func() string {
			return "q=" + url.QueryEscape(words[rng.IntN(len(words))]) + fmt.Sprintf("&tag=t%02d", rng.IntN(tagCount)) + "&sort=-click_count"
		},
		"q only (newest first)": func() string { return "q=" + url.QueryEscape(words[rng.IntN(len(words))]) },
		"q (rare: one link)":    func() string { return fmt.Sprintf("q=page-%d%%3Fref", rng.IntN(100000)) },
		"tag only, sort=title":  func() string { return fmt.Sprintf("tag=t%02d&sort=title", rng.IntN(tagCount)) },
		"no filter":             func() string { return "" },
	}
	for _, name := range []string{"q+tag+sort=-click_count", "q only (newest first)", "q (rare: one link)", "tag only, sort=title", "no filter"} {
		next := queries[name]
		var lat []time.Duration
		for i := 0; i < requests+20; i++ {
			var page struct {
				Total int `json:"total"`
			}
			t := time.Now()
			if err := s.call(ctx, "GET", "/api/v1/urls?"+next(), token, nil, 200, &page); err != nil {
				return err
			}
			if i >= 20 { // the first ones warm the caches
				lat = append(lat, time.Since(t))
			}
		}
		slices.Sort(lat)
		pct := func(p float64) time.Duration { return lat[int(float64(len(lat)-1)*p)].Round(10 * time.Microsecond) }
		fmt.Printf("list %-26s %d requests: p50 %s, p95 %s, p99 %s, max %s\n", name+":", len(lat), pct(0.5), pct(0.95), pct(0.99), lat[len(lat)-1].Round(10*time.Microsecond))
	}
	return nil
}

// benchExports streams the clicks export (CSV and NDJSON) and the links
// export and prints the service's RSS before and at its peak.
func benchExports(ctx context.Context, s *service, token, linkID string) error {
	var link struct {
		Code string `json:"short_code"`
	}
	if err := s.call(ctx, "GET", "/api/v1/urls/"+linkID, token, nil, 200, &link); err != nil {
		return err
	}
	from := url.QueryEscape(time.Now().UTC().AddDate(0, 0, -31).Format(time.RFC3339))
	for _, e := range []struct{ name, path string }{
		{"clicks, a tenth (CSV)", "/api/v1/analytics/" + link.Code + "/clicks?from=" +
			url.QueryEscape(time.Now().UTC().AddDate(0, 0, -3).Format(time.RFC3339))},
		{"clicks, all (CSV)", "/api/v1/analytics/" + link.Code + "/clicks?from=" + from},
		{"clicks, all (NDJSON)", "/api/v1/analytics/" + link.Code + "/clicks?format=ndjson&from=" + from},
		{"links (CSV)", "/api/v1/urls/export"},
	} {
		before := s.rssKiB()
		t := time.Now()
		n, peak, err := s.download(ctx, e.path, token)
		if err != nil {
			return err
		}
		fmt.Printf("export %-22s %7.1f MiB in %6s: RSS before %.1f MiB, peak %.1f MiB\n", e.name+":",
			float64(n)/(1<<20), since(t), float64(before)/1024, float64(peak)/1024)
	}
	return nil
}
