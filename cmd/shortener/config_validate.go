package main

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strings"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/postgres"
	"github.com/shortener-dev/shortener/redis"
)

type intRange struct {
	name     string
	value    int
	min, max int
}

// validate checks ranges and formats and fills the parsed fields.
func (c *config) validate() error {
	switch c.Environment {
	case "development", "production", "test":
	default:
		return fmt.Errorf("ENVIRONMENT: must be development, production or test, got %q", c.Environment)
	}
	ranges := []intRange{
		{"ACCESS_TOKEN_EXPIRE_MINUTES", c.AccessTokenExpireMinutes, 1, 60 * 24 * 30},
		{"REFRESH_TOKEN_EXPIRE_DAYS", c.RefreshTokenExpireDays, 1, 3650},
		{"REFRESH_REUSE_GRACE", c.RefreshReuseGrace, 0, 300},
		{"BCRYPT_COST", c.BcryptCost, 4, 31},
		{"SHORT_CODE_LENGTH", c.ShortCodeLength, 4, 32},
		{"URL_CACHE_TTL", c.URLCacheTTL, 1, 30 * 86400},
		{"HOT_URL_CLICK_THRESHOLD", c.HotURLClickThreshold, 1, 1 << 30},
		{"L1_CACHE_SIZE", c.L1CacheSize, 0, 1 << 26},
		{"ANALYTICS_BATCH_SIZE", c.AnalyticsBatchSize, 1, 10000},
		{"ANALYTICS_WRITERS", c.AnalyticsWriters, 1, 64},
		{"ANALYTICS_FLUSH_INTERVAL", c.AnalyticsFlushInterval, 1, 3600},
		{"ANALYTICS_CACHE_TTL", c.AnalyticsCacheTTL, 0, 86400},
		{"QR_CACHE_TTL", c.QRCacheTTL, 0, 30 * 86400},
		{"CLICK_CLAIM_IDLE", c.ClickClaimIdle, 1, 86400},
		{"RATE_LIMIT_REQUESTS", c.RateLimitRequests, 1, 1 << 30},
		{"RATE_LIMIT_WINDOW", c.RateLimitWindow, 1, 86400},
		{"ANON_RATE_LIMIT_REQUESTS", c.AnonRateLimitRequests, 1, 1 << 30},
		{"ANON_RATE_LIMIT_WINDOW", c.AnonRateLimitWindow, 1, 86400},
		{"REGISTER_RATE_LIMIT_REQUESTS", c.RegisterRateLimitRequests, 1, 1 << 30},
		{"REGISTER_RATE_LIMIT_WINDOW", c.RegisterRateLimitWindow, 1, 86400},
		{"LOGIN_RATE_LIMIT_REQUESTS", c.LoginRateLimitRequests, 1, 1 << 30},
		{"LOGIN_RATE_LIMIT_WINDOW", c.LoginRateLimitWindow, 1, 86400},
		{"REDIRECT_RATE_LIMIT_REQUESTS", c.RedirectRateLimitRequests, 0, 1 << 30},
		{"REDIRECT_RATE_LIMIT_WINDOW", c.RedirectRateLimitWindow, 1, 86400},
		{"CLICK_RETENTION_DAYS", c.ClickRetentionDays, 0, 1 << 20},
	}
	for _, r := range ranges {
		if r.value < r.min || r.value > r.max {
			return fmt.Errorf("%s: must be between %d and %d, got %d", r.name, r.min, r.max, r.value)
		}
	}
	if c.MaxBodyBytes < 1 {
		return fmt.Errorf("MAX_BODY_BYTES: must be positive, got %d", c.MaxBodyBytes)
	}
	if c.MaxImportBytes < 1 {
		return fmt.Errorf("MAX_IMPORT_BYTES: must be positive, got %d", c.MaxImportBytes)
	}
	switch c.ClickSpool {
	case "disk", "memory":
	default:
		return fmt.Errorf("CLICK_SPOOL: must be disk or memory, got %q", c.ClickSpool)
	}
	switch strings.ToLower(c.LogLevel) {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("LOG_LEVEL: must be debug, info, warn or error, got %q", c.LogLevel)
	}
	base, err := url.Parse(c.BaseURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Hostname() == "" {
		return fmt.Errorf("BASE_URL: must be an absolute http(s) URL, got %q", c.BaseURL)
	}
	if (base.Path != "" && base.Path != "/") || base.RawQuery != "" || base.ForceQuery || base.Fragment != "" || base.User != nil {
		// Short links, the app and the API are served at the root: a
		// short_url under a path would not redirect.
		return fmt.Errorf("BASE_URL: must be scheme://host[:port] with no path, query, fragment or user, got %q", c.BaseURL)
	}
	if err := checkListenAddr(c.ListenAddr); err != nil {
		return fmt.Errorf("LISTEN_ADDR: %v", err)
	}
	if c.GeoIPDB != "" {
		if _, err := os.Stat(c.GeoIPDB); err != nil {
			return fmt.Errorf("GEOIP_DB: %v", err)
		}
	}
	// The host as domains are matched (lower case, punycode, no trailing
	// dot), in short URLs too: a browser sends a Unicode name as punycode,
	// so a BASE_URL of https://bücher.example would not have matched its
	// own requests, and a domain xn--bcher-kva.example could be added.
	c.baseHost = shortener.DomainKey(base.Hostname())
	c.BaseURL = base.Scheme + "://" + joinHostPort(c.baseHost, base.Port())
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		return fmt.Errorf("DATABASE_URL: must be a postgres:// URL (leave it unset for SQLite)")
	}
	if c.RedisURL != "" && !strings.HasPrefix(c.RedisURL, "redis://") && !strings.HasPrefix(c.RedisURL, "rediss://") && !strings.HasPrefix(c.RedisURL, "unix://") {
		return fmt.Errorf("REDIS_URL: must be a redis://, rediss:// or unix:// URL")
	}
	// Their other errors too are settings' (exit status 2, the variable
	// named), not failures to connect.
	if c.DatabaseURL != "" {
		if _, err := postgres.PoolConfig(c.DatabaseURL); err != nil {
			return fmt.Errorf("DATABASE_URL: %v", err)
		}
	}
	if c.RedisURL != "" {
		if err := redis.CheckURL(c.RedisURL); err != nil {
			return fmt.Errorf("REDIS_URL: %v", err)
		}
	}
	for _, s := range c.TrustedProxies {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				return fmt.Errorf("TRUSTED_PROXIES: %q is not a CIDR or an address", s)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		c.trustedPrefixes = append(c.trustedPrefixes, p.Masked())
	}
	if !isBearerToken(c.MetricsToken) {
		return fmt.Errorf("METRICS_TOKEN: must be visible ASCII characters without spaces")
	}
	origins := c.CORSAllowedOrigins[:0]
	for _, o := range c.CORSAllowedOrigins {
		if o = strings.TrimSpace(o); o != "" {
			o = strings.TrimRight(o, "/")
			if !isOrigin(o) {
				return fmt.Errorf("CORS_ALLOWED_ORIGINS: %q is not an origin (scheme://host[:port], or *)", o)
			}
			origins = append(origins, canonicalOrigin(o))
		}
	}
	c.CORSAllowedOrigins = origins
	return nil
}

