package main

import (
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"reflect"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"
	"github.com/joho/godotenv"
)

// config holds every setting of CONFIG.md. Durations are whole seconds.
type config struct {
	Environment string `env:"ENVIRONMENT" envDefault:"development"`
	ListenAddr  string `env:"LISTEN_ADDR" envDefault:":8000"`
	BaseURL     string `env:"BASE_URL" envDefault:"http://localhost:8000"`
	DataDir     string `env:"DATA_DIR" envDefault:"./data"`
	DatabaseURL string `env:"DATABASE_URL"`
	RedisURL    string `env:"REDIS_URL"`
	// RedisKeyPrefix lets deployments (and tests) share one Redis.
	RedisKeyPrefix string `env:"REDIS_KEY_PREFIX"`
	AutoMigrate    bool   `env:"AUTO_MIGRATE" envDefault:"true"`
	SecretKey      string `env:"SECRET_KEY"`

	AccessTokenExpireMinutes int `env:"ACCESS_TOKEN_EXPIRE_MINUTES" envDefault:"30"`
	RefreshTokenExpireDays   int `env:"REFRESH_TOKEN_EXPIRE_DAYS" envDefault:"30"`
	RefreshReuseGrace        int `env:"REFRESH_REUSE_GRACE" envDefault:"5"`
	BcryptCost               int `env:"BCRYPT_COST" envDefault:"12"`
	ShortCodeLength          int `env:"SHORT_CODE_LENGTH" envDefault:"7"`

	URLCacheTTL          int    `env:"URL_CACHE_TTL" envDefault:"3600"`
	HotURLClickThreshold int    `env:"HOT_URL_CLICK_THRESHOLD" envDefault:"100"`
	L1CacheSize          int    `env:"L1_CACHE_SIZE" envDefault:"100000"`
	ClickSpool           string `env:"CLICK_SPOOL" envDefault:"disk"`

	AnalyticsBatchSize     int `env:"ANALYTICS_BATCH_SIZE" envDefault:"100"`
	AnalyticsWriters       int `env:"ANALYTICS_WRITERS" envDefault:"2"`
	AnalyticsFlushInterval int `env:"ANALYTICS_FLUSH_INTERVAL" envDefault:"5"`
	AnalyticsCacheTTL      int `env:"ANALYTICS_CACHE_TTL" envDefault:"300"`
	// ClickClaimIdle is how long a click stream entry may stay unacknowledged
	// by a consumer before another one takes it over (a dead instance).
	ClickClaimIdle int    `env:"CLICK_CLAIM_IDLE" envDefault:"30"`
	QRCacheTTL     int    `env:"QR_CACHE_TTL" envDefault:"86400"`
	GeoIPDB        string `env:"GEOIP_DB"`

	RateLimitRequests         int `env:"RATE_LIMIT_REQUESTS" envDefault:"100"`
	RateLimitWindow           int `env:"RATE_LIMIT_WINDOW" envDefault:"60"`
	AnonRateLimitRequests     int `env:"ANON_RATE_LIMIT_REQUESTS" envDefault:"20"`
	AnonRateLimitWindow       int `env:"ANON_RATE_LIMIT_WINDOW" envDefault:"60"`
	RegisterRateLimitRequests int `env:"REGISTER_RATE_LIMIT_REQUESTS" envDefault:"10"`
	RegisterRateLimitWindow   int `env:"REGISTER_RATE_LIMIT_WINDOW" envDefault:"3600"`
	LoginRateLimitRequests    int `env:"LOGIN_RATE_LIMIT_REQUESTS" envDefault:"20"`
	LoginRateLimitWindow      int `env:"LOGIN_RATE_LIMIT_WINDOW" envDefault:"300"`
	RedirectRateLimitRequests int `env:"REDIRECT_RATE_LIMIT_REQUESTS" envDefault:"0"`
	RedirectRateLimitWindow   int `env:"REDIRECT_RATE_LIMIT_WINDOW" envDefault:"60"`

	TrustedProxies     []string `env:"TRUSTED_PROXIES" envSeparator:","`
	MaxBodyBytes       int64    `env:"MAX_BODY_BYTES" envDefault:"65536"`
	MaxImportBytes     int64    `env:"MAX_IMPORT_BYTES" envDefault:"10485760"`
	ClickRetentionDays int      `env:"CLICK_RETENTION_DAYS" envDefault:"0"`
	CORSAllowedOrigins []string `env:"CORS_ALLOWED_ORIGINS" envSeparator:","`
	LogLevel           string   `env:"LOG_LEVEL" envDefault:"info"`
	Debug              bool     `env:"DEBUG" envDefault:"false"`

	// MetricsToken, when set, is the bearer credential /metrics asks for.
	MetricsToken string `env:"METRICS_TOKEN"`

	// WebhookAllowPrivate lets webhook endpoints be on private and
	// loopback addresses (development and tests only).
	WebhookAllowPrivate bool `env:"WEBHOOK_ALLOW_PRIVATE" envDefault:"false"`

	// Parsed forms, filled by validate.
	trustedPrefixes []netip.Prefix
	baseHost        string
}

