package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/shortener-dev/shortener/bench/benchdata"
)

// warmCaches sends HEAD /{code} for each of the first n benchmark codes to
// the server at base, workers requests at a time. HEAD resolves a code
// exactly as GET does, so it fills the service's Redis and in-process
// caches, but it records no click (wrk cannot do this: it waits for a body
// after a HEAD response). It is also a check of the seed: every code must
// answer 302. It returns how many did not.
func warmCaches(ctx context.Context, base string, n, workers int) (int64, error) {
	if err := checkLoopbackURL(base); err != nil {
		return 0, err
	}
	client := &http.Client{
		Timeout:       10 * time.Second,
		Transport:     &http.Transport{MaxIdleConnsPerHost: workers},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	defer client.CloseIdleConnections()
	var bad atomic.Int64
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, workers))
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		g.Go(func() error {
			status, err := head(ctx, client, base+"/"+benchdata.Code(i))
			if err != nil {
				return err
			}
			if status != http.StatusFound {
				bad.Add(1)
			}
			return nil
		})
	}
	err := g.Wait()
	return bad.Load(), err
}

func head(ctx context.Context, client *http.Client, target string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, target, nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("warm: %w", err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

// checkLoopbackURL refuses a server anywhere but on this machine: the
// benchmark's traffic never leaves it.
func checkLoopbackURL(base string) error {
	u, err := url.Parse(base)
	if err != nil || u.Scheme != "http" {
		return errors.New("-url must be an http:// URL")
	}
	ip := net.ParseIP(u.Hostname())
	if u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-url: %q is not a loopback address", u.Hostname())
	}
	return nil
}
