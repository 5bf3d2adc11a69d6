package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/analytics"
	"github.com/shortener-dev/shortener/auth"
	"github.com/shortener-dev/shortener/httpapi"
	"github.com/shortener-dev/shortener/inmem"
	"github.com/shortener-dev/shortener/internal/clientip"
	"github.com/shortener-dev/shortener/links"
	"github.com/shortener-dev/shortener/pipeline"
	"github.com/shortener-dev/shortener/qr"
)

// localQRCacheBytes bounds the in-process cache of QR renderings with
// uncommon options (custom colours, odd sizes), which stay out of Redis.
const localQRCacheBytes = 16 << 20

// shutdownTimeout bounds the graceful shutdown of the HTTP server; the
// click drain after it gets drainTimeout.
const (
	shutdownTimeout = 20 * time.Second
	drainTimeout    = 10 * time.Second
)

// pingFunc adapts a function to shortener.HealthChecker.
type pingFunc func(context.Context) error

func (f pingFunc) Ping(ctx context.Context) error { return f(ctx) }

// app is everything serve starts, in the order it must stop.
type app struct {
	logger   *slog.Logger
	registry *prometheus.Registry
	storage  *storage
	handler  http.Handler

	background sync.WaitGroup
	stopBg     context.CancelFunc
	// onShutdown hooks run after the HTTP server stopped, last added first:
	// the click drain, then closing connections.
	onShutdown      []func(context.Context)
	redisErrors     *prometheus.CounterVec
	pipelineMetrics *pipeline.Metrics
}

// serve runs the HTTP server until ctx is cancelled, then shuts down
// gracefully.
func serve(ctx context.Context, cfg *config, stdout, stderr io.Writer) error {
	logger := newLogger(cfg, stderr)
	a, err := build(ctx, cfg, logger)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		a.shutdown()
		return fmt.Errorf("listen on %s: %w", cfg.ListenAddr, err)
	}
	srv := &http.Server{
		Handler: a.handler,
		// "OPTIONS *" reaches the handler too, so it carries the headers
		// every response carries (net/http would answer 200 on its own).
		DisableGeneralOptionsHandler: true,
		ReadHeaderTimeout:            10 * time.Second,
		ReadTimeout:                  30 * time.Second,
		WriteTimeout:                 requestTimeout + answerMargin,
		IdleTimeout:                  120 * time.Second,
		ErrorLog:                     slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	logger.Info("listening", slog.String("addr", ln.Addr().String()), slog.String("database", a.storage.engine),
		slog.Bool("redis", cfg.RedisURL != ""), slog.String("version", version))
	fmt.Fprintf(stdout, "shortener listening on %s\n", openURL(ln.Addr()))

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		a.shutdown()
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		logger.Warn("HTTP shutdown incomplete", slog.Any("error", err))
	}
	a.shutdown()
	logger.Info("stopped")
	return nil
}

// openURL is an address a person can open in a browser for the listener:
// localhost when it listens on every interface (":8000" is
// http://localhost:8000/, not http://[::]:8000), the real port always.
func openURL(addr net.Addr) string {
	ap, err := netip.ParseAddrPort(addr.String())
	if err != nil {
		return "http://" + addr.String() + "/"
	}
	host := ap.Addr().Unmap()
	if host.IsUnspecified() {
		return fmt.Sprintf("http://localhost:%d/", ap.Port())
	}
	return "http://" + netip.AddrPortFrom(host, ap.Port()).String() + "/"
}

// shutdown stops the background work and runs the shutdown hooks.
func (a *app) shutdown() {
	if a.stopBg != nil {
		a.stopBg()
	}
	a.background.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), drainTimeout)
	defer cancel()
	// Like defers: the last thing opened is closed first.
	for i := len(a.onShutdown) - 1; i >= 0; i-- {
		a.onShutdown[i](ctx)
	}
}

// goBackground runs fn until shutdown.
func (a *app) goBackground(ctx context.Context, name string, fn func(context.Context)) {
	a.background.Add(1)
	go func() {
		defer a.background.Done()
		fn(ctx)
		a.logger.Debug("background task stopped", slog.String("task", name))
	}()
}