// errConfig marks a bad setting: the program exits with status 2.
var errConfig = errors.New("invalid configuration")

func (c *config) production() bool { return c.Environment == "production" }

func seconds(n int) time.Duration { return time.Duration(n) * time.Second }

// loadConfig reads the settings from getenv, falling back to a .env file
// in the working directory for variables that are not set.
func loadConfig(getenv func(string) string) (*config, error) {
	dotenv, err := readDotenv(".env")
	if err != nil {
		return nil, fmt.Errorf("%w: .env: %v", errConfig, err)
	}
	params, err := env.GetFieldParams(&config{})
	if err != nil {
		return nil, err
	}
	environ := make(map[string]string, len(params))
	for _, p := range params {
		if v := getenv(p.Key); v != "" {
			environ[p.Key] = v
		} else if v, ok := dotenv[p.Key]; ok {
			environ[p.Key] = v
		}
	}
	var cfg config
	if err := env.ParseWithOptions(&cfg, env.Options{Environment: environ}); err != nil {
		return nil, fmt.Errorf("%w: %s", errConfig, describeEnvError(err))
	}
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", errConfig, err)
	}
	return &cfg, nil
}

// readDotenv reads the .env file at path; a missing file is an empty one.
// The parser's errors quote the file from the bad line on, secrets
// included, so a malformed file is reported without its text.
func readDotenv(path string) (map[string]string, error) {
	m, err := godotenv.Read(path)
	var pathErr *fs.PathError
	switch {
	case errors.Is(err, os.ErrNotExist):
		return map[string]string{}, nil
	case err == nil || errors.As(err, &pathErr):
		return m, err
	}
	return nil, errors.New("malformed (every line is NAME=value, a value may be quoted and its quotes must close); its text is not shown, as it may hold secrets")
}

// describeEnvError turns the env library's error into "NAME: problem" lines.
func describeEnvError(err error) string {
	var agg env.AggregateError
	if !errors.As(err, &agg) {
		return err.Error()
	}
	var parts []string
	for _, e := range agg.Errors {
		var pe env.ParseError
		if errors.As(e, &pe) {
			parts = append(parts, fmt.Sprintf("%s: invalid value (want %s)", envName(pe.Name), pe.Type))
			continue
		}
		parts = append(parts, e.Error())
	}
	return strings.Join(parts, "; ")
}

// envName maps a config field name to its variable name.
func envName(field string) string {
	if f, ok := reflect.TypeFor[config]().FieldByName(field); ok {
		if name, _, _ := strings.Cut(f.Tag.Get("env"), ","); name != "" {
			return name
		}
	}
	return field
}
