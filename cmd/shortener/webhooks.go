package main

import (
	"context"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/httpapi"
	"github.com/shortener-dev/shortener/links"
	"github.com/shortener-dev/shortener/webhook"
)

// startWebhooks returns the endpoints service and starts this instance's
// dispatcher. It stops claiming as soon as the shutdown starts (ctx, the
// server's, ends), beside the HTTP server's drain rather than after it, so
// that its sends in flight (10 s at most) finish and are recorded within
// the requests' 20 s; the app's background context still bounds it, and
// the database closes only after it.
func (a *app) startWebhooks(ctx, bgCtx context.Context, cfg *config, st *storage, clock shortener.Clock, linkSvc *links.Service) *webhook.Service {
	if cfg.WebhookAllowPrivate && cfg.production() {
		a.logger.Warn("WEBHOOK_ALLOW_PRIVATE is on: webhook endpoints may reach private and loopback addresses")
	}
	d := webhook.NewDispatcher(webhook.Config{
		Outbox: st.webhooks, Clock: clock, Logger: a.logger,
		Client: webhook.NewClient(webhook.ClientOptions{AllowPrivate: cfg.WebhookAllowPrivate}),
		// The link events carry the API's Link object, as GET
		// /api/v1/urls/{id} would answer it.
		RenderLink: func(l *shortener.Link) any { return httpapi.LinkObject(l, linkSvc.ShortURL(l)) },
	})
	dispatchCtx, stop := context.WithCancel(bgCtx)
	context.AfterFunc(ctx, stop)
	a.goBackground(dispatchCtx, "webhook dispatcher", d.Run)
	return webhook.NewService(webhook.ServiceConfig{Store: st.webhooks, Clock: clock, OwnHosts: linkSvc.OwnHosts,
		AllowPrivate: cfg.WebhookAllowPrivate})
}