// isOrigin reports whether s is "*" or an origin as browsers send it in
// the Origin header: an http(s) scheme and a host, an optional port, and
// nothing else. Anything else would never match, CORS off without a word.
func isOrigin(s string) bool {
	if s == "*" {
		return true
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.Hostname() != "" &&
		!strings.Contains(u.Host, "*") && u.User == nil && u.Path == "" && u.RawQuery == "" && u.Fragment == "" &&
		s == u.Scheme+"://"+u.Host
}

// canonicalOrigin returns an origin (isOrigin) as browsers write it in the
// Origin header: host in lower case and punycode, no default port.
// Compared as written, http://Other.example or https://good.example:443
// would never have matched.
func canonicalOrigin(o string) string {
	u, err := url.Parse(o)
	if err != nil || o == "*" {
		return o
	}
	port := u.Port()
	if u.Scheme == "http" && port == "80" || u.Scheme == "https" && port == "443" {
		port = ""
	}
	return u.Scheme + "://" + joinHostPort(shortener.DomainKey(u.Hostname()), port)
}

// joinHostPort writes host and an optional port as a URL's authority.
func joinHostPort(host, port string) string {
	if port != "" {
		return net.JoinHostPort(host, port)
	}
	if strings.Contains(host, ":") {
		return "[" + host + "]" // an IPv6 literal
	}
	return host
}

// isBearerToken reports whether s can be sent as "Authorization: Bearer s"
// and compared as sent: empty (no token), or visible ASCII without spaces.
func isBearerToken(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// checkListenAddr checks a host:port to listen on (an empty host is every
// interface; port 0 picks a free one).
func checkListenAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("must be host:port or :port, got %q", addr)
	}
	if _, err := net.LookupPort("tcp", port); err != nil {
		return fmt.Errorf("port must be a number from 0 to 65535 or a service name, got %q", port)
	}
	if strings.ContainsAny(host, " /") {
		return fmt.Errorf("host must be a name or an IP address, got %q", host)
	}
	return nil
}