// build opens the backends and wires the server. On error everything
// opened so far is closed again.
func build(ctx context.Context, cfg *config, logger *slog.Logger) (_ *app, err error) {
	a := &app{logger: logger, registry: prometheus.NewRegistry()}
	a.redisErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "shortener_redis_errors_total", Help: "Redis operations that failed and were skipped (the request was served without Redis).",
	}, []string{"op"})
	a.pipelineMetrics = pipeline.NewMetrics(a.registry)
	a.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), a.redisErrors)
	defer func() {
		if err != nil {
			a.shutdown()
		}
	}()
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create DATA_DIR %s: %w", cfg.DataDir, err)
	}
	unlock, err := lockDataDir(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	a.onShutdown = append(a.onShutdown, func(context.Context) { unlock() }) // the last hook to run
	secret, err := secretKey(cfg, logger)
	if err != nil {
		return nil, err
	}
	clock := shortener.Clock(shortener.SystemClock)

	st, err := openStorage(ctx, cfg, logger)
	if err != nil {
		return nil, err
	}
	a.storage = st
	a.onShutdown = append(a.onShutdown, func(context.Context) { _ = st.db.Close() })
	if err := prepareSchema(ctx, cfg, st, logger); err != nil {
		return nil, err
	}
	warnEmailCollisions(ctx, st, logger)
	warnShadowedCodes(ctx, st, logger)

	bgCtx, stopBg := context.WithCancel(context.WithoutCancel(ctx))
	a.stopBg = stopBg

	rdb, err := a.connectRedis(ctx, cfg)
	if err != nil {
		return nil, err
	}
	domainSvc, registry, err := a.startDomains(ctx, bgCtx, cfg, st, rdb, clock)
	if err != nil {
		return nil, err
	}
	var b backend
	if cfg.RedisURL != "" {
		if b, err = a.redisBackend(ctx, bgCtx, cfg, st, rdb, clock); err != nil {
			return nil, err
		}
	} else {
		b = a.embeddedBackend(ctx, bgCtx, cfg, st, clock)
	}

	enricher, err := a.newEnricher(cfg, secret)
	if err != nil {
		return nil, err
	}
	clicks, err := a.clickPipeline(ctx, bgCtx, cfg, st, rdb, enricher)
	if err != nil {
		return nil, err
	}

	authSvc := auth.NewService(auth.Config{
		Users: st.users, Tokens: st.tokens, Keys: st.keys, Secret: secret, Clock: clock, BcryptCost: cfg.BcryptCost, Logger: logger,
		AccessTTL:  time.Duration(cfg.AccessTokenExpireMinutes) * time.Minute,
		RefreshTTL: time.Duration(cfg.RefreshTokenExpireDays) * 24 * time.Hour,
		ReuseGrace: seconds(cfg.RefreshReuseGrace),
	})
	// The dummy hash for constant-time failed logins, ahead of the first one.
	a.goBackground(bgCtx, "password hasher warm-up", func(context.Context) { authSvc.Warm() })
	linkSvc := links.NewService(links.Config{
		Links: st.links, Invalidator: b.invalidator, Clock: clock, BaseURL: cfg.BaseURL,
		OwnHosts: []string{cfg.baseHost}, Domains: registry, CodeLength: cfg.ShortCodeLength, Logger: logger,
		Passwords: auth.NewHasher(cfg.BcryptCost),
	})
	hooks := a.startWebhooks(ctx, bgCtx, cfg, st, clock, linkSvc)
	summaries := analytics.NewService(st.links, st.clicks, b.blobs, seconds(cfg.AnalyticsCacheTTL), clock)
	a.goBackground(bgCtx, "click retention", analytics.Retention{
		Clicks: st.clicks, Days: cfg.ClickRetentionDays, Clock: clock, Logger: logger,
	}.Run)
	qrSvc := qr.NewService(qr.Config{Resolver: b.resolver, BaseURL: cfg.BaseURL, Cache: b.blobs,
		Local: inmem.NewBlobCache(localQRCacheBytes, clock), TTL: seconds(cfg.QRCacheTTL)})
	limits := shortener.RateLimits{
		User:     shortener.RateLimit{Limit: cfg.RateLimitRequests, Window: seconds(cfg.RateLimitWindow)},
		Anon:     shortener.RateLimit{Limit: cfg.AnonRateLimitRequests, Window: seconds(cfg.AnonRateLimitWindow)},
		Register: shortener.RateLimit{Limit: cfg.RegisterRateLimitRequests, Window: seconds(cfg.RegisterRateLimitWindow)},
		Login:    shortener.RateLimit{Limit: cfg.LoginRateLimitRequests, Window: seconds(cfg.LoginRateLimitWindow)},
		Redirect: shortener.RateLimit{Limit: cfg.RedirectRateLimitRequests, Window: seconds(cfg.RedirectRateLimitWindow)},
	}
	pages, err := newWebApp(cfg, logger, clock, secret, webServices{
		auth: authSvc, links: linkSvc, summaries: summaries, qr: qrSvc, limiter: b.limiter, limits: limits,
		clientIP: clientip.Resolver{Trusted: cfg.trustedPrefixes}.Of, webhooks: hooks, domains: domainSvc, registry: registry,
		organiser: linkSvc, clicks: summaries,
	})
	if err != nil {
		return nil, fmt.Errorf("web app: %w", err)
	}
	a.handler = httpapi.New(httpapi.Config{
		Logger: logger, Version: version, Clock: clock, RequestTimeout: requestTimeout,
		Authenticator: authSvc, Accounts: authSvc, Keys: authSvc, Webhooks: hooks,
		Domains: domainSvc, Hosts: registry,
		Links: linkSvc, Organiser: linkSvc, Summaries: summaries, ClickExports: summaries, QR: qrSvc,
		Resolver: b.resolver, Clicks: clicks, OnHit: b.onHit,
		Limiter: b.limiter, Limits: limits, Pages: pages,
		Enrichment: enricher, Caps: st.links, LinkPasswords: auth.NewLinkPasswords(),
		SecureCookies:  strings.HasPrefix(cfg.BaseURL, "https://"),
		CSRFKey:        derivedKey(secret, "link-csrf"),
		Stylesheet:     pages.Stylesheet(),
		Health:         map[string]shortener.HealthChecker{"database": st.db, "cache": b.cacheHealth, "clicks": clicks},
		TrustedProxies: cfg.trustedPrefixes,
		CORSOrigins:    cfg.CORSAllowedOrigins,
		MaxBodyBytes:   cfg.MaxBodyBytes,
		MaxImportBytes: cfg.MaxImportBytes,
		Registry:       a.registry,
		MetricsToken:   cfg.MetricsToken,
	})
	return a, nil
}

// spoolDir is where the disk spool of this instance lives.
func spoolDir(cfg *config) string { return filepath.Join(cfg.DataDir, "spool") }

// requestTimeout is the deadline of an API call's and a web page's work
// (the calls that take longer extend it). The server's WriteTimeout is
// answerMargin later, so that the 503 of a call whose deadline passed (a
// stalled database) still reaches the client: with the two equal, the
// answer came just after the connection's write deadline and the client
// got no answer at all.
const (
	requestTimeout = 30 * time.Second
	answerMargin   = 5 * time.Second
)
