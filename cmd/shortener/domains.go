package main

import (
	"context"
	"fmt"

	goredis "github.com/redis/go-redis/v9"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/domains"
	"github.com/shortener-dev/shortener/redis"
)

// startDomains writes BASE_URL's host as the default domain's (logging a
// change), loads the registry of domains before the server serves, and
// keeps it current: reloaded on this instance's changes, on other
// instances' (Redis pub/sub, when there is Redis) and every
// domains.ReloadInterval.
func (a *app) startDomains(ctx, bgCtx context.Context, cfg *config, st *storage, rdb goredis.UniversalClient,
	clock shortener.Clock) (*domains.Service, *domains.Registry, error) {
	registry := domains.NewRegistry(st.domains, cfg.baseHost, a.logger)
	svc := domains.NewService(st.domains, registry, clock)
	if err := svc.SyncDefault(ctx, cfg.baseHost, a.logger); err != nil {
		return nil, nil, fmt.Errorf("default domain from BASE_URL: %w", err)
	}
	if rdb != nil {
		events := redis.NewDomainEvents(rdb, cfg.RedisKeyPrefix, a.logger)
		registry.Notify = events.Publish
		a.goBackground(bgCtx, "domain events", func(ctx context.Context) {
			events.Run(ctx, func() { registry.ReloadNow(ctx) })
		})
	}
	a.goBackground(bgCtx, "domains", registry.Run)
	return svc, registry, nil
}
