package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/auth"
	"github.com/shortener-dev/shortener/domains"
	"github.com/shortener-dev/shortener/internal/logthrottle"
	"github.com/shortener-dev/shortener/qr"
	"github.com/shortener-dev/shortener/web"
)

// webServices are the services the web app stands on: the API's own.
type webServices struct {
	auth      *auth.Service
	links     web.Links
	summaries web.Summaries
	qr        *qr.Service
	limiter   shortener.RateLimiter
	limits    shortener.RateLimits
	clientIP  func(*http.Request) netip.Addr
	webhooks  web.Webhooks
	domains   *domains.Service
	registry  *domains.Registry
	organiser web.Organiser
	clicks    web.ClickExports
}

// newWebApp builds the web app on the API's services, so a form does what
// the API call it stands for does (never an HTTP call to ourselves).
func newWebApp(cfg *config, logger *slog.Logger, clock shortener.Clock, secret []byte, s webServices) (*web.App, error) {
	return web.New(web.Config{
		RequestTimeout: requestTimeout,
		Accounts:       webAccounts{s.auth},
		Sessions:       s.auth,
		Links:          s.links,
		Summaries:      s.summaries,
		QRCodes:        webQR{qr: s.qr, domains: s.registry},
		Domains:        s.domains,
		Limiter:        webLimiter{limiter: s.limiter, limits: s.limits, logger: logger, logs: logthrottle.New(time.Minute)},
		Keys:           webKeys{s.auth},
		Webhooks:       s.webhooks,
		Organiser:      s.organiser,
		ClickExports:   s.clicks,
		BaseURL:        cfg.BaseURL,
		MaxImportBytes: cfg.MaxImportBytes,
		ClientIP:       s.clientIP,
		Logger:         logger,
		Clock:          clock,
		CSRFKey:        derivedKey(secret, "web-csrf"),
		Version:        version,
	})
}

// derivedKey is a key of its own for one purpose, from SECRET_KEY: the
// same on every instance, and no use for signing anything else.
func derivedKey(secret []byte, purpose string) []byte {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(purpose))
	return mac.Sum(nil)
}

// webAccounts changes profiles for callers the web app authenticated: a
// password change ends every login, and the web app starts a fresh one.
type webAccounts struct{ *auth.Service }

func (a webAccounts) UpdateProfile(ctx context.Context, caller *shortener.User, in auth.ProfileUpdate) (*shortener.User, error) {
	return a.UpdateProfileOf(ctx, caller, "", in)
}

// webQR renders the web app's QR codes with the API's defaults.
type webQR struct {
	qr      *qr.Service
	domains *domains.Registry
}

func (q webQR) QRCode(ctx context.Context, domain, code, format string, size int) ([]byte, string, error) {
	req := shortener.QRRequest{Code: code, Format: format, Size: size, Margin: qr.DefaultMargin, ECC: qr.DefaultECC}
	if domain != "" {
		d, ok := q.domains.ByHost(domain)
		if !ok {
			return nil, "", shortener.ErrLinkNotFound
		}
		req.DomainID, req.DomainHost = d.ID, d.Host
	}
	img, err := q.qr.QRCode(ctx, req)
	if err != nil {
		return nil, "", err
	}
	return img.Data, img.ContentType, nil
}

// webLimiter counts the web app's forms against the API's buckets. A
// limiter that fails lets the form through, logged at most once a minute,
// as the API does.
type webLimiter struct {
	limiter shortener.RateLimiter
	limits  shortener.RateLimits
	logger  *slog.Logger
	logs    *logthrottle.Throttle
}

func (l webLimiter) Admit(ctx context.Context, class shortener.RateClass, user *shortener.User, ip netip.Addr) (shortener.RateDecision, shortener.RateLimit) {
	open := shortener.RateDecision{Allowed: true}
	key, limit := l.limits.Bucket(class, user, ip)
	if key == "" || limit.Limit <= 0 {
		return open, shortener.RateLimit{}
	}
	d, err := l.limiter.Allow(ctx, key, limit)
	if err != nil {
		if l.logs.Allow("rate limit") {
			l.logger.WarnContext(ctx, "web: rate limiter unavailable; failing open", slog.Any("error", err))
		}
		return open, shortener.RateLimit{}
	}
	return d, limit
}

// webKeys manages the API keys of a person the web app authenticated (a
// session is a person's credential, like an access token).
type webKeys struct{ auth *auth.Service }

func (k webKeys) CreateKey(ctx context.Context, caller *shortener.User, name string, scopes []string, expires *time.Time) (*shortener.APIKey, string, error) {
	return k.auth.CreateKey(ctx, shortener.PersonCaller(caller), auth.KeyInput{Name: name, Scopes: scopes, ExpiresAt: expires})
}

func (k webKeys) ListKeys(ctx context.Context, caller *shortener.User) ([]*shortener.APIKey, error) {
	return k.auth.ListKeys(ctx, shortener.PersonCaller(caller))
}

func (k webKeys) RevokeKey(ctx context.Context, caller *shortener.User, id string) error {
	return k.auth.RevokeKey(ctx, shortener.PersonCaller(caller), id)
}
