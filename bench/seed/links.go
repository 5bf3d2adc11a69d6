package main

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/bench/benchdata"
)

// seedLinks creates the links of the first n benchmark codes, anonymous,
// active and public, with workers inserts in flight so that PostgreSQL's
// round trips overlap. A code that already exists is left as it is, so a
// seed can be repeated.
func seedLinks(ctx context.Context, links shortener.LinkStore, n, workers int) error {
	g, ctx := errgroup.WithContext(ctx)
	next := make(chan int)
	g.Go(func() error {
		defer close(next)
		for i := range n {
			select {
			case next <- i:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})
	for range max(1, workers) {
		g.Go(func() error {
			for i := range next {
				if err := createLink(ctx, links, i); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return g.Wait()
}

func createLink(ctx context.Context, links shortener.LinkStore, i int) error {
	now := shortener.SystemClock()
	l := &shortener.Link{
		ID:          shortener.NewIDAt(now),
		ShortCode:   benchdata.Code(i),
		OriginalURL: benchdata.TargetURL(i),
		IsActive:    true,
		IsPublic:    true,
		CreatedAt:   now,
		UpdatedAt:   now,
	}
	err := links.CreateLink(ctx, l)
	if shortener.ErrorCode(err) == shortener.ECONFLICT {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create link %s: %w", l.ShortCode, err)
	}
	return nil
}
