package main

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// configEnv is a valid embedded configuration with one change.
func configEnv(t *testing.T, k, v string) map[string]string {
	env := baseEnv(t)
	if v == "" {
		delete(env, k)
	} else {
		env[k] = v
	}
	return env
}

// TestE2EConfigErrors: a bad setting stops the program with errConfig
// (exit status 2 in main) and a message naming the variable.
func TestE2EConfigErrors(t *testing.T) {
	t.Parallel()
	bad := []struct{ name, value string }{
		{"BCRYPT_COST", "abc"},
		{"BCRYPT_COST", "3"},
		{"BCRYPT_COST", "32"},
		{"RATE_LIMIT_WINDOW", "0"},
		{"MAX_BODY_BYTES", "-1"},
		{"ANALYTICS_FLUSH_INTERVAL", "soon"},
		{"AUTO_MIGRATE", "perhaps"},
		{"TRUSTED_PROXIES", "not-a-cidr"},
		{"BASE_URL", "ftp://example.com"},
		{"BASE_URL", "https://sho.rt/base"},
		{"BASE_URL", "https://sho.rt/?x=1"},
		{"BASE_URL", "https://sho.rt#frag"},
		{"BASE_URL", "https://user:pw@sho.rt"},
		{"LISTEN_ADDR", "notanaddr"},
		{"LISTEN_ADDR", "127.0.0.1:99999"},
		{"LISTEN_ADDR", ":no-such-service"},
		{"GEOIP_DB", "/nonexistent/GeoLite2-Country.mmdb"},
		{"GEOIP_DB", "/etc/passwd"}, // not a MaxMind database
		{"GEOIP_DB", "/"},
		{"CLICK_SPOOL", "tape"},
		{"LOG_LEVEL", "loud"},
		{"DATABASE_URL", "mysql://root@localhost/x"},
		{"DATABASE_URL", "postgres://%zz@127.0.0.1/x"},
		{"DATABASE_URL", "postgres://u@127.0.0.1:99999/x"},
		{"DATABASE_URL", "postgres://u@127.0.0.1/x?sslmode=bogus"},
		{"CORS_ALLOWED_ORIGINS", "not a url"},
		{"CORS_ALLOWED_ORIGINS", "app.example.com"},
		{"CORS_ALLOWED_ORIGINS", "https://app.example.com/path"},
		{"CORS_ALLOWED_ORIGINS", "https://*.example.com"},
		{"REDIS_URL", "http://127.0.0.1:6379"},
		{"REDIS_URL", "redis://127.0.0.1:6379/abc"},
		{"REDIS_URL", "redis://127.0.0.1:99999/0"},
		{"REDIS_URL", "redis://127.0.0.1:6379/0?dial_timeout=abc"},
		{"METRICS_TOKEN", "has space"},
	}
	for _, b := range bad {
		t.Run(b.name+"="+b.value, func(t *testing.T) {
			t.Parallel()
			_, _, err := runOnce(t, configEnv(t, b.name, b.value), "serve")
			if err == nil {
				t.Fatal("run succeeded")
			}
			if !errors.Is(err, errConfig) {
				t.Errorf("error %q is not errConfig: main would not exit with status 2", err)
			}
			if !strings.Contains(err.Error(), b.name) {
				t.Errorf("error %q does not name %s", err, b.name)
			}
		})
	}
	t.Run("production without a SECRET_KEY", func(t *testing.T) {
		t.Parallel()
		for _, key := range []string{"", "too-short-secret"} {
			env := configEnv(t, "ENVIRONMENT", "production")
			env["SECRET_KEY"] = key
			if key == "" {
				delete(env, "SECRET_KEY")
			}
			_, _, err := runOnce(t, env, "serve")
			if !errors.Is(err, errConfig) {
				t.Errorf("SECRET_KEY %q in production: error %v, want errConfig", key, err)
			} else if !strings.Contains(err.Error(), "SECRET_KEY") {
				t.Errorf("error %q does not name SECRET_KEY", err)
			}
		}
	})
	t.Run("PostgreSQL without a SECRET_KEY", func(t *testing.T) {
		// Instances that share a database must share the key: each one
		// generating its own refused the others' tokens.
		t.Parallel()
		env := configEnv(t, "ENVIRONMENT", "development")
		delete(env, "SECRET_KEY")
		env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none?sslmode=disable"
		_, _, err := runOnce(t, env, "serve")
		if !errors.Is(err, errConfig) || !strings.Contains(err.Error(), "SECRET_KEY") {
			t.Errorf("error %v, want errConfig naming SECRET_KEY", err)
		}
		if _, err := os.Stat(filepath.Join(env["DATA_DIR"], "secret_key")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("a key was generated anyway (%v)", err)
		}
	})
	t.Run("user promote needs a valid config too", func(t *testing.T) {
		t.Parallel()
		_, _, err := runOnce(t, configEnv(t, "BCRYPT_COST", "abc"), "user", "promote", "a@example.com")
		if !errors.Is(err, errConfig) {
			t.Errorf("error %v, want errConfig", err)
		}
	})
}

