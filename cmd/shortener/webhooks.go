package main

import (
	"context"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/httpapi"
	"github.com/shortener-dev/shortener/links"
	"github.com/shortener-dev/shortener/webhook"
)

// startWebhooks returns the endpoints service and starts this instance's
// dispatcher under the app's background context: it stops claiming, and
// its sends in flight finish and are recorded, before the database closes
// at shutdown.
func (a *app) startWebhooks(bgCtx context.Context, cfg *config, st *storage, clock shortener.Clock, linkSvc *links.Service) *webhook.Service {
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
	a.goBackground(bgCtx, "webhook dispatcher", d.Run)
	return webhook.NewService(webhook.ServiceConfig{Store: st.webhooks, Clock: clock, OwnHosts: linkSvc.OwnHosts,
		AllowPrivate: cfg.WebhookAllowPrivate})
}