// A malformed .env is a bad setting, reported without the file's text:
// the parser quotes the file from the bad line on, secrets included.
func TestDotenvErrorShowsNoSecret(t *testing.T) {
	t.Chdir(t.TempDir())
	const secret = "TopSecretValue-0123456789abcdef0123"
	for _, body := range []string{
		"SECRET_KEY=\"" + secret + "\n",
		"BAD LINE\nSECRET_KEY=" + secret + "\nDATABASE_URL=postgres://u:" + secret + "@db/x\n",
	} {
		if err := os.WriteFile(".env", []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := loadConfig(func(string) string { return "" })
		if !errors.Is(err, errConfig) || !strings.Contains(err.Error(), ".env") {
			t.Errorf(".env %q: error %v, want errConfig naming .env", body, err)
		}
		if err != nil && strings.Contains(err.Error(), secret) {
			t.Errorf("the error shows the secret: %v", err)
		}
	}
}

// TestE2EUnreachableServices: a configured but unreachable dependency is
// an error, quickly, that says which.
func TestE2EUnreachableServices(t *testing.T) {
	t.Parallel()
	t.Run("PostgreSQL", func(t *testing.T) {
		t.Parallel()
		_, took, err := runOnce(t, configEnv(t, "DATABASE_URL", "postgres://postgres:pg-secret-pw@127.0.0.1:1/x?sslmode=disable"), "serve")
		if err == nil {
			t.Fatal("run succeeded")
		}
		if !strings.Contains(err.Error(), "PostgreSQL") && !strings.Contains(err.Error(), "DATABASE_URL") {
			t.Errorf("error %q mentions neither PostgreSQL nor DATABASE_URL", err)
		}
		if strings.Contains(err.Error(), "secret-pw") {
			t.Errorf("error %q shows the password", err)
		}
		if took > 15*time.Second {
			t.Errorf("took %v to give up", took)
		}
	})
	t.Run("Redis", func(t *testing.T) {
		t.Parallel()
		_, took, err := runOnce(t, configEnv(t, "REDIS_URL", "redis://:redis-secret-pw@127.0.0.1:1"), "serve")
		if err == nil {
			t.Fatal("run succeeded")
		}
		if !strings.Contains(strings.ToLower(err.Error()), "redis") {
			t.Errorf("error %q does not mention Redis", err)
		}
		if strings.Contains(err.Error(), "secret-pw") {
			t.Errorf("error %q shows the password", err)
		}
		if took > 15*time.Second {
			t.Errorf("took %v to give up", took)
		}
	})
}

// TestE2ECommands covers version and the usage errors.
func TestE2ECommands(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"version"}, {"--version"}} {
		out, _, err := runOnce(t, baseEnv(t), args...)
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		f := strings.Fields(out)
		if len(f) < 2 || f[0] != "shortener" || f[1] == "" {
			t.Errorf("%v printed %q, want \"shortener VERSION\"", args, out)
		}
	}
	for _, args := range [][]string{{"frobnicate"}, {"user", "promote"}, {"user", "promote", " "}, {"serve", "extra"}, {"version", "extra"}} {
		if _, _, err := runOnce(t, baseEnv(t), args...); !errors.Is(err, errUsage) {
			t.Errorf("%v: error %v, want a usage error (exit status 2)", args, err)
		}
	}
	// Asking a command for help shows the usage (exit status 0), whatever
	// the configuration.
	for _, args := range [][]string{{"help"}, {"serve", "--help"}, {"migrate", "-h"}, {"user", "promote", "--help"}} {
		out, _, err := runOnce(t, configEnv(t, "BCRYPT_COST", "abc"), args...)
		if err != nil || !strings.Contains(out, "usage: shortener") {
			t.Errorf("%v: %v, printed %q; want the usage", args, err, out)
		}
	}
}

func TestOpenURL(t *testing.T) {
	for addr, want := range map[string]string{
		"[::]:8000":            "http://localhost:8000/",
		"0.0.0.0:8080":         "http://localhost:8080/",
		"127.0.0.1:41234":      "http://127.0.0.1:41234/",
		"[::1]:9000":           "http://[::1]:9000/",
		"[::ffff:10.0.0.1]:80": "http://10.0.0.1:80/",
	} {
		tcp, err := net.ResolveTCPAddr("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := openURL(tcp); got != want {
			t.Errorf("openURL(%s) = %s, want %s", addr, got, want)
		}
	}
}

// TestConfigCanonicalHosts: BASE_URL's host and the CORS origins are kept
// as browsers send them (lower case, punycode, no trailing dot, no default
// port), or the service's own domain and the configured origins would
// never match what browsers send.
func TestConfigCanonicalHosts(t *testing.T) {
	for _, tc := range []struct{ base, wantBase, wantHost string }{
		{"https://Bücher.Example./", "https://xn--bcher-kva.example", "xn--bcher-kva.example"},
		{"https://Sho.Example.COM:8443", "https://sho.example.com:8443", "sho.example.com"},
		{"http://[::1]:8000", "http://[::1]:8000", "::1"},
		{"http://localhost:8000", "http://localhost:8000", "localhost"},
	} {
		env := baseEnv(t)
		env["BASE_URL"] = tc.base
		env["CORS_ALLOWED_ORIGINS"] = "http://Other.example:8080, https://good.example:443,http://Bücher.example:80,*"
		cfg, err := loadConfig(func(k string) string { return env[k] })
		if err != nil {
			t.Fatalf("BASE_URL %q: %v", tc.base, err)
		}
		if cfg.BaseURL != tc.wantBase || cfg.baseHost != tc.wantHost {
			t.Errorf("BASE_URL %q: %q, host %q; want %q, %q", tc.base, cfg.BaseURL, cfg.baseHost, tc.wantBase, tc.wantHost)
		}
		want := []string{"http://other.example:8080", "https://good.example", "http://xn--bcher-kva.example", "*"}
		if !slices.Equal(cfg.CORSAllowedOrigins, want) {
			t.Errorf("CORS_ALLOWED_ORIGINS: %q, want %q", cfg.CORSAllowedOrigins, want)
		}
	}
}
